// An IRF split on the very first `pulumi up` of a stack (no stored state to tell
// which members it had): the fleet declares the stack's irfMembers, the lab's
// splitMembers fault cuts member 3 off, and the engine's create of the firmware
// names the split before any change. Healed, the same up converges.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSwitchLab, type SwitchLab } from "../../lab/switch";
import type { ProgramStack } from "./harness";
import { openFleetProgram, standInImage } from "./switchFleetProgram";

const PASSWORD = "e2e-split-secret-7d41";

describe("an IRF split on the first up, under the real engine", () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "socle-fleet-split-"));
  let lab: SwitchLab;
  let program: ProgramStack;

  beforeAll(async () => {
    lab = await startSwitchLab({
      dir: path.join(scratch, "lab"),
      rebootDelayMs: 200,
      switches: [{ name: "split-r1", members: 3, password: PASSWORD }],
    });
    program = await openFleetProgram({
      lab,
      password: PASSWORD,
      vlans: [{ id: 40, name: "labo" }],
      imagePath: standInImage(scratch, "s5120ei-cmw520-r2221p25.bin", 128 * 1024),
      release: "2221P25",
      backupDirectory: path.join(scratch, "backups"),
      stackExtras: () => ({ irfMembers: [1, 2, 3] }),
    });
  });
  afterAll(async () => {
    await program?.dispose();
    await lab?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("names the split before any change, then converges once the stack is whole again", async () => {
    const sw = lab.get("split-r1");
    sw.setFaults({ splitMembers: [3] });
    const before = sw.bootInfo();
    await expect(program.stack.up()).rejects.toThrow(
      /IRF split on split-r1: member\(s\) 3 missing from display irf \(present: 1, 2\)/,
    );
    expect(sw.bootInfo()).toEqual(before);
    expect(sw.flashFiles(1).map((f) => f.name)).not.toContain("s5120ei-cmw520-r2221p25.bin");
    // The configuration waits for the firmware step: nothing was configured either.
    expect(sw.runningConfig()).not.toMatch(/vlan 40/);

    sw.setFaults({});
    const up = await program.stack.up();
    expect(up.summary.result).toBe("succeeded");
    expect(sw.bootInfo().map((m) => m.main)).toEqual(Array(3).fill("s5120ei-cmw520-r2221p25.bin"));
  });
});
