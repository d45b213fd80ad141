// The ChatOps service driven over HTTP exactly as Slack and Mattermost drive
// it: signed form posts (Slack's v0 HMAC with its timestamp), command tokens
// (Mattermost), and response URLs served here on 127.0.0.1. Behind it: the
// real pulumi CLI on a file backend, the real ansible-core, the SSH lab.
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSshLab, type SshLab } from "../../lab/ssh";
import { ansibleBinDir, ansibleEnv } from "../../ops/ansible";
import { readAudit } from "../../ops/chatops/audit";
import { ChatRole, type ChatOpsConfig } from "../../ops/chatops/policy";
import { startChatOps, type ChatOpsService } from "../../ops/chatops/service";
import { backendEnv, hostsProject, pulumiOk, upHostsStack } from "./cli";

const signingSecret = crypto.randomBytes(16).toString("hex");
const mattermostToken = crypto.randomBytes(12).toString("hex");
const sshSecret = "secret-key-material-7731";

let lab: SshLab;
let project: string;
let service: ChatOpsService;
let hooks: http.Server;
let hookUrl: string;
let config: ChatOpsConfig;
const savedEnv = { ...process.env };
const posts = new Map<string, { text: string }>();
const waiters = new Map<string, (body: { text: string }) => void>();

/** The text posted on response URL `id`, waiting for it up to `timeoutMs`. */
function posted(id: string, timeoutMs = 120_000): Promise<string> {
  const ready = posts.get(id);
  if (ready) return Promise.resolve(ready.text);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`nothing posted on response URL ${id}`)), timeoutMs);
    waiters.set(id, (body) => {
      clearTimeout(timer);
      resolve(body.text);
    });
  });
}

interface Answer {
  status: number;
  text: string;
}

async function slack(
  userId: string,
  text: string,
  hook: string,
  tamper: { secret?: string; ageSec?: number } = {},
): Promise<Answer> {
  const body = new URLSearchParams({
    token: "deprecated-verification-token",
    team_id: "T0001",
    user_id: userId,
    user_name: userId.toLowerCase(),
    command: "/socle",
    text,
    response_url: `${hookUrl}/${hook}`,
    trigger_id: "13345224609.738474920.8088930838d88f008e0",
  }).toString();
  const timestamp = String(Math.floor(Date.now() / 1000) - (tamper.ageSec ?? 0));
  const signature = `v0=${crypto
    .createHmac("sha256", tamper.secret ?? signingSecret)
    .update(`v0:${timestamp}:${body}`)
    .digest("hex")}`;
  const res = await fetch(`${service.url}/slack/commands`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-slack-request-timestamp": timestamp,
      "x-slack-signature": signature,
    },
    body,
  });
  const raw = await res.text();
  return { status: res.status, text: raw.startsWith("{") ? (JSON.parse(raw) as { text: string }).text : raw };
}

async function mattermost(
  userId: string,
  text: string,
  hook: string,
  token = mattermostToken,
): Promise<Answer> {
  const res = await fetch(`${service.url}/mattermost/commands`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      channel_id: "c1",
      command: "/socle",
      response_url: `${hookUrl}/${hook}`,
      team_domain: "dsi",
      text,
      token,
      user_id: userId,
      user_name: userId,
    }).toString(),
  });
  return { status: res.status, text: ((await res.json()) as { text: string }).text };
}

async function history(stack: string): Promise<{ result: string; startTime: string; endTime: string }[]> {
  return JSON.parse(await pulumiOk(project, {}, ["stack", "history", "--json", "--stack", stack]));
}

