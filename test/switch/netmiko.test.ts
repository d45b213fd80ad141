// A real third-party client checks the simulator: Netmiko's hp_comware driver
// (from PyPI, installed by scripts/setup-netmiko.sh) logs in, disables paging,
// reads `display version`, configures and saves.
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
    lab = await startSwitchLab({ dir, switches: [{ name: "psv-r1", members: 2 }] });
  });
  afterAll(async () => {
    await lab?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  // Async on purpose: the lab serves SSH from this process's event loop.
  it("connects, reads the version, configures a VLAN and saves", async () => {
    const sw = lab.switches[0];
    const { stdout: out } = await promisify(execFile)(
      netmikoPython(),
      [path.join(__dirname, "netmiko_check.py"), sw.host, String(sw.port), sw.username, sw.password],
      {
        encoding: "utf8",
        timeout: 120_000,
      },
    );
    const seen = JSON.parse(out) as Record<string, string>;
    expect(seen.prompt).toBe("<psv-r1>");
    expect(seen.version).toMatch(/Comware Software, Version 5\.20/);
    expect(seen.version).not.toMatch(/---- More ----/);
    expect(seen.config).toMatch(/\[psv-r1-vlan42\]/);
    expect(seen.save).toMatch(/successfully/i);
    expect(seen.vlan).toMatch(/vlan 42\s+name netmiko-check/);
    // What Netmiko saved is what the switch will boot with.
    expect(lab.get("psv-r1").savedConfig()).toMatch(/vlan 42\s+name netmiko-check/);
  });
});
