// The Comware 7 lab switch (5130 EI style IRF) driven by the provider's session with the
// comware7 profile over real SSH and SFTP: what it prints parses with the profile's parsers,
// the .ipe is verified with the device's own sha256sum/md5sum, boot-loader sets every
// member's boot/system pair, save force and scheduler reboot work, and the stack reboots
// into the new release.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  cancelScheduledReboot,
  readScheduledReboot,
  saveConfiguration,
} from "../../providers/switch/operations/device";
import { readFirmwareState, upgradeFirmware } from "../../providers/switch/operations/firmware";
import { memberRunningRelease } from "../../providers/switch/parsers/version";
import { comware7, ipeImages } from "../../providers/switch/profiles/comware7";
import { SwitchSession, type SessionOptions } from "../../providers/switch/session";
import { makeImage, startLab, targetFor, type LabFixture } from "./labHelpers";

const NEW_IPE = "5130ei-cmw710-r3507p18.ipe";

describe("Comware 7 lab switch with the comware7 profile", () => {
  let fx: LabFixture;
  const opts = (name: string): SessionOptions => {
    const t = targetFor(fx.lab.get(name));
    return { ...t, profile: comware7 };
  };

  beforeAll(async () => {
    fx = await startLab([
      { name: "c7a", os: "comware7", members: 4 },
      { name: "c7b", os: "comware7" },
      { name: "c5", members: 2 },
      { name: "c7up", os: "comware7", members: 3 },
    ]);
  });
  afterAll(async () => {
    await fx?.close();
  });

  it("validates the inventory: 1 to 4 members on Comware 7, 1 to 3 on Comware 5, a known os", async () => {
    await expect(startLab([{ name: "x", os: "comware7", members: 5 }])).rejects.toThrow(
      /members must be 1 to 4 on comware7/,
    );
    await expect(startLab([{ name: "x", members: 4 }])).rejects.toThrow(/members must be 1 to 3 on comware5/);
    // @ts-expect-error -- an OS the lab does not imitate, as a JSON inventory could give
    await expect(startLab([{ name: "x", os: "comware9" }])).rejects.toThrow(
      /os must be "comware5" or "comware7"/,
    );
    expect(fx.lab.manifest.switches.map((s) => [s.name, s.os, s.members])).toEqual([
      ["c7a", "comware7", 4],
      ["c7b", "comware7", 1],
      ["c5", "comware5", 2],
      ["c7up", "comware7", 3],
    ]);
  });

  it("screen-length disable answers nothing, and the outputs parse as Comware 7", async () => {
    const s = await SwitchSession.connect(opts("c7a"));
    try {
      expect(s.pagingDisabled).toBe(true);
      expect((await s.run("screen-length disable")).trim()).toBe("");
      const version = comware7.parsers.version(await s.runChecked(comware7.commands.displayVersion));
      expect(version).toMatchObject({
        generation: "comware7",
        softwareVersion: "7.1.070",
        release: "3506P10",
        vendor: "HPE",
      });
      expect(version.bootImage).toBe("flash:/5130ei-cmw710-boot-r3506p10.bin");
      expect(version.systemImage).toBe("flash:/5130ei-cmw710-system-r3506p10.bin");
      expect(version.boards.map((b) => [b.slot, b.release])).toEqual([1, 2, 3, 4].map((n) => [n, "3506P10"]));
      const irf = comware7.parsers.irf(await s.runChecked(comware7.commands.displayIrf));
      expect(irf.members.map((m) => [m.id, m.role])).toEqual([
        [1, "Master"],
        [2, "Standby"],
        [3, "Standby"],
        [4, "Standby"],
      ]);
      const boot = comware7.parsers.bootLoader(await s.runChecked(comware7.commands.displayBootLoader));
      expect(boot.slots.map((b) => [b.slot, b.main, b.backup])).toEqual(
        [1, 2, 3, 4].map((n) => [n, "flash:/5130ei-cmw710-system-r3506p10.bin", null]),
      );
      expect(boot.slots[0].images?.current).toEqual([
        "flash:/5130ei-cmw710-boot-r3506p10.bin",
        "flash:/5130ei-cmw710-system-r3506p10.bin",
      ]);
    } finally {
      await s.close();
    }
  });

  it("the Comware 5 switch of the same lab keeps its own outputs", async () => {
    const s = await SwitchSession.connect({ ...targetFor(fx.lab.get("c5")) });
    try {
      expect(await s.run("screen-length disable")).toMatch(/Screen-length configuration is disabled/);
      expect(await s.run("display irf")).toMatch(/^Switch\s+Role/m);
      expect(await s.run("md5sum flash:/startup.cfg")).toMatch(/% Unrecognized command/);
      expect(await s.run("display scheduler reboot")).toMatch(/% (Unrecognized|Wrong parameter)/);
    } finally {
      await s.close();
    }
  });

  it("without a profile, the session picks each switch's own from its display version", async () => {
    for (const [name, id, softwareVersion] of [
      ["c7b", "comware7", "7.1.070"],
      ["c5", "comware5", "5.20.99"],
    ]) {
      const s = await SwitchSession.connect(targetFor(fx.lab.get(name)));
      try {
        expect([s.profile.id, s.version.softwareVersion]).toEqual([id, softwareVersion]);
        // The detected profile drives the session: Comware 7 reads its own scheduler command.
        const scheduled = await readScheduledReboot(s);
        expect(scheduled).toBeNull();
      } finally {
        s.close();
      }
    }
  });

  it("uploads an .ipe, checks it with the device's sha256sum and md5sum, sets it on all members, saves, schedules and reboots", async () => {
    const sw = fx.lab.get("c7a");
    const local = makeImage(fx.dir, NEW_IPE, 300 * 1024 + 7);
    const bytes = fs.readFileSync(local);
    const s = await SwitchSession.connect(opts("c7a"));
    try {
      await s.sftp.upload(local, comware7.commands.sftpPath(NEW_IPE));
      const path = comware7.commands.memberFilePath(1, true, NEW_IPE);
      const sha = comware7.parsers.sha256?.(await s.runChecked(comware7.commands.sha256sum?.(path) ?? ""));
      expect(sha).toBe(createHash("sha256").update(bytes).digest("hex"));
      const md5 = comware7.parsers.md5?.(await s.runChecked(comware7.commands.md5sum?.(path) ?? ""));
      expect(md5).toBe(createHash("md5").update(bytes).digest("hex"));
      expect(await s.run("sha256sum flash:/missing.ipe")).toMatch(/does not exist/);

      for (const member of [1, 2, 3, 4]) {
        const out = await s.runChecked(comware7.commands.setBootImage(NEW_IPE, member, "main"), {
          answers: comware7.confirmations.setBootImage,
        });
        expect(out).toContain(`at the next reboot on slot ${member}.`);
      }
      const pair = ipeImages(NEW_IPE);
      const boot = comware7.parsers.bootLoader(await s.runChecked(comware7.commands.displayBootLoader));
      for (const slot of boot.slots) {
        expect(slot.images?.main).toEqual([`flash:/${pair?.boot}`, `flash:/${pair?.system}`]);
        expect(slot.current).toBe("flash:/5130ei-cmw710-system-r3506p10.bin");
      }
      // The profile answers "n" to deleting the package: it stays for a re-run.
      expect(sw.flashFiles(1).map((f) => f.name)).toContain(NEW_IPE);
      expect(sw.flashFiles(4).map((f) => f.name)).toEqual(expect.arrayContaining([pair?.boot, pair?.system]));

      const saved = await saveConfiguration(s);
      expect(saved).toMatch(/Saved the current configuration to mainboard device successfully/);
      expect(saved).toMatch(/Slot 4:\s*\n\s*Save next configuration file successfully/);

      await s.runChecked(comware7.commands.scheduleRebootDelay(90), {
        answers: comware7.confirmations.scheduleReboot,
      });
      expect((await readScheduledReboot(s))?.inMinutes).toBe(90);
      await cancelScheduledReboot(s);
      expect(await readScheduledReboot(s)).toBeNull();
      await s.runChecked(comware7.commands.scheduleRebootDelay(1), {
        answers: comware7.confirmations.scheduleReboot,
      });
    } finally {
      await s.close();
    }
    sw.clock.advance(61_000);
    await waitFor(() => sw.bootCount > 0 && sw.version() === "Release 3507P18", 10_000);
    expect(sw.bareEntersAtQuestions).toBe(0);
    const after = await SwitchSession.connect(opts("c7a"));
    try {
      const version = comware7.parsers.version(await after.runChecked(comware7.commands.displayVersion));
      expect(version.release).toBe("3507P18");
      for (const member of [1, 2, 3, 4])
        expect(memberRunningRelease(version, member, member === 1)).toBe("3507P18");
    } finally {
      await after.close();
    }
  }, 60_000);
});

