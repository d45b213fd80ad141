// socle-gitlab against a GitLab stand-in on loopback: every API call is
// checked (path, auth header, body), and notes are updated in place.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../../delivery/cli";
import { startFakeGitLab, type FakeGitLab } from "./fakeGitLab";

const repoRoot = path.resolve(__dirname, "..", "..");
const fixture = path.join(repoRoot, "test", "unit", "delivery", "fixtures", "preview-mixed.json");
const PROJECT = "42";
const MR = "7";
const NOTES_PATH = `/api/v4/projects/${PROJECT}/merge_requests/${MR}/notes`;
const TOKEN = "glpat-test-secret";

let gitlab: FakeGitLab;
let scratch: string;

beforeEach(async () => {
  gitlab = await startFakeGitLab(PROJECT, MR);
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "socle-gitlab-"));
});
afterEach(async () => {
  await gitlab.close();
  fs.rmSync(scratch, { recursive: true, force: true });
});

function ciEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    CI_API_V4_URL: gitlab.apiUrl,
    CI_PROJECT_ID: PROJECT,
    CI_MERGE_REQUEST_IID: MR,
    SOCLE_GITLAB_TOKEN: TOKEN,
    CI_COMMIT_SHA: "0123456789abcdef0123",
    ...extra,
  };
}

async function cli(args: string[], env = ciEnv()) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, env, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    readStdin: () => "",
  });
  return { code, stdout, stderr };
}

/** A copy of the fixture with one value changed, as the next push would produce. */
function editedFixture(from: string, to: string): string {
  const file = path.join(scratch, `edited-${Date.now()}.json`);
  fs.writeFileSync(file, fs.readFileSync(fixture, "utf8").replace(from, to));
  return file;
}

