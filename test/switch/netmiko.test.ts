// A real third-party client checks the simulator: Netmiko's hp_comware driver
// (from PyPI, installed by scripts/setup-netmiko.sh) logs in, disables paging,
// reads `display version`, configures and saves, on a Comware 5 (5120 EI) and a
// Comware 7 (5130 EI) lab switch; its autodetection must call both hp_comware.
import { execFile, execFileSync } from "node:child_process";
import { promisify } from "node:util";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSwitchLab, type SwitchLab } from "../../lab/switch";
import { repoRoot } from "../../lab/engine";

function netmikoPython(): string {
  // ./socle test provides it; a direct vitest run builds it (cached) the same way.
  return (
    process.env.SOCLE_NETMIKO_PYTHON ??
    execFileSync("bash", [path.join(repoRoot, "scripts", "setup-netmiko.sh")], { encoding: "utf8" }).trim()
  );
}

describe("Netmiko hp_comware against the switch simulator", () => {
  let lab: SwitchLab;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "socle-netmiko-"));

  beforeAll(async () => {
    lab = await startSwitchLab({
      dir,
      switches: [
        { name: "psv-r1", members: 2 },
        { name: "psv-c7", members: 3, os: "comware7" },
      ],
    });
  });
  afterAll(async () => {
    await lab?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  // Async on purpose: the lab serves SSH from this process's event loop.
  it.concurrent.each([
    ["psv-r1", /Comware Software, Version 5\.20/, /^Switch\s+Role/m],
    ["psv-c7", /HPE Comware Software, Version 7\.1\.070/, /^MemberID\s+Role[\s\S]*Standby/m],
  ])(
    "%s: connects, reads the version and IRF, configures a VLAN and saves",
    async (name, version, irf) => {
      const sw = lab.get(name);
      const { stdout: out } = await promisify(execFile)(
        netmikoPython(),
        [path.join(__dirname, "netmiko_check.py"), sw.host, String(sw.port), sw.username, sw.password],
        {
          encoding: "utf8",
          timeout: 120_000,
        },
      );
      const seen = JSON.parse(out) as Record<string, string>;
      expect(seen.detected).toBe("hp_comware");
      expect(seen.prompt).toBe(`<${name}>`);
      expect(seen.version).toMatch(version);
      expect(seen.irf).toMatch(irf);
      expect(seen.version).not.toMatch(/---- More ----/);
      expect(seen.config).toMatch(new RegExp(`\\[${name}-vlan42\\]`));
      expect(seen.save).toMatch(/successfully/i);
      expect(seen.vlan).toMatch(/vlan 42\s+name netmiko-check/);
      // What Netmiko saved is what the switch will boot with.
      expect(sw.savedConfig()).toMatch(/vlan 42\s+name netmiko-check/);
    },
    150_000,
  );
});
