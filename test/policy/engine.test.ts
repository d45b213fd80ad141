// The policy pack under the real engine: `pulumi preview --policy-pack` on a
// program with a switch firmware resource (a dynamic resource, the only kind
// of provider that runs here).
//
// The engine (3.259) starts a nodejs policy pack through the language host's
// RunPlugin, which the language host we can build (SDK 3.68) does not have.
// The engine still has its older launcher, `pulumi-analyzer-policy-<runtime>`
// on PATH, used for runtimes without a language host: the test copies the
// pack's files with runtime "socle-nodejs" and puts a two-line launcher for it
// on PATH. The policy code run is the same; only the way it is started differs.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engineEnv, repoRoot } from "../../lab/engine";

const run = promisify(execFile);
let scratch: string;
let programDir: string;
let packDir: string;
let env: NodeJS.ProcessEnv;

const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
const provider: pulumi.dynamic.ResourceProvider = {
  async create(inputs) { return { id: "fw-1", outs: inputs }; },
};
class SwitchFirmware extends pulumi.dynamic.Resource {
  constructor(name: string, args: Record<string, unknown>) { super(provider, name, args); }
}
const config = new pulumi.Config();
const window = config.getObject<{ start: string; end: string }>("maintenanceWindow");
new SwitchFirmware("core-irf-firmware", {
  socleKind: "switch-firmware",
  host: "10.0.0.2",
  firmwareFile: "s5120ei-cmw520-r2221p25.bin",
  ...(window ? { maintenanceWindow: window } : {}),
});
`;

async function preview(extraArgs: string[] = []): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(
      "pulumi",
      ["preview", "--non-interactive", "--policy-pack", packDir, ...extraArgs],
      {
        cwd: programDir,
        env,
      },
    );
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

async function pulumi(...args: string[]): Promise<void> {
  await run("pulumi", args, { cwd: programDir, env });
}

beforeAll(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "socle-policy-"));
  programDir = path.join(scratch, "program");
  packDir = path.join(scratch, "pack");
  const binDir = path.join(scratch, "bin");
  const state = path.join(scratch, "state");
  for (const dir of [programDir, packDir, binDir, state]) fs.mkdirSync(dir);

  fs.writeFileSync(
    path.join(programDir, "Pulumi.yaml"),
    "name: policy-e2e\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n",
  );
  fs.writeFileSync(path.join(programDir, "index.ts"), PROGRAM);
  fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(programDir, "node_modules"));

  const policyDir = path.join(repoRoot, "policy");
  for (const file of fs.readdirSync(policyDir)) {
    if (file.endsWith(".ts") || file === "package.json")
      fs.copyFileSync(path.join(policyDir, file), path.join(packDir, file));
  }
  const manifest = fs.readFileSync(path.join(policyDir, "PulumiPolicy.yaml"), "utf8");
  expect(manifest).toMatch(/^runtime: nodejs$/m);
  fs.writeFileSync(
    path.join(packDir, "PulumiPolicy.yaml"),
    manifest.replace(/^runtime: nodejs$/m, "runtime: socle-nodejs"),
  );
  fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(packDir, "node_modules"));
  const launcher = path.join(binDir, "pulumi-analyzer-policy-socle-nodejs");
  fs.writeFileSync(
    launcher,
    '#!/bin/sh\nexec node ./node_modules/@pulumi/pulumi/cmd/run-policy-pack "$@"\n',
    { mode: 0o755 },
  );

  const engine = engineEnv(state);
  env = { ...process.env, ...engine, PATH: `${binDir}${path.delimiter}${engine.PATH}` };
  await pulumi("stack", "init", "dev");
}, 120_000);

afterAll(() => {
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

describe("the policy pack under pulumi preview", () => {
  it("fails the preview of a switch firmware resource without maintenance window, naming it and the fix", async () => {
    const result = await preview();
    expect(result.code).not.toBe(0);
    expect(result.output).toContain("[mandatory]  switch-reboot-in-window");
    expect(result.output).toContain(
      '"core-irf-firmware" may reboot the switch but has no maintenanceWindow: set maintenanceWindow',
    );
  });

  it("passes once the resource has a window", async () => {
    await pulumi("config", "set", "--path", "maintenanceWindow.start", "02:00");
    await pulumi("config", "set", "--path", "maintenanceWindow.end", "04:00");
    const result = await preview();
    expect(result.output).not.toContain("switch-reboot-in-window");
    expect(result.code).toBe(0);
    await pulumi("config", "rm", "maintenanceWindow");
  });

  it("a suppression with a reason lets the preview pass and shows in it", async () => {
    const config = path.join(scratch, "policy-config.json");
    const reason = "lab stack: the simulated switch reboots instantly; agreed by the network team 2026-11";
    fs.writeFileSync(
      config,
      JSON.stringify({
        "socle-suppressions": {
          suppressions: [{ policy: "switch-reboot-in-window", resource: "core-irf-firmware", reason }],
        },
      }),
    );
    const result = await preview(["--policy-pack-config", config]);
    expect(result.code).toBe(0);
    expect(result.output).toContain("[advisory]  socle-suppressions");
    expect(result.output).toContain("SUPPRESSED switch-reboot-in-window");
    expect(result.output).toContain(`Reason given: ${reason}`);
  });

  it("a suppression without a written reason is refused", async () => {
    const config = path.join(scratch, "policy-config-noreason.json");
    fs.writeFileSync(
      config,
      JSON.stringify({
        "socle-suppressions": {
          suppressions: [
            { policy: "switch-reboot-in-window", resource: "core-irf-firmware", reason: "todo" },
          ],
        },
      }),
    );
    const result = await preview(["--policy-pack-config", config]);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/reason/i);
    expect(result.output).not.toContain("SUPPRESSED");
  });
});
