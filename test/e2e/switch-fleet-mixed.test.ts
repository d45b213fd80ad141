// Issue 15's engine proof for Comware 7: one SwitchFleet program with a Comware 5
// stack (5120 EI, a .bin) and a Comware 7 stack (5130 EI, an .ipe with its own
// firmware), `pulumi up` under the real engine against the switch lab; neither stack
// names its os: each is driven by the profile its display version selects, and a
// second preview has nothing to do.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSwitchLab, type SwitchLab } from "../../lab/switch";
import { changesIn, resourceOutputs, type ProgramStack } from "./harness";
import { openFleetProgram, standInImage } from "./switchFleetProgram";

const PASSWORD = "e2e-mixed-secret-51c2";

describe("mixed Comware 5 / Comware 7 fleet under the real engine", () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "socle-fleet-mixed-"));
  let lab: SwitchLab;
  let program: ProgramStack;

  const image = (fileName: string, bytes: number) => standInImage(scratch, fileName, bytes);

  beforeAll(async () => {
    lab = await startSwitchLab({
      dir: path.join(scratch, "lab"),
      rebootDelayMs: 200,
      switches: [
        { name: "mix-cw5", members: 2, password: PASSWORD },
        { name: "mix-cw7", members: 2, os: "comware7", password: PASSWORD },
      ],
    });
    program = await openFleetProgram({
      lab,
      password: PASSWORD,
      vlans: [{ id: 30, name: "bloc" }],
      imagePath: image("s5120ei-cmw520-r2221p25.bin", 256 * 1024),
      release: "2221P25",
      backupDirectory: path.join(scratch, "backups"),
      stackExtras: (sw) =>
        sw.os === "comware7"
          ? {
              firmware: { imagePath: image("5130ei-cmw710-r3507p18.ipe", 256 * 1024), release: "3507P18" },
            }
          : {},
    });
  });
  afterAll(async () => {
    await program?.dispose();
    await lab?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("previews without any os: every stack's firmware, configuration and backup are to be created", async () => {
    const preview = await program.stack.preview();
    const changes = changesIn(preview.changeSummary);
    expect(Object.keys(changes)).toEqual(["create"]);
    expect(changes.create).toBeGreaterThanOrEqual(6);
  });

  it("up installs each generation's image with its own commands, schedules both reboots and configures", async () => {
    const up = await program.stack.up();
    expect(up.summary.result).toBe("succeeded");
    const stacks = up.outputs.stacks.value as Record<string, { status: string; drift: string }>;
    expect(stacks["mix-cw5"]).toMatchObject({ status: "reboot-scheduled", drift: "" });
    expect(stacks["mix-cw7"]).toMatchObject({ status: "reboot-scheduled", drift: "" });

    const cw5 = lab.get("mix-cw5");
    expect(cw5.bootInfo().map((m) => m.main)).toEqual(Array(2).fill("s5120ei-cmw520-r2221p25.bin"));
    const cw7 = lab.get("mix-cw7");
    expect(cw7.bootInfo().map((m) => [m.main, m.backup])).toEqual(
      Array(2).fill(["5130ei-cmw710-system-r3507p18.bin", "5130ei-cmw710-system-r3506p10.bin"]),
    );
    // The package stays on the master only: Comware 7 unpacked it onto member 2 itself.
    expect(cw7.flashFiles(2).map((f) => f.name)).not.toContain("5130ei-cmw710-r3507p18.ipe");
    for (const sw of [cw5, cw7]) {
      expect(sw.scheduledReboot()).not.toBeNull();
      expect(sw.bootCount).toBe(0);
      expect(sw.savedConfig()).toMatch(/vlan 30\s+name bloc/);
      expect(sw.bareEntersAtQuestions).toBe(0);
    }
    const firmware = await resourceOutputs(program.stack, "mix-cw7-firmware");
    expect(firmware.runningModel).toMatch(/5130/);
  });

  it("has nothing to do on a second preview", async () => {
    const preview = await program.stack.preview();
    expect(changesIn(preview.changeSummary)).toEqual({});
  });
});
