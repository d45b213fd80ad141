#!/usr/bin/env node
// socle-gitlab: the GitLab side of socle's merge-request flow. Thin wiring over
// the pure functions of this folder; every decision is made and tested there.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { affectedStacks, defaultStackPaths, type StackPaths } from "./affectedStacks";
import { MergeRequestNotes, targetFromEnv } from "./gitlab";
import { parsePreviewOutput, type PreviewDigest } from "./previewJson";
import { publishStackNotes } from "./publish";
import { GITLAB_NOTE_LIMIT, renderStackNotes, type RenderOptions } from "./renderNote";
import { knownSecretValues, type SecretMask } from "./redact";
import { summarizePreview, terraformReport, type StackPreview } from "./summarize";

export const USAGE = `usage: socle-gitlab <command> [options]

commands:
  publish <preview.json>...   post or update one note per stack on the merge request
  render <preview.json>...    print the notes' Markdown (no GitLab needed)
  report <preview.json>...    print GitLab's terraform report JSON (create/update/delete)
  affected --stacks a,b,c     print the stacks the merge request's changed files affect

A preview file is the output of \`pulumi preview --json\`; write "stack=file.json" to
name its stack when the file has no resources to read the name from.

options:
  --max-note-chars N          split notes longer than N characters (default ${GITLAB_NOTE_LIMIT})
  --unfold-up-to N            show resource diffs unfolded up to N resources (default 10)
  --terraform-report FILE     publish/render: also write the terraform report to FILE
  --out FILE                  report: write to FILE instead of stdout
  --changed-files FILE        affected: newline-separated paths ("-" for stdin)
  --stack-paths 'S=g1,g2'     affected: globs a stack owns (repeatable; default stacks/Pulumi.S.yaml, stacks/S.ts, stacks/S/**)
  --retry-base-ms N           publish: first retry delay (default 500)
  --mask-config-secrets       publish/render/report: read each named stack's secret config
                              (\`pulumi config --json --show-secrets\`, kept in memory) and mask
                              those values wherever they appear, whatever the preview format
  --cwd DIR                   with --mask-config-secrets: the folder holding Pulumi.yaml (default .)
  --base-config 'S=FILE'      with --mask-config-secrets: stack S's configuration file before the
                              change (repeatable), so a secret the change replaces is masked too

environment (publish): CI_API_V4_URL, CI_PROJECT_ID, CI_MERGE_REQUEST_IID, and
SOCLE_GITLAB_TOKEN (sent as PRIVATE-TOKEN) or else CI_JOB_TOKEN (sent as JOB-TOKEN).`;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => string;
}

class UsageError extends Error {}

function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a whole number, got "${value}"`);
  return n;
}

/** A stack's secret config values, read with the Pulumi CLI; never written anywhere. */
export function stackSecrets(stack: string, cwd: string, configFile?: string): string[] {
  const fileArgs = configFile ? ["--config-file", configFile] : [];
  let output: string;
  try {
    output = execFileSync("pulumi", ["config", "--json", "--show-secrets", "--stack", stack, ...fileArgs], {
      cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (err) {
    const stderr = String((err as { stderr?: string }).stderr ?? (err as Error).message).trim();
    throw new Error(
      `--mask-config-secrets: \`pulumi config --json --show-secrets --stack ${stack}${configFile ? ` --config-file ${configFile}` : ""}\` failed in ${cwd} (${stderr.split("\n")[0]}): run it where Pulumi.yaml is (--cwd), logged in to the stack's backend, with its passphrase`,
    );
  }
  return knownSecretValues(JSON.parse(output) as Record<string, { value?: unknown; secret?: boolean }>);
}

/** Where each stack's secrets come from when --mask-config-secrets is given. */
type SecretSource = ((stack: string) => string[]) | undefined;

function loadPreviews(files: string[], secrets?: SecretSource, maxValueChars?: number): StackPreview[] {
  if (files.length === 0) throw new UsageError("give at least one file written by `pulumi preview --json`");
  return files.map((spec) => {
    const named = /^([A-Za-z0-9_./-]+)=(.+)$/.exec(spec);
    if (secrets && !named)
      throw new UsageError(`--mask-config-secrets needs each file as STACK=FILE, got "${spec}"`);
    const mask: SecretMask = { knownSecrets: secrets && named ? secrets(named[1]) : [] };
    const file = named ? named[2] : spec;
    if (!fs.existsSync(file))
      throw new Error(
        `preview file ${file} does not exist: write it with \`pulumi preview --json > ${file}\``,
      );
    const text = fs.readFileSync(file, "utf8");
    // A preview that crashed before printing JSON still deserves a note saying so,
    // when the pipeline named the stack; an unnamed one is a usage error.
    const digest: PreviewDigest =
      named && text.trim() === ""
        ? {
            diagnostics: [
              {
                severity: "error",
                message: "`pulumi preview` printed no JSON: see the job log for its error.",
              },
            ],
          }
        : parsePreviewOutput(text, file);
    const fallback =
      (digest.steps ?? []).length === 0 ? path.basename(file).replace(/\.json$/, "") : undefined;
    // A named file keys its note by that name alone, so a failed preview (no URNs
    // to read the project from) still updates the same note as a good one.
    return summarizePreview(digest, { stack: named?.[1] ?? fallback, key: named?.[1], maxValueChars, mask });
  });
}

