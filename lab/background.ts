// Running a lab out of process, shared by the lab CLIs: `start --detach`
// starts the CLI again in the background and waits for its manifest; the
// background process keeps the lab up until `stop` sends it SIGTERM.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const pidFileOf = (dir: string) => path.join(dir, "lab.pid");

/**
 * Starts `script` with `args` (the same CLI, without --detach) in the background and
 * waits until it wrote `manifestFile` and its pid file; prints the manifest.
 */
export async function startDetached(
  script: string,
  args: string[],
  dir: string,
  manifestFile: string,
  timeoutMs = 120_000,
): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  fs.rmSync(manifestFile, { force: true });
  const log = fs.openSync(path.join(dir, "lab.log"), "a");
  const child = spawn(process.execPath, [...process.execArgv, script, ...args], {
    detached: true,
    stdio: ["ignore", "ignore", log],
  });
  child.unref();
  const deadline = Date.now() + timeoutMs;
  while (!fs.existsSync(manifestFile) || !fs.existsSync(pidFileOf(dir))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      // The reason is the log's last line (say, a port another lab holds): shown, not only pointed at.
      const reason = lastLine(path.join(dir, "lab.log"));
      const why =
        child.exitCode !== null ? (reason ?? "it exited") : `not ready within ${timeoutMs / 1000} s`;
      throw new Error(`the lab did not start: ${why} (log: ${path.join(dir, "lab.log")})`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  process.stdout.write(fs.readFileSync(manifestFile, "utf8"));
}

/** The last non-empty line of a file, if any. */
function lastLine(file: string): string | undefined {
  const lines = fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "");
  return lines.at(-1);
}

/** In the background process: records its pid, and closes the lab on SIGTERM or SIGINT. */
export function serveUntilStopped(dir: string, close: () => Promise<void>): void {
  fs.writeFileSync(pidFileOf(dir), `${process.pid}\n`);
  const stop = (): void => {
    void close().then(() => {
      fs.rmSync(pidFileOf(dir), { force: true });
      process.exit(0);
    });
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

/** Stops the lab running with `dir`: SIGTERM to its process, then waits for it to exit. */
export async function stopBackgroundLab(dir: string, timeoutMs = 15_000): Promise<void> {
  const pidFile = pidFileOf(dir);
  if (!fs.existsSync(pidFile)) throw new Error(`no ${pidFile}: is a lab running with --dir ${dir}?`);
  const pid = Number(fs.readFileSync(pidFile, "utf8").trim());
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    fs.rmSync(pidFile, { force: true });
    process.stdout.write(`lab process ${pid} was not running\n`);
    return;
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      break;
    }
    if (Date.now() > deadline)
      throw new Error(`lab process ${pid} did not stop within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 50));
  }
  fs.rmSync(pidFile, { force: true });
  process.stdout.write(`stopped lab process ${pid}\n`);
}