describe("firmware upgrade of a Comware 7 stack", () => {
  let fx: LabFixture;
  beforeAll(async () => {
    fx = await startLab([{ name: "c7fw", os: "comware7", members: 3 }]);
  });
  afterAll(async () => {
    await fx?.close();
  });

  it("uploads the .ipe, verifies it with the switch's sha256sum, sets every member (previous pair kept as backup), reboots in the window; a second run does nothing", async () => {
    const sw = fx.lab.get("c7fw");
    const target = { ...targetFor(sw), profile: comware7 };
    const imagePath = makeImage(fx.dir, NEW_IPE, 200 * 1024 + 3);
    const desired = { imagePath, release: "3507P18", expectedMembers: [1, 2, 3] };
    sw.clock.set(new Date(Date.UTC(2026, 5, 15, 12, 0, 0)));
    const window = { start: "02:00", end: "04:00" };

    const result = await upgradeFirmware(target, desired, { rebootWindow: window });
    expect(result.plan.status).toBe("needs-install");
    // Comware 7's boot-loader unpacks the package onto each member: nothing is copied.
    expect(result.copiedTo).toEqual([]);
    expect(result.switchedMembers).toEqual([1, 2, 3]);
    expect(result.warnings).toEqual([]);
    expect(result.reboot).toMatchObject({ kind: "scheduled", display: { when: "02:00 06/16/2026" } });
    for (const m of sw.bootInfo()) {
      expect(m).toMatchObject({
        main: "5130ei-cmw710-system-r3507p18.bin",
        backup: "5130ei-cmw710-system-r3506p10.bin",
        current: "5130ei-cmw710-system-r3506p10.bin",
      });
    }
    expect(sw.bareEntersAtQuestions).toBe(0);

    const again = await upgradeFirmware(target, desired, { rebootWindow: window });
    expect(again.plan.status).toBe("pending-reboot");
    expect(again.upload).toBeNull();
    expect(again.switchedMembers).toEqual([]);

    sw.clock.advance(14 * 3600_000 + 60_000);
    await waitFor(() => sw.bootCount > 0, 10_000);
    await sw.waitUntilUp();
    expect(sw.version()).toBe("Release 3507P18");
    const after = await upgradeFirmware(target, desired, { rebootWindow: window });
    expect(after.plan.status).toBe("up-to-date");
    expect(after.reboot.kind).toBe("none");
    expect(after.state.members.map((m) => m.runningRelease)).toEqual(["3507P18", "3507P18", "3507P18"]);
  }, 60_000);

  it("a package on flash that the switch's sha256sum disagrees with is uploaded again before any boot image is set", async () => {
    const sw = fx.lab.get("c7fw");
    const target = { ...targetFor(sw), profile: comware7 };
    const other = "5130ei-cmw710-r3508.ipe";
    const imagePath = makeImage(fx.dir, other, 64 * 1024);
    // The switch's flash holds a different file of the same name and size: sha256sum must catch it.
    sw.writeFlashFile(1, other, Buffer.alloc(64 * 1024, 7));
    const log: string[] = [];
    const result = await upgradeFirmware(target, { imagePath, release: "3508" }, { log: (l) => log.push(l) });
    // The resumed upload found a complete file, the switch's own sha256sum disagreed, the upload ran
    // again from scratch and then matched: only a verified image was set.
    expect(log.join("\n")).toMatch(
      /the switch's sha256sum gives [0-9a-f]{64}, expected [0-9a-f]{64}; uploading again from scratch/,
    );
    expect(result.switchedMembers).toEqual([1, 2, 3]);
    expect(sw.readFlashFile(1, other).equals(fs.readFileSync(imagePath))).toBe(true);
    expect(sw.bootInfo().map((m) => m.main)).toEqual(Array(3).fill("5130ei-cmw710-system-r3508.bin"));
  }, 60_000);
});

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// The lab's answer to the parser's unit test on a chassis-based IRF (test/unit/switch/realWorld.test.ts):
// two 7506-style chassis, chassis 2 still on the previous release, chassis 1's line card in
// slot 2 sharing member 2's number.
describe("a chassis-based Comware 7 IRF", () => {
  const NEW_SYSTEM = "7500-cmw710-system-r7536p05.bin";
  const OLD_SYSTEM = "7500-cmw710-system-r7536p01.bin";
  let fx: LabFixture;
  beforeAll(async () => {
    fx = await startLab([
      { name: "c7ch", os: "comware7", chassis: true, members: 2, memberImages: [NEW_SYSTEM, OLD_SYSTEM] },
    ]);
  });
  afterAll(async () => {
    await fx?.close();
  });

  it("refuses a chassis stack that is not Comware 7, or of more than two chassis", async () => {
    await expect(startLab([{ name: "x", chassis: true, members: 2 }])).rejects.toThrow(
      /chassis is a Comware 7 mode: set os to "comware7"/,
    );
    await expect(startLab([{ name: "x", os: "comware7", chassis: true, members: 3 }])).rejects.toThrow(
      /members must be 1 to 2 on comware7 chassis/,
    );
  });

  it("prints MPU and LPU boards per chassis, and each member's release comes from its own chassis's main board", async () => {
    const sw = fx.lab.get("c7ch");
    const text = await sw.runCommand("display version");
    // The trap is there: chassis 1's line card in slot 2 runs the new release, member 2 the old one.
    expect(text).toMatch(/LPU Chassis 1 Slot 2:\r?\n(?:.*\r?\n)*?Release Version:\s+HP 7506-7536P05/);
    expect(text).toMatch(/MPU\(M\) Chassis 1 Slot 1:/);
    expect(text).toMatch(/MPU\(S\) Chassis 2 Slot 1:\r?\n(?:.*\r?\n)*?Release Version:\s+HP 7506-7536P01/);
    const version = comware7.parsers.version(text);
    expect(version.boards.map((b) => [b.role, b.chassis, b.slot])).toEqual([
      ["MPU(S)", 1, 0],
      ["MPU(M)", 1, 1],
      ["LPU", 1, 2],
      ["LPU", 1, 3],
      ["MPU(S)", 2, 0],
      ["MPU(S)", 2, 1],
      ["LPU", 2, 2],
      ["LPU", 2, 3],
    ]);

    // The provider, over SSH, without an os: detected as Comware 7, each member read from its chassis.
    const state = await readFirmwareState(targetFor(sw));
    expect(state.model).toBe("7506");
    expect(state.members.map((m) => [m.member, m.runningRelease])).toEqual([
      [1, "7536P05"],
      [2, "7536P01"],
    ]);
  });
});