function parseStackPaths(specs: string[], option = "--stack-paths"): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const spec of specs) {
    const match = /^([^=]+)=(.+)$/.exec(spec);
    if (!match) throw new UsageError(`${option} expects STACK=value[,value], got "${spec}"`);
    map.set(
      match[1].trim(),
      match[2].split(",").map((g) => g.trim()),
    );
  }
  return map;
}

export async function runCli(
  argv: string[],
  env: Record<string, string | undefined>,
  io: CliIo,
): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        "max-note-chars": { type: "string" },
        "unfold-up-to": { type: "string" },
        "terraform-report": { type: "string" },
        out: { type: "string" },
        stacks: { type: "string" },
        "changed-files": { type: "string" },
        "stack-paths": { type: "string", multiple: true },
        "retry-base-ms": { type: "string" },
        "mask-config-secrets": { type: "boolean" },
        cwd: { type: "string" },
        "base-config": { type: "string", multiple: true },
        help: { type: "boolean", short: "h" },
      },
    });
    const [command, ...files] = positionals;
    if (values.help || !command) {
      io.stdout(USAGE + "\n");
      return values.help ? 0 : 2;
    }
    const renderOptions: RenderOptions = {
      maxNoteChars: positiveInt("max-note-chars", values["max-note-chars"]),
      unfoldUpTo: positiveInt("unfold-up-to", values["unfold-up-to"]),
      commitSha: env.CI_COMMIT_SHA,
      pipelineUrl: env.CI_PIPELINE_URL,
    };
    const cwd = values.cwd ?? ".";
    const baseConfigs = parseStackPaths(values["base-config"] ?? [], "--base-config");
    const secrets: SecretSource = values["mask-config-secrets"]
      ? (stack) => {
          const base = baseConfigs.get(stack)?.[0];
          // The old file may not exist (a new stack): then only the current secrets count.
          const before = base && fs.existsSync(base) ? stackSecrets(stack, cwd, path.resolve(base)) : [];
          return [...stackSecrets(stack, cwd), ...before];
        }
      : undefined;
    const writeReport = (previews: StackPreview[], file: string | undefined) => {
      const json = JSON.stringify(terraformReport(previews));
      if (file) fs.writeFileSync(file, json + "\n");
      else io.stdout(json + "\n");
    };

    switch (command) {
      case "render": {
        const previews = loadPreviews(files, secrets);
        for (const preview of previews)
          for (const note of renderStackNotes(preview, renderOptions)) io.stdout(note + "\n");
        if (values["terraform-report"]) writeReport(previews, values["terraform-report"]);
        return 0;
      }
      case "report": {
        writeReport(loadPreviews(files, secrets), values.out);
        return 0;
      }
      case "publish": {
        const previews = loadPreviews(files, secrets);
        // Write the report first: the MR widget should show the change even if the note fails.
        if (values["terraform-report"]) writeReport(previews, values["terraform-report"]);
        const target = targetFromEnv(env);
        const api = new MergeRequestNotes(target, {
          baseDelayMs: positiveInt("retry-base-ms", values["retry-base-ms"]),
        });
        const existing = await api.list();
        for (const preview of previews) {
          const outcome = await publishStackNotes(
            api,
            preview.key,
            renderStackNotes(preview, renderOptions),
            existing,
          );
          io.stdout(
            `${preview.key}: ${outcome.created} created, ${outcome.updated} updated, ${outcome.unchanged} unchanged, ${outcome.removed} removed note(s) on !${target.mergeRequestIid}\n`,
          );
        }
        return 0;
      }
      case "affected": {
        const stackNames = (values.stacks ?? env.SOCLE_STACKS ?? "")
          .split(/[\s,]+/)
          .map((s) => s.trim())
          .filter(Boolean);
        if (stackNames.length === 0) throw new UsageError("affected needs --stacks a,b,c (or SOCLE_STACKS)");
        const source = values["changed-files"];
        if (!source)
          throw new UsageError(
            "affected needs --changed-files FILE (or - for stdin), e.g. from `git diff --name-only`",
          );
        const changed = (source === "-" ? io.readStdin() : fs.readFileSync(source, "utf8")).split("\n");
        const overrides = parseStackPaths(values["stack-paths"] ?? []);
        const stacks: StackPaths[] = stackNames.map((stack) => {
          const own = overrides.get(stack);
          return own ? { stack, paths: own } : defaultStackPaths(stack);
        });
        for (const hit of affectedStacks(changed, stacks)) {
          io.stdout(`${hit.stack}\n`);
          io.stderr(`${hit.stack}: affected by ${hit.because.join(", ")}\n`);
        }
        return 0;
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    io.stderr(`socle-gitlab: ${message}\n`);
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      io.stderr(`\n${USAGE}\n`);
      return 2;
    }
    return 1;
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2), process.env, {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readStdin: () => fs.readFileSync(0, "utf8"),
  }).then((code) => {
    process.exitCode = code;
  });
}
