// A team adopting socle: the packed tarball installs in a new project, the
// examples typecheck against it, and the switch example previews under the
// real engine against the switch lab, using socle's compiled JavaScript.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engineEnv, repoRoot, toolchainBinDir } from "../../lab/engine";
import { startSwitchLab, type SwitchLab } from "../../lab/switch";

const run = promisify(execFile);
const examples = ["switch-fleet", "switch-backup", "openstack-bubble"];

describe("examples against the packed package", () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "socle-examples-"));
  let lab: SwitchLab;

  beforeAll(async () => {
    await run("npm", ["run", "build"], { cwd: repoRoot });
    const { stdout } = await run("npm", ["pack", "--silent", "--pack-destination", scratch], {
      cwd: repoRoot,
    });
    const tarball = path.join(scratch, stdout.trim().split("\n").pop() ?? "");
    expect(fs.existsSync(tarball)).toBe(true);
    // One install for all examples: they sit in folders under it, like a team's repository.
    const deps: Record<string, Record<string, string>> = { dependencies: {}, devDependencies: {} };
    for (const name of examples) {
      fs.cpSync(path.join(repoRoot, "examples", name), path.join(scratch, name), { recursive: true });
      const pkg = JSON.parse(
        fs.readFileSync(path.join(scratch, name, "package.json"), "utf8"),
      ) as typeof deps;
      Object.assign(deps.dependencies, pkg.dependencies, { socle: `file:${tarball}` });
      Object.assign(deps.devDependencies, pkg.devDependencies);
    }
    fs.writeFileSync(
      path.join(scratch, "package.json"),
      JSON.stringify({ name: "team-infra", private: true, ...deps }),
    );
    await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], {
      cwd: scratch,
    });
    lab = await startSwitchLab({
      dir: path.join(scratch, "lab"),
      switches: [{ name: "room-1", members: 2 }],
    });
  });
  afterAll(async () => {
    await lab?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("installs socle from the tarball with its compiled code and types", () => {
    const installed = path.join(scratch, "node_modules", "socle");
    expect(fs.existsSync(path.join(installed, "dist", "components", "network", "index.d.ts"))).toBe(true);
    expect(fs.existsSync(path.join(installed, "dist", "providers", "switch", "runtime.js"))).toBe(true);
    expect(fs.existsSync(path.join(installed, "test"))).toBe(false);
  });

  for (const name of examples) {
    it(`typechecks ${name}`, async () => {
      const tsc = path.join(scratch, "node_modules", ".bin", "tsc");
      await expect(run(tsc, ["-p", path.join(scratch, name, "tsconfig.json")])).resolves.toBeDefined();
    });
  }

  it("previews and brings up switch-fleet under the real engine against the lab", async () => {
    const sw = lab.switches[0];
    const image = path.join(scratch, "s5120ei-cmw520-r2221p25.bin");
    fs.writeFileSync(image, Buffer.alloc(1024 * 1024, 1));
    fs.mkdirSync(path.join(scratch, "state"));
    const envVars = engineEnv(path.join(scratch, "state"));
    const stack = await LocalWorkspace.createOrSelectStack(
      { stackName: "lab", workDir: path.join(scratch, "switch-fleet") },
      {
        envVars,
        pulumiHome: envVars.PULUMI_HOME,
        pulumiCommand: await PulumiCommand.get({ root: path.dirname(toolchainBinDir()) }),
      },
    );
    await stack.setAllConfig({
      stacks: {
        value: JSON.stringify([
          { name: sw.name, host: sw.host, port: sw.port, hostKeySha256: sw.hostKeyFingerprint },
        ]),
      },
      username: { value: sw.username },
      password: { value: sw.password, secret: true },
      imagePath: { value: image },
      release: { value: "2221P25" },
      backupDirectory: { value: path.join(scratch, "backups") },
    });
    const preview = await stack.preview();
    // The stack, the fleet component, and firmware + configuration + backup of the one switch.
    expect(preview.changeSummary.create).toBe(5);
    // And up, which runs socle's compiled provider code from the tarball on the switch.
    const up = await stack.up();
    expect(up.summary.result).toBe("succeeded");
    expect(sw.bootInfo().every((m) => m.main?.endsWith("s5120ei-cmw520-r2221p25.bin"))).toBe(true);
  });
});