describe("socle-gitlab publish", () => {
  it("creates the note, then updates it in place on the next push, then leaves it alone", async () => {
    const first = await cli(["publish", fixture, "--terraform-report", path.join(scratch, "tfplan.json")]);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(
      "dlv-sample/dev: 1 created, 0 updated, 0 unchanged, 0 removed note(s) on !7",
    );

    const [list, post] = gitlab.calls;
    expect(list.method).toBe("GET");
    expect(list.path).toBe(NOTES_PATH);
    expect(list.query.get("per_page")).toBe("100");
    expect(list.headers["private-token"]).toBe(TOKEN);
    expect(list.headers["job-token"]).toBeUndefined();
    expect(post.method).toBe("POST");
    expect(post.path).toBe(NOTES_PATH);
    expect(post.headers["private-token"]).toBe(TOKEN);
    expect(post.headers["content-type"]).toBe("application/json");
    const body = (post.body as { body: string }).body;
    expect(body.startsWith('<!-- socle-preview key="dlv-sample/dev" part="1" -->')).toBe(true);
    expect(body).toContain("**1 to replace**");
    expect(body).toContain("commit `0123456789ab`");
    expect(body).not.toContain("plainpw");
    expect(JSON.parse(fs.readFileSync(path.join(scratch, "tfplan.json"), "utf8"))).toEqual({
      create: 4,
      update: 2,
      delete: 2,
    });

    const noteId = gitlab.notes[0].id;
    gitlab.calls.length = 0;
    const second = await cli(["publish", editedFixture('"value": "v2"', '"value": "v3"')]);
    expect(second.code).toBe(0);
    expect(gitlab.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      `GET ${NOTES_PATH}`,
      `PUT ${NOTES_PATH}/${noteId}`,
    ]);
    expect((gitlab.calls[1].body as { body: string }).body).toContain('+ value: "v3"');
    expect(gitlab.notes).toHaveLength(1);

    gitlab.calls.length = 0;
    const third = await cli(["publish", editedFixture('"value": "v2"', '"value": "v3"')]);
    expect(third.stdout).toContain("0 created, 0 updated, 1 unchanged");
    expect(gitlab.calls.map((c) => c.method)).toEqual(["GET"]);
  });

  it("finds its note among many others across pages, ignoring look-alikes of other stacks", async () => {
    for (let i = 0; i < 230; i++) gitlab.notes.push({ id: i + 1, body: `LGTM ${i}`, system: i % 3 === 0 });
    gitlab.notes.push({
      id: 500,
      body: '<!-- socle-preview key="dlv-sample/prod" part="1" -->\nold prod',
      system: false,
    });
    gitlab.notes.push({
      id: 501,
      body: '<!-- socle-preview key="dlv-sample/dev" part="1" -->\nold dev',
      system: false,
    });
    const result = await cli(["publish", fixture]);
    expect(result.code).toBe(0);
    const pages = gitlab.calls.filter((c) => c.method === "GET").map((c) => c.query.get("page"));
    expect(pages).toEqual(["1", "2", "3"]);
    const writes = gitlab.calls.filter((c) => c.method !== "GET");
    expect(writes.map((c) => `${c.method} ${c.path}`)).toEqual([`PUT ${NOTES_PATH}/501`]);
    expect(gitlab.notes.find((n) => n.id === 500)?.body).toContain("old prod");
  });

  it("splits into several notes under a small limit, and removes parts no longer needed", async () => {
    const split = await cli(["publish", fixture, "--max-note-chars", "700"]);
    expect(split.code).toBe(0);
    const parts = gitlab.notes.length;
    expect(parts).toBeGreaterThan(2);
    expect(gitlab.notes.every((n) => n.body.length <= 700)).toBe(true);
    expect(gitlab.notes.map((n) => /part="(\d+)"/.exec(n.body)?.[1])).toEqual(
      Array.from({ length: parts }, (_, i) => String(i + 1)),
    );

    gitlab.calls.length = 0;
    const whole = await cli(["publish", fixture]);
    expect(whole.stdout).toContain(`0 created, 1 updated, 0 unchanged, ${parts - 1} removed`);
    expect(gitlab.calls.filter((c) => c.method === "DELETE")).toHaveLength(parts - 1);
    expect(gitlab.notes).toHaveLength(1);
  });

  it("sends CI_JOB_TOKEN as JOB-TOKEN when no access token is set", async () => {
    const result = await cli(
      ["publish", fixture],
      ciEnv({ SOCLE_GITLAB_TOKEN: undefined, CI_JOB_TOKEN: "job-test-secret" }),
    );
    expect(result.code).toBe(0);
    for (const call of gitlab.calls) {
      expect(call.headers["job-token"]).toBe("job-test-secret");
      expect(call.headers["private-token"]).toBeUndefined();
    }
  });

  it("retries 5xx and 429 answers, then succeeds", async () => {
    gitlab.failNext([502, 429, 503]);
    const result = await cli(["publish", fixture, "--retry-base-ms", "1"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(gitlab.calls.map((c) => c.method)).toEqual(["GET", "GET", "GET", "GET", "POST"]);
    expect(gitlab.notes).toHaveLength(1);
  });

  it("gives up after five attempts with a message naming the call", async () => {
    gitlab.failNext([500, 500, 500, 500, 500]);
    const result = await cli(["publish", fixture, "--retry-base-ms", "1"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`GET ${gitlab.apiUrl}/projects/42/merge_requests/7/notes`);
    expect(result.stderr).toContain("failed after 5 attempts (last: HTTP 500)");
    expect(gitlab.notes).toHaveLength(0);
  });

  it("does not retry a refused token, and never prints the token", async () => {
    const result = await cli(["publish", fixture], ciEnv({ SOCLE_GITLAB_TOKEN: "glpat-wrong-value" }));
    expect(result.code).toBe(1);
    expect(gitlab.calls).toHaveLength(1);
    expect(result.stderr).toContain("HTTP 401");
    expect(result.stderr).toContain("SOCLE_GITLAB_TOKEN");
    expect(result.stderr).not.toContain("glpat-wrong-value");
  });

  it("names every missing CI variable and how to get it", async () => {
    const result = await cli(["publish", fixture], { CI_API_V4_URL: gitlab.apiUrl });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("CI_PROJECT_ID");
    expect(result.stderr).toMatch(/CI_MERGE_REQUEST_IID \(only set in merge request pipelines/);
    expect(result.stderr).toContain("SOCLE_GITLAB_TOKEN (a project access token with the `api` scope");
    expect(gitlab.calls).toHaveLength(0);
  });

  it("explains a missing or non-JSON preview file", async () => {
    const missing = await cli(["publish", path.join(scratch, "nope.json")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.json does not exist: write it with `pulumi preview --json/);
    const text = path.join(scratch, "dev.json");
    fs.writeFileSync(text, "Previewing update (dev):\n");
    expect((await cli(["publish", text])).stderr).toContain("is not JSON");
    expect((await cli(["frobnicate"])).code).toBe(2);
  });
});

describe("socle-gitlab as a process", () => {
  it("runs from the command line: report and affected", async () => {
    const run = promisify(execFile);
    const tsx = path.join(repoRoot, "node_modules", ".bin", "tsx");
    const cliPath = path.join(repoRoot, "delivery", "cli.ts");
    const report = await run(tsx, [cliPath, "report", fixture]);
    expect(JSON.parse(report.stdout)).toEqual({ create: 4, update: 2, delete: 2 });

    const changed = path.join(scratch, "changed.txt");
    fs.writeFileSync(changed, "stacks/Pulumi.prod.yaml\nREADME.md\n");
    const affected = await run(tsx, [
      cliPath,
      "affected",
      "--stacks",
      "dev,prod",
      "--changed-files",
      changed,
    ]);
    expect(affected.stdout).toBe("prod\n");
    expect(affected.stderr).toContain("prod: affected by stacks/Pulumi.prod.yaml");
  });
});

describe("socle-gitlab render", () => {
  it("turns an empty preview of a named stack into a failure note", async () => {
    const empty = path.join(scratch, "prod.json");
    fs.writeFileSync(empty, "");
    const result = await cli(["render", `prod=${empty}`]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("❌ **The preview failed.**");
    expect(result.stdout).toContain("printed no JSON");
    expect(result.stdout).toContain("stack `prod`");
    expect((await cli(["render", empty])).stderr).toContain("is not JSON");
  });
});
