// The pipeline template itself, run by gitlab-ci-local (a GitLab runner
// emulator) in shell mode, with the real Pulumi engine, a file:// state backend
// and the GitLab stand-in on loopback receiving the merge request note.
import { execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engineEnv, repoRoot } from "../../lab/engine";
import { parseNoteMarker } from "../../delivery/renderNote";
import { startFakeGitLab, type FakeGitLab } from "./fakeGitLab";

const run = promisify(execFile);
const gitlabCiLocal = path.join(repoRoot, "node_modules", ".bin", "gitlab-ci-local");
const tsx = path.join(repoRoot, "node_modules", ".bin", "tsx");

// A project as a team would lay it out: one program, stack configs in stacks/.
const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
const provider: pulumi.dynamic.ResourceProvider = {
  async create(inputs) { return { id: inputs.name + "-1", outs: inputs }; },
  async diff(_id, olds, news) { return { changes: olds.size !== news.size, replaces: olds.name !== news.name ? ["name"] : [] }; },
  async update(_id, _olds, news) { return { outs: news }; },
};
class Volume extends pulumi.dynamic.Resource {
  constructor(name: string, args: { name: string; size: number; label?: string }) { super(provider, name, args); }
}
const config = new pulumi.Config();
// A secret read with config.get, as the issue saw: the engine's digest shows it in clear.
new Volume("data", { name: "data", size: config.requireNumber("sizeGiB"), label: config.get("label") });
`;
const LABEL_BEFORE = "Label-secret-before-4242";
const LABEL_AFTER = "Label-secret-after-8484";

let gitlab: FakeGitLab;
let scratch: string;
let repo: string;
let baseSha: string;
let jobEnv: NodeJS.ProcessEnv;

function git(...args: string[]): string {
  return execFileSync("git", args, { cwd: repo, encoding: "utf8" }).trim();
}

/** Sets the stack's size, keeping the rest of its configuration file (secrets included). */
function stackConfig(stack: string, sizeGiB: number): void {
  const file = path.join(repo, "stacks", `Pulumi.${stack}.yaml`);
  const line = `  glci:sizeGiB: "${sizeGiB}"`;
  const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "config:\n";
  fs.writeFileSync(
    file,
    /glci:sizeGiB/.test(text) ? text.replace(/^ {2}glci:sizeGiB: .*$/m, line) : `${text}${line}\n`,
  );
}

/** `pulumi config set --secret` in the repository, as a team would (encrypted in the stack's file). */
function setSecret(stack: string, key: string, value: string): void {
  execFileSync("pulumi", ["config", "set", "--secret", "--stack", stack, key, value], {
    cwd: repo,
    env: jobEnv,
  });
}

async function pipeline(args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(gitlabCiLocal, ["--force-shell-executor", "--no-color", ...args], {
      cwd: repo,
      env: jobEnv,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

/** The terraform report the preview job of one stack left as its artifact. */
function jobReport(stack: string): unknown {
  const dir = path.join(repo, ".gitlab-ci-local", "artifacts");
  const jobs = fs.readdirSync(dir).filter((name) => name.includes("preview") && name.includes(stack));
  expect(jobs, `artifacts of the preview job of ${stack} in ${dir}`).toHaveLength(1);
  return JSON.parse(fs.readFileSync(path.join(dir, jobs[0], "tfplan.json"), "utf8"));
}

const variables = (vars: Record<string, string>) =>
  Object.entries(vars).flatMap(([k, v]) => ["--variable", `${k}=${v}`]);

beforeAll(async () => {
  // gitlab-ci-local copies the work tree with rsync, even in shell mode.
  try {
    execFileSync("rsync", ["--version"], { stdio: "ignore" });
  } catch {
    throw new Error("gitlab-ci-local needs rsync on PATH: apt-get install rsync");
  }
  gitlab = await startFakeGitLab("42", "7");
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "socle-pipeline-"));
  repo = path.join(scratch, "repo");
  const state = path.join(scratch, "state");
  fs.mkdirSync(path.join(repo, "stacks"), { recursive: true });
  fs.mkdirSync(state);
  fs.writeFileSync(
    path.join(repo, "Pulumi.yaml"),
    "name: glci\nruntime:\n  name: nodejs\n  options:\n    typescript: true\nstackConfigDir: stacks\n",
  );
  fs.writeFileSync(path.join(repo, "index.ts"), PROGRAM);
  fs.writeFileSync(path.join(repo, ".gitignore"), "node_modules\n.gitlab-ci-local\n");
  fs.copyFileSync(
    path.join(repoRoot, "templates", "gitlab", "socle.gitlab-ci.yml"),
    path.join(repo, ".gitlab-ci.yml"),
  );
  fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(repo, "node_modules"));
  const engine = engineEnv(state);
  jobEnv = {
    ...process.env,
    ...engine,
    // We set these on purpose: the emulated pipeline is a merge request one talking to our stand-in.
    GCL_IGNORE_PREDEFINED_VARS:
      "CI_PIPELINE_SOURCE,CI_COMMIT_BRANCH,CI_DEFAULT_BRANCH,CI_API_V4_URL,CI_PROJECT_ID",
  };
  stackConfig("dev", 10);
  stackConfig("prod", 100);
  for (const stack of ["dev", "prod"])
    execFileSync("pulumi", ["stack", "init", stack], { cwd: repo, env: jobEnv, stdio: "ignore" });
  setSecret("dev", "label", LABEL_BEFORE);
  git("init", "-q", "-b", "main");
  git("config", "user.email", "ci@example.org");
  git("config", "user.name", "ci");
  git("remote", "add", "origin", "https://gitlab.example.org/hospital/infra.git");
  git("add", "-A");
  git("commit", "-qm", "stacks dev and prod");
  baseSha = git("rev-parse", "HEAD");
}, 120_000);

afterAll(async () => {
  await gitlab?.close();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

function labVariables(extra: Record<string, string>): string[] {
  return variables({
    PULUMI_BACKEND_URL: String(jobEnv.PULUMI_BACKEND_URL),
    PULUMI_CONFIG_PASSPHRASE: String(jobEnv.PULUMI_CONFIG_PASSPHRASE),
    SOCLE_INSTALL: "true",
    SOCLE_GITLAB: `${tsx} ${path.join(repoRoot, "delivery", "cli.ts")}`,
    ...extra,
  });
}

describe("the GitLab pipeline template under gitlab-ci-local", () => {
  it("lists a manual gate for production and a lock per stack on the default branch", async () => {
    const listed = await pipeline(["--list", ...labVariables({})]);
    expect(listed.code).toBe(0);
    expect(listed.output).toMatch(/socle:up: \[dev\]\s+deploy\s+on_success/);
    expect(listed.output).toMatch(/socle:up:production: \[prod\]\s+deploy\s+manual/);
    const template = fs.readFileSync(path.join(repo, ".gitlab-ci.yml"), "utf8");
    expect(template).toContain("resource_group: socle-stack-$STACK");
  });

  it("deploys the non-production stack on the default branch", async () => {
    const up = await pipeline([
      "socle:up: [dev]",
      ...labVariables({ CI_COMMIT_BRANCH: "main", CI_DEFAULT_BRANCH: "main" }),
    ]);
    expect(up.output).toContain("Resources:");
    expect(up.code).toBe(0);
    expect(up.output).toMatch(/\+ 2 created|2 created/);
  });

  it("on a merge request previews only the affected stack and publishes its note and report", async () => {
    git("checkout", "-qb", "grow-dev");
    stackConfig("dev", 20);
    setSecret("dev", "label", LABEL_AFTER);
    fs.writeFileSync(path.join(repo, "README.md"), "docs\n");
    git("add", "-A");
    git("commit", "-qm", "grow dev volume");

    const preview = await pipeline([
      "socle:preview",
      ...labVariables({
        CI_PIPELINE_SOURCE: "merge_request_event",
        CI_MERGE_REQUEST_IID: "7",
        CI_MERGE_REQUEST_DIFF_BASE_SHA: baseSha,
        CI_API_V4_URL: gitlab.apiUrl,
        CI_PROJECT_ID: "42",
        SOCLE_GITLAB_TOKEN: "glpat-test-secret",
      }),
    ]);
    expect(preview.output).toContain("dev: affected by stacks/Pulumi.dev.yaml");
    expect(preview.code).toBe(0);
    expect(preview.output).not.toContain("previewing stack prod");
    expect(gitlab.notes).toHaveLength(1);
    const note = gitlab.notes[0].body;
    expect(note.startsWith('<!-- socle-preview key="dev" part="1" -->')).toBe(true);
    expect(note).toContain("**1 to update**");
    expect(note).toContain("- size: 10");
    expect(note).toContain("+ size: 20");
    // The secret the change replaces and the new one: both masked (the stream masks the new one).
    expect(note).toContain("- label: [secret]\n+ label: [secret]");
    expect(note).not.toContain(LABEL_BEFORE);
    expect(note).not.toContain(LABEL_AFTER);
    // One terraform report per stack's job: the widget lists each.
    expect(jobReport("dev")).toEqual({ create: 0, update: 1, delete: 0 });
    expect(jobReport("prod")).toEqual({ create: 0, update: 0, delete: 0 });
    expect(preview.output).toMatch(/PASS\s+socle:preview: \[dev\]/);
    expect(preview.output).toMatch(/PASS\s+socle:preview: \[prod\]/);
    expect(preview.output).toContain("this merge request does not affect stack prod");
    expect(fs.readFileSync(path.join(repo, "affected-stacks.txt"), "utf8")).toBe("dev\n");
  });

  it("publishes a failed preview as such, updates the earlier note in place, and fails the job", async () => {
    // A shared file touches every stack; prod loses a required setting.
    fs.writeFileSync(path.join(repo, "naming.ts"), "export const prefix = 'chu';\n");
    fs.writeFileSync(path.join(repo, "stacks", "Pulumi.prod.yaml"), "config: {}\n");
    git("add", "-A");
    git("commit", "-qm", "shared code, broken prod config");
    const devNoteId = gitlab.notes[0].id;

    const preview = await pipeline([
      "socle:preview",
      ...labVariables({
        CI_PIPELINE_SOURCE: "merge_request_event",
        CI_MERGE_REQUEST_IID: "7",
        CI_MERGE_REQUEST_DIFF_BASE_SHA: baseSha,
        CI_API_V4_URL: gitlab.apiUrl,
        CI_PROJECT_ID: "42",
        SOCLE_GITLAB_TOKEN: "glpat-test-secret",
      }),
    ]);
    expect(preview.code).not.toBe(0);
    expect(fs.readFileSync(path.join(repo, "affected-stacks.txt"), "utf8")).toBe("dev\nprod\n");
    expect(gitlab.notes.map((n) => parseNoteMarker(n.body))).toEqual([
      { key: "dev", part: 1 },
      { key: "prod", part: 1 },
    ]);
    expect(gitlab.notes[0].id).toBe(devNoteId);
    const prodNote = gitlab.notes[1].body;
    expect(prodNote).toContain("❌ **The preview failed.**");
    expect(prodNote).toContain("glci:sizeGiB");
  });
});
