// What the ChatOps service runs, with the real `pulumi` and `ansible-playbook`
// in the service's environment (the team's shared state). Each action
// returns the text posted back to the chat.
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { parsePreviewOutput } from "../../delivery/previewJson";
import { renderStackNotes } from "../../delivery/renderNote";
import { summarizePreview } from "../../delivery/summarize";
import { failureMessage } from "../../providers/ansible/report";
import { runAnsiblePlaybook } from "../../providers/ansible/run";
import type { ChatOpsConfig } from "./policy";

const exec = promisify(execFile);

interface Cli {
  code: number;
  stdout: string;
  stderr: string;
}

async function pulumi(config: ChatOpsConfig, args: string[]): Promise<Cli> {
  try {
    const { stdout, stderr } = await exec("pulumi", [...args, "--non-interactive"], {
      cwd: config.projectDir,
      maxBuffer: 256 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number | string; stdout?: string; stderr?: string; message: string };
    if (typeof e.code !== "number") throw new Error(`cannot run pulumi: ${e.message}`);
    return { code: e.code, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

async function pulumiOk(config: ChatOpsConfig, args: string[]): Promise<string> {
  const result = await pulumi(config, args);
  if (result.code !== 0)
    throw new Error(
      `pulumi ${args[0]} ${args[1] ?? ""} failed: ${result.stderr.trim() || result.stdout.trim()}`,
    );
  return result.stdout;
}

interface HistoryEntry {
  kind: string;
  result: string;
  startTime: string;
  endTime?: string;
  resourceChanges?: Record<string, number>;
}

async function lastUpdate(config: ChatOpsConfig, stack: string): Promise<HistoryEntry | undefined> {
  const history = JSON.parse(
    await pulumiOk(config, ["stack", "history", "--json", "--page-size", "1", "--stack", stack]),
  ) as HistoryEntry[];
  return history[0];
}

const counts = (changes: Record<string, number> = {}): string =>
  Object.entries(changes)
    .filter(([, n]) => n > 0)
    .map(([op, n]) => `${op} ${n}`)
    .join(", ") || "none";

/** A one-line rendering of an output value (secrets stay "[secret]": outputs are read without --show-secrets). */
function outputLine(name: string, value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return `• ${name}: ${text.length > 120 ? `${text.slice(0, 119)}…` : text}`;
}

/** `info <stack>`: outputs, last update, pending changes (a preview with refresh: drift and unapplied code). */
export async function info(config: ChatOpsConfig, stack: string): Promise<string> {
  const outputs = JSON.parse(
    await pulumiOk(config, ["stack", "output", "--json", "--stack", stack]),
  ) as Record<string, unknown>;
  const last = await lastUpdate(config, stack);
  const preview = parsePreviewOutput(
    await pulumiOk(config, ["preview", "--refresh", "--json", "--stack", stack]),
    `preview of ${stack}`,
  );
  const pending = summarizePreview(preview, { stack });
  return [
    `*${stack}*`,
    last
      ? `last ${last.kind}: ${last.result}, ${last.startTime} (${counts(last.resourceChanges)})`
      : "never updated",
    `pending changes (preview --refresh): ${counts(pending.counts)}`,
    "outputs:",
    ...Object.entries(outputs).map(([k, v]) => outputLine(k, v)),
  ].join("\n");
}

/** Longest answer posted: Mattermost takes 16383 characters in a post, Slack more. */
export const CHAT_TEXT_LIMIT = 16_000;

/** `preview <stack>`: the merge-request note of delivery's renderer (its first part when it is too long for a chat post). */
export async function preview(config: ChatOpsConfig, stack: string): Promise<string> {
  const result = await pulumi(config, ["preview", "--json", "--stack", stack]);
  const digest = parsePreviewOutput(result.stdout, `preview of ${stack}`);
  const notes = renderStackNotes(summarizePreview(digest, { stack }), {
    maxNoteChars: CHAT_TEXT_LIMIT - 200,
  });
  if (notes.length === 1) return notes[0];
  return `${notes[0]}\n\n(${notes.length - 1} more part(s) not shown here: the merge request's note has the whole preview)`;
}

/** `up <stack>`: the update, reported from the stack's history. */
export async function up(config: ChatOpsConfig, stack: string): Promise<string> {
  const result = await pulumi(config, ["up", "--yes", "--skip-preview", "--stack", stack]);
  const last = await lastUpdate(config, stack);
  if (result.code !== 0) {
    const reason = (result.stderr.trim() || result.stdout.trim()).split("\n").slice(-8).join("\n");
    return `up ${stack} failed:\n${reason}`;
  }
  return `up ${stack} ${last?.result ?? "done"}: ${counts(last?.resourceChanges)}`;
}

/** `run <playbook> <group>`: a playbook of the playbook folder on a group of the stacks' inventory. */
export async function run(config: ChatOpsConfig, playbook: string, group: string): Promise<string> {
  if (!config.playbookDir) throw new Error("no playbookDir configured");
  const file = path.join(config.playbookDir, `${playbook}.yml`);
  const inventoryScript = path.resolve(__dirname, "..", "inventory", "socle-inventory");
  const result = await runAnsiblePlaybook(
    ["-i", inventoryScript, "--limit", group, file],
    config.playbookDir,
    {
      SOCLE_INVENTORY_STACKS: config.stacks.join(" "),
      SOCLE_INVENTORY_PROJECT: config.projectDir,
    },
  );
  const failed = failureMessage(`${playbook} on ${group}`, result.results);
  if (failed) return failed;
  if (result.exitCode !== 0)
    return `run ${playbook} on ${group} failed (exit ${result.exitCode}):\n${result.outputTail}`;
  const hosts = [...new Set(result.results.map((r) => r.host))].sort();
  const changed = result.results.filter((r) => r.status === "changed").length;
  return `run ${playbook} on ${group}: ok on ${hosts.length} hosts (${hosts.join(", ")}), ${changed} tasks changed`;
}
