// Team state in PostgreSQL: two operators (say a laptop and a pipeline, each
// with its own checkout) update one stack at the same time through the real
// CLI against a real PostgreSQL server on loopback. The second meets the lock
// and fails naming it; the state stays whole; the history keeps both updates;
// the stack's secret is never readable in the database.
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPostgresLab, type PostgresLab } from "../../lab/postgres";
import { backendEnv, checkout, pulumi, pulumiOk } from "./cli";

const program = path.join(__dirname, "programs", "shared-state");
const stackName = `shared-${crypto.randomBytes(3).toString("hex")}`;
const apiToken = `tok-${crypto.randomBytes(12).toString("hex")}`;

let pg: PostgresLab;
let env: Record<string, string>;
/** The pipeline's environment: the URL without password, the password in PGPASSWORD (a masked CI variable). */
let ciEnv: Record<string, string>;
let laptop: string;
let pipeline: string;

async function waitForLock(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const locks = await pg.query("SELECT key FROM pulumi_state WHERE key LIKE '%/locks/%'").catch(() => "");
    if (locks.includes(stackName)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no lock for ${stackName} appeared in pulumi_state within ${timeoutMs} ms`);
}

describe("PostgreSQL state backend", () => {
  beforeAll(async () => {
    pg = await startPostgresLab();
    env = backendEnv(pg.url);
    ciEnv = { ...backendEnv(pg.urlWithoutPassword), PGPASSWORD: pg.password };
    laptop = checkout(program);
    pipeline = checkout(program);
    await pulumiOk(laptop, env, ["stack", "init", stackName]);
    await pulumiOk(laptop, env, ["config", "set", "--secret", "apiToken", apiToken, "--stack", stackName]);
    // The pipeline's checkout carries the same stack file (encryption salt, secret).
    fs.copyFileSync(
      path.join(laptop, `Pulumi.${stackName}.yaml`),
      path.join(pipeline, `Pulumi.${stackName}.yaml`),
    );
    await pulumiOk(laptop, env, ["config", "set", "operator", "laptop", "--stack", stackName]);
    await pulumiOk(laptop, env, ["config", "set", "holdMs", "6000", "--stack", stackName]);
    await pulumiOk(pipeline, ciEnv, ["config", "set", "operator", "pipeline", "--stack", stackName]);
    await pulumiOk(pipeline, ciEnv, ["config", "set", "holdMs", "0", "--stack", stackName]);
  });

  afterAll(async () => {
    if (laptop) await pulumi(laptop, env, ["stack", "rm", "--yes", "--force", stackName]);
    for (const dir of [laptop, pipeline])
      if (dir) fs.rmSync(path.dirname(dir), { recursive: true, force: true });
    await pg?.close();
  });

  it("serialises two concurrent ups: the second fails on the lock, then both land in the history", async () => {
    const first = pulumi(laptop, env, ["up", "--yes", "--skip-preview", "--stack", stackName]);
    await waitForLock(60_000);
    const second = await pulumi(pipeline, ciEnv, ["up", "--yes", "--skip-preview", "--stack", stackName]);
    expect(second.code).not.toBe(0);
    expect(second.stderr + second.stdout).toMatch(/currently locked by 1 lock/);

    const firstResult = await first;
    expect(firstResult.code, firstResult.stderr).toBe(0);
    // The lock is gone once the first update ends; the pipeline's retry goes through.
    expect(await pg.query("SELECT count(*) FROM pulumi_state WHERE key LIKE '%/locks/%'")).toBe("0\n");
    await pulumiOk(pipeline, ciEnv, ["up", "--yes", "--skip-preview", "--stack", stackName]);

    const outputs = JSON.parse(
      await pulumiOk(laptop, env, ["stack", "output", "--json", "--show-secrets", "--stack", stackName]),
    );
    expect(outputs).toEqual({ operator: "pipeline", apiToken });
    const history = JSON.parse(
      await pulumiOk(laptop, env, ["stack", "history", "--json", "--stack", stackName]),
    ) as {
      kind: string;
      result: string;
      config: Record<string, { value: string }>;
    }[];
    expect(history.map((h) => [h.kind, h.result])).toEqual([
      ["update", "succeeded"],
      ["update", "succeeded"],
    ]);
    // Newest first: the pipeline's update, then the laptop's.
    expect(history.map((h) => h.config[`shared-state:operator`]?.value)).toEqual(["pipeline", "laptop"]);
    // The checkpoint in the database is a whole deployment another client can read.
    const exported = JSON.parse(await pulumiOk(laptop, env, ["stack", "export", "--stack", stackName])) as {
      deployment: { resources: { type: string }[] };
    };
    expect(exported.deployment.resources.map((r) => r.type)).toContain("pulumi:pulumi:Stack");
  });

  it("keeps the stack's secret encrypted in every row of the database", async () => {
    // Each row is a file of the state: {"data": base64 of its content}.
    const rows = await pg.query("SELECT key || ' ' || (data->>'data') FROM pulumi_state");
    const everything = rows
      .trim()
      .split("\n")
      .map((row) => {
        const [key, data] = row.split(" ");
        return `${key}\n${Buffer.from(data ?? "", "base64").toString("utf8")}`;
      })
      .join("\n");
    expect(everything).toContain(`"operator":"pipeline"`);
    expect(everything).toContain("ciphertext");
    expect(everything).not.toContain(apiToken);
    expect(rows).not.toContain(apiToken);
  });
});
