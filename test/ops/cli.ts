// Helpers for the operations tests: a program copied to its own work
// directory (as a laptop or a pipeline has its own checkout) and the real
// `pulumi` CLI run there as a separate process.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { engineEnv, repoRoot } from "../../lab/engine";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A copy of `programDir` in a new temporary directory, with the repository's node_modules linked. */
export function checkout(programDir: string): string {
  const workDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "socle-ops-")), "program");
  fs.cpSync(programDir, workDir, { recursive: true });
  fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(workDir, "node_modules"));
  return workDir;
}

/** The engine's environment with the given backend URL (file://, postgres://). */
export function backendEnv(backendUrl: string, passphrase = "socle-test"): Record<string, string> {
  return { ...engineEnv(os.tmpdir(), passphrase), PULUMI_BACKEND_URL: backendUrl };
}

/** Starts `pulumi args…` in `cwd`; the promise settles when it exits (never rejects on a non-zero code). */
export function pulumi(cwd: string, env: Record<string, string>, args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("pulumi", [...args, "--non-interactive"], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Like {@link pulumi}, failing with the CLI's output when it exits non-zero. */
export async function pulumiOk(cwd: string, env: Record<string, string>, args: string[]): Promise<string> {
  const result = await pulumi(cwd, env, args);
  if (result.code !== 0) {
    throw new Error(`pulumi ${args.join(" ")} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

/** A checkout of the `hosts` program (test/ops/programs/hosts) and the URL of a file backend beside it. */
export function hostsProject(): { project: string; stateUrl: string } {
  const project = checkout(path.join(__dirname, "programs", "hosts"));
  const state = path.join(path.dirname(project), "state");
  fs.mkdirSync(state);
  return { project, stateUrl: `file://${state}` };
}

/**
 * Creates `stack` of the hosts program with `config` (values given as JSON,
 * read by requireObject/getNumber) and the secret `sshPrivateKey`, then runs up.
 */
export async function upHostsStack(
  project: string,
  env: Record<string, string>,
  stack: string,
  config: Record<string, unknown>,
  sshPrivateKey: string,
): Promise<void> {
  await pulumiOk(project, env, ["stack", "init", stack]);
  for (const [key, value] of Object.entries(config)) {
    await pulumiOk(project, env, ["config", "set", "--stack", stack, key, JSON.stringify(value)]);
  }
  await pulumiOk(project, env, [
    "config",
    "set",
    "--stack",
    stack,
    "--secret",
    "sshPrivateKey",
    sshPrivateKey,
  ]);
  await pulumiOk(project, env, ["up", "--yes", "--skip-preview", "--stack", stack]);
}
