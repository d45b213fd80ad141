// Runs ansible-playbook (ansible-core from PyPI, scripts/setup-ansible.sh) on
// the resource's hosts, in check mode with diff or for real, and returns the
// per-task report of socle's callback plugin. Inventory and variables go to
// a private temporary folder removed afterwards (variables may be secrets).
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { ansibleBinDir, ansibleEnv } from "../../ops/ansible";
import type { PlaybookInputs, TaskResult } from "./report";

const exec = promisify(execFile);

export interface PlaybookRun {
  results: TaskResult[];
  /** ansible-playbook's exit code (0 ok, 2 a task failed, 4 a host unreachable, ...). */
  exitCode: number;
  /** The tail of ansible-playbook's output, for errors the report cannot hold (a syntax error). */
  outputTail: string;
}

/**
 * Runs `ansible-playbook args…` in `cwd` with socle's callback plugin and
 * returns its per-task report; a non-zero exit is returned, not thrown.
 */
export async function runAnsiblePlaybook(
  args: string[],
  cwd: string,
  extraEnv: Record<string, string> = {},
): Promise<PlaybookRun> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "socle-report-"));
  const report = path.join(scratch, "report.json");
  const env = {
    ...process.env,
    ...ansibleEnv({
      ANSIBLE_CALLBACK_PLUGINS: path.join(__dirname, "callback"),
      ANSIBLE_CALLBACKS_ENABLED: "socle_report",
      SOCLE_ANSIBLE_REPORT: report,
      ...extraEnv,
    }),
  };
  try {
    let exitCode = 0;
    let output = "";
    try {
      const { stdout, stderr } = await exec(path.join(ansibleBinDir(), "ansible-playbook"), args, {
        env,
        cwd,
        maxBuffer: 64 * 1024 * 1024,
      });
      output = stdout + stderr;
    } catch (error) {
      const e = error as { code?: number | string; stdout?: string; stderr?: string; message: string };
      if (typeof e.code !== "number") throw new Error(`cannot run ansible-playbook: ${e.message}`);
      exitCode = e.code;
      output = `${e.stdout ?? ""}${e.stderr ?? ""}`;
    }
    const results = fs.existsSync(report)
      ? (JSON.parse(fs.readFileSync(report, "utf8")) as { results: TaskResult[] }).results
      : [];
    return { results, exitCode, outputTail: output.trim().split("\n").slice(-15).join("\n") };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** The resource's playbook on its hosts, in check mode with diff or for real. */
export async function runPlaybook(inputs: PlaybookInputs, check: boolean): Promise<PlaybookRun> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "socle-playbook-"));
  try {
    const inventory = path.join(scratch, "inventory.json");
    const vars = path.join(scratch, "vars.json");
    fs.writeFileSync(inventory, JSON.stringify({ all: { hosts: inputs.hosts } }), { mode: 0o600 });
    fs.writeFileSync(vars, JSON.stringify(inputs.vars), { mode: 0o600 });
    const args = [
      "-i",
      inventory,
      "-e",
      `@${vars}`,
      ...(check ? ["--check", "--diff"] : []),
      inputs.playbookPath,
    ];
    return await runAnsiblePlaybook(args, path.dirname(inputs.playbookPath));
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
