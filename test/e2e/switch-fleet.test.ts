// Issue 3's engine proof: `pulumi up` of three simulated IRF stacks, a second
// preview with nothing to do, a hand change seen as drift, an interrupted
// upgrade that resumes and converges, secrets absent from state, destroy.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSwitchLab, type SwitchLab } from "../../lab/switch";
import { changesIn, resourceCount, resourceOutputs, storedStateText, type ProgramStack } from "./harness";
import { openFleetProgram, standInImage } from "./switchFleetProgram";

const PASSWORD = "e2e-fleet-secret-7f3a";

describe("switch fleet under the real engine (3 simulated stacks)", () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "socle-fleet-"));
  let lab: SwitchLab;
  let program: ProgramStack;

  const image = (release: string, fileName: string, bytes: number) =>
    standInImage(scratch, fileName, bytes, release);

  beforeAll(async () => {
    lab = await startSwitchLab({
      dir: path.join(scratch, "lab"),
      rebootDelayMs: 200,
      switches: [
        { name: "room-a", members: 1, password: PASSWORD },
        { name: "room-b", members: 2, password: PASSWORD },
        { name: "room-c", members: 3, password: PASSWORD },
      ],
    });
    // A window that starts in two hours on the lab clock: the reboot must wait for it.
    program = await openFleetProgram({
      lab,
      password: PASSWORD,
      vlans: [
        { id: 10, name: "urgences" },
        { id: 20, name: "imagerie" },
      ],
      imagePath: image("2221P25", "s5120ei-cmw520-r2221p25.bin", 2 * 1024 * 1024),
      release: "2221P25",
      backupDirectory: path.join(scratch, "backups"),
    });
  });
  afterAll(async () => {
    await program?.dispose();
    await lab?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("up installs the image on every member, schedules the reboot in the window and configures", async () => {
    const up = await program.stack.up();
    expect(up.summary.result).toBe("succeeded");
    const stacks = up.outputs.stacks.value as Record<
      string,
      { status: string; runningRelease: string; drift: string }
    >;
    for (const sw of lab.switches) {
      expect(stacks[sw.name].status).toBe("reboot-scheduled");
      expect(stacks[sw.name].drift).toBe("");
      expect(sw.bootInfo().every((m) => m.main?.endsWith("s5120ei-cmw520-r2221p25.bin"))).toBe(true);
      expect(sw.bootInfo().every((m) => m.backup?.endsWith("s5120ei-cmw520-r2208p01.bin"))).toBe(true);
      expect(sw.scheduledReboot()).not.toBeNull();
      expect(sw.bootCount).toBe(0); // nothing rebooted outside the window
      expect(sw.savedConfig()).toMatch(/vlan 20\s+name imagerie/);
    }
    expect(fs.readdirSync(path.join(scratch, "backups", "room-c")).some((f) => f.endsWith(".cfg"))).toBe(
      true,
    );

    // What the switch reports is recorded beside the inputs, never over them.
    const firmware = await resourceOutputs(program.stack, "room-a-firmware");
    expect(firmware.runningModel).toMatch(/5120/);
    expect(firmware.release).toBe("2221P25");
  });

  it("keeps the password out of the stored state in clear, and marks it secret", async () => {
    const stored = storedStateText(program.backendDir);
    expect(stored.includes(PASSWORD)).toBe(false);
    expect(stored).toMatch(/"password":\s*\{\s*"4dabf18193072939515e22adb298388d"/); // Pulumi's secret signature
  });

  it("has nothing to do on a second preview", async () => {
    const preview = await program.stack.preview();
    expect(changesIn(preview.changeSummary)).toEqual({});
  });

  it("sees a change made by hand as drift, and up puts it back", async () => {
    lab.get("room-b").configureByHand(["vlan 20", "name pirate"]);
    const refresh = await program.stack.refresh();
    expect(refresh.summary.resourceChanges?.update).toBeGreaterThanOrEqual(1);
    const drift = String((await resourceOutputs(program.stack, "room-b-config")).drift);
    expect(drift).toMatch(/name imagerie/);
    expect(drift).not.toMatch(/sysname|clock|uptime/i); // only meaningful lines

    // The configuration is put back, and the backup notices the configuration moved.
    const preview = await program.stack.preview();
    expect(preview.changeSummary.update).toBe(2);
    await program.stack.up();
    expect(lab.get("room-b").runningConfig()).toMatch(/vlan 20\s+name imagerie/);
    expect(changesIn((await program.stack.preview()).changeSummary)).toEqual({});
  });

  it("resumes an upgrade interrupted mid-upload and converges", async () => {
    const next = image("2222P01", "s5120ei-cmw520-r2222p01.bin", 6 * 1024 * 1024);
    await program.stack.setConfig("imagePath", { value: next });
    await program.stack.setConfig("release", { value: "2222P01" });
    lab.get("room-a").setFaults({ dropAfterUploadBytes: 3 * 1024 * 1024 });

    await expect(program.stack.up()).rejects.toThrow(/room-a/);
    // Nothing half-switched: the stack still boots the image it had.
    expect(
      lab
        .get("room-a")
        .bootInfo()
        .every((m) => m.main?.endsWith("r2221p25.bin")),
    ).toBe(true);

    const up = await program.stack.up();
    expect(up.summary.result).toBe("succeeded");
    const resumed = up.outputs.stacks.value as Record<string, unknown>;
    expect(resumed["room-a"]).toBeDefined();
    const state = JSON.stringify(await program.stack.exportStack());
    expect(state).toMatch(/"lastUploadResumedFrom":\s*[1-9]/);
    for (const sw of lab.switches) {
      expect(sw.bootInfo().every((m) => m.main?.endsWith("s5120ei-cmw520-r2222p01.bin"))).toBe(true);
    }
    expect(changesIn((await program.stack.preview()).changeSummary)).toEqual({});
  });

  it("destroy forgets the stacks and leaves the switches running", async () => {
    const destroy = await program.stack.destroy();
    expect(destroy.summary.result).toBe("succeeded");
    expect(await resourceCount(program.stack)).toBe(0);
    expect(lab.get("room-a").runningConfig()).toMatch(/vlan 10/);
  });
});
