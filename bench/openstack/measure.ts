// Small helpers of bench/openstack: run a command with its own environment
// (failing loudly with the end of its output), and the median of rounds.
import { spawn } from "node:child_process";

/** Runs `command` with `args` in `cwd`; resolves with its standard output, rejects with its output's end. */
export function run(
  command: string,
  args: string[],
  options: { cwd?: string; env: Record<string, string>; timeoutSec?: number },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill("SIGTERM"), (options.timeoutSec ?? 1800) * 1000);
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve(out);
      const tail = `${out}\n${err}`.trim().split("\n").slice(-30).join("\n");
      reject(
        new Error(
          `${command} ${args.join(" ")} ${signal ? `was stopped (${signal})` : `exited ${code}`}:\n${tail}`,
        ),
      );
    });
  });
}

/** Wall seconds taken by `work`. */
export async function seconds(work: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Median of the values (the mean of the middle two for an even count). */
export function median(values: number[]): number {
  if (values.length === 0) throw new Error("median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Rounded to two decimals, for the results file. */
export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