describe("ChatOps over HTTP (Slack and Mattermost)", () => {
  beforeAll(async () => {
    lab = await startSshLab({ count: 2 });
    const { project: dir, stateUrl } = hostsProject();
    project = dir;
    Object.assign(process.env, backendEnv(stateUrl), {
      SOCLE_ANSIBLE_BIN: ansibleBinDir(),
      SOCLE_INVENTORY_KEY_FILE: lab.keyFile,
      ANSIBLE_SSH_ARGS: `-o UserKnownHostsFile=${lab.knownHostsFile} -o StrictHostKeyChecking=yes -o ControlMaster=no`,
      ...ansibleEnv(),
    });
    const hosts = lab.hosts.map((h) => ({
      name: `clinic-${h.name}`,
      address: h.address,
      sshPort: h.port,
      sshUser: lab.user,
    }));
    for (const [stack, stackHosts, holdMs] of [
      ["clinic", hosts, 2500],
      ["clinic-prod", [], 0],
    ] as const) {
      await upHostsStack(project, {}, stack, { hosts: stackHosts, holdMs }, sshSecret);
    }
    const playbookDir = path.join(path.dirname(project), "playbooks");
    fs.mkdirSync(playbookDir);
    fs.writeFileSync(
      path.join(playbookDir, "ping.yml"),
      "- name: ping\n  hosts: all\n  gather_facts: false\n  tasks:\n    - name: ping\n      ansible.builtin.ping:\n",
    );
    config = {
      projectDir: project,
      stacks: ["clinic", "clinic-prod"],
      productionStacks: ["clinic-prod"],
      playbookDir,
      users: {
        "slack:UREADER": { name: "Rita Reader", role: ChatRole.Reader },
        "slack:UOPS": { name: "Omar Ops", role: ChatRole.Operator },
        "mattermost:mmops": { name: "Maud Ops", role: ChatRole.Operator, stacks: ["clinic"] },
      },
      auditLog: path.join(path.dirname(project), "audit.log"),
    };
    hooks = http.createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        const id = (req.url ?? "").slice(1);
        const parsed = JSON.parse(body) as { text: string };
        posts.set(id, parsed);
        waiters.get(id)?.(parsed);
        res.end("ok");
      });
    });
    await new Promise<void>((resolve) => hooks.listen(0, "127.0.0.1", resolve));
    hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}`;
    service = await startChatOps(config, {
      slackSigningSecret: signingSecret,
      mattermostTokens: [mattermostToken],
    });
  });

  afterAll(async () => {
    await service?.close();
    await new Promise((resolve) => hooks?.close(resolve));
    await lab?.close();
    process.env = savedEnv;
    if (project) fs.rmSync(path.dirname(project), { recursive: true, force: true });
  });

  it("refuses a bad signature, an old timestamp, a bad token, an unknown user and a reader asking for up; nothing runs", async () => {
    expect((await slack("UOPS", "up clinic", "bad-sig", { secret: "not-the-secret" })).status).toBe(401);
    expect((await slack("UOPS", "up clinic", "old", { ageSec: 600 })).status).toBe(401);
    expect(await mattermost("mmops", "up clinic", "bad-token", "wrong-token")).toEqual({
      status: 401,
      text: "refused: invalid command token",
    });
    expect(await slack("UNOBODY", "info clinic", "unknown")).toEqual({
      status: 200,
      text: "refused: unknown user slack:UNOBODY: ask an administrator to add you to the ChatOps users",
    });
    expect(await slack("UREADER", "up clinic", "reader")).toEqual({
      status: 200,
      text: "refused: Rita Reader is a reader: `up` needs the operator role",
    });
    expect((await mattermost("mmops", "up clinic-prod", "other-stack")).text).toBe(
      "refused: Maud Ops may update clinic, not clinic-prod",
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    for (const hook of ["bad-sig", "old", "bad-token", "unknown", "reader", "other-stack"])
      expect(posts.has(hook)).toBe(false);
    expect(await history("clinic")).toHaveLength(1);
    const audit = readAudit(config.auditLog!);
    expect(audit.map((e) => [e.user, e.event])).toEqual([
      ["slack:UNOBODY", "refused"],
      ["slack:UREADER", "refused"],
      ["mattermost:mmops", "refused"],
    ]);
  });

  it("info: outputs (secrets masked), last update, pending changes, on the response URL", async () => {
    const answer = await slack("UREADER", "info clinic", "info");
    expect(answer.text).toBe("`info clinic` accepted for Rita Reader: the answer follows here.");
    const text = await posted("info");
    expect(text).toMatch(
      /^\*clinic\*\nlast update: succeeded, .* \(create 1\)\npending changes \(preview --refresh\): same 1\n/,
    );
    expect(text).toContain("• environment: production");
    expect(text).toContain("• sshPrivateKey: [secret]");
    expect(text).not.toContain(sshSecret);
  });

  it("preview from Mattermost answers with the merge-request note", async () => {
    expect((await mattermost("mmops", "preview clinic", "preview")).status).toBe(200);
    const text = await posted("preview");
    expect(text).toContain("<!-- socle-preview");
    expect(text).toContain("clinic");
    expect(text).not.toContain(sshSecret);
  });

  it("serialises two concurrent ups of one stack from both platforms: both succeed, one after the other", async () => {
    const [a, b] = await Promise.all([
      slack("UOPS", "up clinic", "up-1"),
      mattermost("mmops", "up clinic", "up-2"),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(await posted("up-1")).toBe("up clinic succeeded: same 1");
    expect(await posted("up-2")).toBe("up clinic succeeded: same 1");
    const updates = await history("clinic");
    expect(updates.map((u) => u.result)).toEqual(["succeeded", "succeeded", "succeeded"]);
    // Newest first: the second started after the first ended.
    expect(Date.parse(updates[0].startTime)).toBeGreaterThanOrEqual(Date.parse(updates[1].endTime));
  });

  it("asks a confirmation code for a production stack and runs only with it", async () => {
    const first = await slack("UOPS", "up clinic-prod", "prod-ask");
    const code = /confirm ([0-9a-f]{6})`/.exec(first.text)?.[1];
    expect(first.text).toMatch(
      /^clinic-prod is a production stack: to update it, type `up clinic-prod confirm [0-9a-f]{6}` within 5 minutes$/,
    );
    expect((await slack("UOPS", "up clinic-prod confirm 000000", "prod-wrong")).text).toMatch(
      /^refused: wrong or expired confirmation code/,
    );
    expect((await slack("UOPS", `up clinic-prod confirm ${code}`, "prod-go")).text).toMatch(
      /accepted for Omar Ops/,
    );
    expect(await posted("prod-go")).toBe("up clinic-prod succeeded: same 1");
    expect(await history("clinic-prod")).toHaveLength(2);
    // A code serves once.
    expect((await slack("UOPS", `up clinic-prod confirm ${code}`, "prod-again")).text).toMatch(
      /^refused: wrong or expired/,
    );
  });

  it("runs a playbook on a group of the stacks' inventory over SSH, for operators only", async () => {
    expect((await slack("UREADER", "run ping stack_clinic", "run-reader")).text).toMatch(
      /needs the operator role/,
    );
    await slack("UOPS", "run ping stack_clinic", "run");
    expect(await posted("run")).toBe(
      "run ping on stack_clinic: ok on 2 hosts (clinic-host-1, clinic-host-2), 0 tasks changed",
    );
  });

  it("logs every action with who asked", () => {
    const audit = readAudit(config.auditLog!);
    const done = audit
      .filter((e) => e.event === "done")
      .map((e) => `${e.name}: ${e.text.replace(/[0-9a-f]{6}$/, "<code>")}`);
    expect(done.sort()).toEqual(
      [
        "Maud Ops: preview clinic",
        "Maud Ops: up clinic",
        "Omar Ops: run ping stack_clinic",
        "Omar Ops: up clinic",
        "Omar Ops: up clinic-prod confirm <code>",
        "Rita Reader: info clinic",
      ].sort(),
    );
    expect(audit.filter((e) => e.event === "confirm").map((e) => e.name)).toEqual(["Omar Ops"]);
    expect(JSON.stringify(audit)).not.toContain(sshSecret);
  });
});
