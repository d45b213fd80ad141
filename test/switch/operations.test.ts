// Firmware and configuration operations against the simulated switches over
// real SSH, including the faults the hospital met: cuts, full flash, a member
// refusing the boot file, corrupted uploads, slow devices, wrong credentials.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  applyConfig,
  backupConfig,
  BootImageRefusedError,
  ConfigHalfAppliedError,
  diffConfig,
  FirmwarePreflightError,
  ImageVerificationError,
  readConfig,
  readFirmwareState,
  upgradeFirmware,
} from "../../providers/switch/operations";
import { imageFileName } from "../../providers/switch/parsers/bootLoader";
import { mapLimit } from "../../providers/switch/retry";
import {
  CommandTimeoutError,
  SwitchAuthError,
  UnsupportedSwitchOsError,
} from "../../providers/switch/errors";
import { comware5 } from "../../providers/switch/profiles/comware5";
import { comware7 } from "../../providers/switch/profiles/comware7";
import { applyFirmware } from "../../providers/switch/runtime";
import { makeImage, startLab, targetFor, type LabFixture } from "./labHelpers";

const OLD = "s5120ei-cmw520-r2208p01.bin";
const NEW = "s5120ei-cmw520-r2221p25.bin";
const IMAGE_BYTES = 2 * 1024 * 1024 + 777;

describe("firmware and configuration operations against the lab", () => {
  let fx: LabFixture;
  let imagePath: string;
  const desired = () => ({ imagePath, release: "2221P25", model: "A5120-24G EI" });
  // The lab's bootInfo() may give "flash:/x.bin" or "x.bin": compare bare names.
  const bare = (image: string | null) => (image === null ? null : imageFileName(image));
  const bootMains = (name: string) =>
    fx.lab
      .get(name)
      .bootInfo()
      .map((b) => bare(b.main));

  beforeAll(async () => {
    fx = await startLab([
      { name: "up1", members: 3 },
      { name: "win1", members: 2 },
      { name: "cut1", members: 2 },
      { name: "full1", members: 2 },
      { name: "rej1", members: 3 },
      { name: "bad1", members: 1 },
      { name: "slow1" },
      { name: "cfg1", members: 2 },
      { name: "ru1", image: "s5120ei-cmw520-r2209l22-ru.bin" },
      { name: "split1", members: 3 },
    ]);
    imagePath = makeImage(fx.dir, NEW, IMAGE_BYTES);
  });
  afterEach(() => {
    for (const sw of fx.lab.switches) sw.setFaults({});
  });
  afterAll(async () => {
    await fx?.close();
  });

  it("reads the firmware state of a 3-member stack", async () => {
    const state = await readFirmwareState(targetFor(fx.lab.get("up1")));
    expect(state).toMatchObject({
      hostname: "up1",
      vendor: "HP",
      softwareVersion: "5.20.99",
      release: "2208P01",
      scheduledReboot: null,
      rebootNeeded: false,
    });
    expect(state.model).toContain("A5120-24G EI");
    expect(state.members.map((m) => [m.member, m.isMaster, m.mainImage, m.runningRelease])).toEqual([
      [1, true, `flash:/${OLD}`, "2208P01"],
      [2, false, `flash:/${OLD}`, null],
      [3, false, `flash:/${OLD}`, null],
    ]);
    for (const m of state.members) expect(m.freeBytes).toBeGreaterThan(100 * 1024 * 1024);
  });

  it("upgrades a 3-member stack: upload, verify, copy, main on every member with old as backup, reboot left pending; a second run does nothing", async () => {
    const sw = fx.lab.get("up1");
    const result = await upgradeFirmware(targetFor(sw), desired());
    expect(result.plan.status).toBe("needs-install");
    expect(result.upload).toMatchObject({ sizeBytes: IMAGE_BYTES, resumedFrom: 0, bytesSent: IMAGE_BYTES });
    expect(result.copiedTo).toEqual([2, 3]);
    expect(result.switchedMembers).toEqual([1, 2, 3]);
    expect(result.reboot).toEqual({
      kind: "pending",
      reason: "no maintenance window given: reboot left pending",
    });
    expect(result.warnings).toEqual([]);
    expect(sw.bootInfo().map((b) => [b.member, bare(b.current), bare(b.main), bare(b.backup)])).toEqual([
      [1, OLD, NEW, OLD],
      [2, OLD, NEW, OLD],
      [3, OLD, NEW, OLD],
    ]);
    for (const member of [2, 3]) {
      expect(sw.flashFiles(member).find((f) => f.name === NEW)?.size).toBe(IMAGE_BYTES);
    }
    expect(sw.scheduledReboot()).toBeNull(); // never rebooted without a window
    expect(result.state.rebootNeeded).toBe(true);

    const again = await upgradeFirmware(targetFor(sw), desired());
    expect(again.plan.status).toBe("pending-reboot");
    expect(again.upload).toBeNull();
    expect(again.switchedMembers).toEqual([]);
    expect(again.copiedTo).toEqual([]);

    await sw.reboot();
    expect(sw.version()).toBe("Release 2221P25");
    const after = await upgradeFirmware(targetFor(sw), desired());
    expect(after.plan.status).toBe("up-to-date");
    expect(after.reboot.kind).toBe("none");
    expect(after.state.release).toBe("2221P25");
  });

  it("schedules the reboot inside the maintenance window from the switch's clock, never outside", async () => {
    const sw = fx.lab.get("win1");
    sw.clock.set(new Date(Date.UTC(2026, 5, 15, 12, 0, 0))); // 12:00 on the switch
    const result = await upgradeFirmware(targetFor(sw), desired(), {
      rebootWindow: { start: "02:00", end: "04:00" },
    });
    expect(result.reboot).toMatchObject({
      kind: "scheduled",
      at: { hour: 2, minute: 0, date: { year: 2026, month: 6, day: 16 } },
      display: { when: "02:00 06/16/2026" },
    });
    expect(sw.scheduledReboot()?.toISOString()).toBe("2026-06-16T02:00:00.000Z");
    const bootsBefore = sw.bootCount;

    // A second run keeps the schedule (already inside the window).
    const again = await upgradeFirmware(targetFor(sw), desired(), {
      rebootWindow: { start: "02:00", end: "04:00" },
    });
    expect(again.reboot.kind).toBe("scheduled");
    expect(sw.scheduledReboot()?.toISOString()).toBe("2026-06-16T02:00:00.000Z");

    // Reaching the window reboots the stack into the new image.
    sw.clock.advance(14 * 3600_000 + 60_000);
    await new Promise((r) => setTimeout(r, 100));
    await sw.waitUntilUp();
    expect(sw.bootCount).toBe(bootsBefore + 1);
    expect(sw.version()).toBe("Release 2221P25");
  });

  it("resumes an upload cut by a dropped connection and converges", async () => {
    const sw = fx.lab.get("cut1");
    sw.setFaults({ dropAfterUploadBytes: 1800 * 1024 });
    const result = await upgradeFirmware(targetFor(sw), desired());
    expect(result.upload!.resumedFrom).toBeGreaterThan(0);
    expect(result.upload!.resumedFrom).toBeLessThan(1800 * 1024);
    expect(result.upload!.resumedFrom + result.upload!.bytesSent).toBe(IMAGE_BYTES);
    expect(bootMains("cut1")).toEqual([NEW, NEW]);
  });

  it("stops at preflight when a member's flash is full, naming the member, and changes nothing", async () => {
    const sw = fx.lab.get("full1");
    sw.setFaults({ flashFreeKB: { "2": 100 } });
    const error = await upgradeFirmware(targetFor(sw), desired()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FirmwarePreflightError);
    expect((error as Error).message).toMatch(
      /not enough flash on member 2 of full1: 100 KB free, 2049 KB needed/,
    );
    expect(sw.flashFiles(1).some((f) => f.name === NEW)).toBe(false);
    expect(bootMains("full1")).toEqual([OLD, OLD]);
  });

  it("a member refusing the boot file is named and no member is left half-switched", async () => {
    const sw = fx.lab.get("rej1");
    sw.setFaults({ rejectBootFileOnMembers: [3] });
    const error = await upgradeFirmware(targetFor(sw), desired()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BootImageRefusedError);
    expect((error as BootImageRefusedError).member).toBe(3);
    expect((error as Error).message).toMatch(
      /^member 3 of .* refused the boot image \(%Failed to set the boot file on slot 3/,
    );
    expect((error as Error).message).toContain("member(s) 1, 2 restored to their previous main image");
    expect(bootMains("rej1")).toEqual([OLD, OLD, OLD]);

    // Once the member is fixed, the same call converges.
    sw.setFaults({});
    const ok = await upgradeFirmware(targetFor(sw), desired());
    expect(ok.upload?.bytesSent).toBe(0); // already uploaded and verified
    expect(bootMains("rej1")).toEqual([NEW, NEW, NEW]);
  });

  it("a corrupted upload fails verification, the boot image is not set and the bad file is removed", async () => {
    const sw = fx.lab.get("bad1");
    sw.setFaults({ corruptUpload: true });
    const error = await upgradeFirmware(targetFor(sw), desired()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageVerificationError);
    expect((error as Error).message).toMatch(
      /read back with SHA-256 [0-9a-f]{64}, expected [0-9a-f]{64}; the boot image was NOT changed/,
    );
    expect(bootMains("bad1")).toEqual([OLD]);
    expect(sw.flashFiles(1).some((f) => f.name === NEW)).toBe(false);
  });

  it("a checksum that does not match the local image fails before anything is sent", async () => {
    const sw = fx.lab.get("bad1");
    const error = await upgradeFirmware(targetFor(sw), { ...desired(), sha256: "0".repeat(64) }).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toMatch(
      /firmware sha256 0{64} does not match imagePath ".*" \(its SHA-256 is [0-9a-f]{64}\)/,
    );
    expect(sw.flashFiles(1).some((f) => f.name === NEW)).toBe(false);
    expect(bootMains("bad1")).toEqual([OLD]);
  });

  it("a switch whose display version contradicts its os is refused naming both, before any change", async () => {
    const sw = fx.lab.get("bad1");
    const before = sw.bootInfo();
    const error = await upgradeFirmware(targetFor(sw, { profile: comware7 }), desired()).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UnsupportedSwitchOsError);
    expect((error as Error).message).toMatch(
      /^switch bad1 \(127\.0\.0\.1:\d+\): os "comware7" \(Comware 7\.1\) does not match the switch: display version reports Comware 5\.20\.99 \(Comware 5\.20\); set os to "comware5" or leave os out to detect it; nothing was changed$/,
    );
    expect(sw.bootInfo()).toEqual(before);
    expect(sw.flashFiles(1).map((f) => f.name)).not.toContain(NEW);
  });

  it("reads the release of a version line with a variant suffix (Release 2209L22, RU)", async () => {
    const sw = fx.lab.get("ru1");
    expect(sw.version()).toContain("Release 2209L22, RU");
    const state = await readFirmwareState(targetFor(sw));
    expect(state.release).toBe("2209L22");
    expect(state.members[0].runningRelease).toBe("2209L22");
  });

  it("reads the switch clock with its time zone and summer-time rule as the configuration sets them", async () => {
    const sw = fx.lab.get("ru1");
    await applyConfig(targetFor(sw), {
      text: "#\n clock timezone CET add 01:00:00\n clock summer-time CEST repeating 02:00:00 03/29 03:00:00 10/25 01:00:00\n#\n",
      scope: "sections",
    });
    const { clock } = await readFirmwareState(targetFor(sw));
    expect(clock).toMatchObject({ zone: "CET", zoneOffsetMinutes: 60 });
    expect(clock.summerTime).toEqual({
      zone: "CEST",
      start: "02:00:00 03/29",
      end: "03:00:00 10/25",
      addMinutes: 60,
    });
  });

  it("an IRF split (a member gone from display irf) is named before any upgrade, and nothing changes", async () => {
    const sw = fx.lab.get("split1");
    sw.setFaults({ splitMembers: [3] });
    const before = sw.bootInfo();
    const error = await upgradeFirmware(targetFor(sw), { ...desired(), expectedMembers: [1, 2, 3] }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FirmwarePreflightError);
    expect((error as Error).message).toContain(
      "IRF split on split1: member(s) 3 missing from display irf (present: 1, 2)",
    );
    expect(sw.bootInfo()).toEqual(before);
    expect(sw.flashFiles(1).map((f) => f.name)).not.toContain(NEW);
  });

  it("on a first create (no stored state), the declared irfMembers name a split before any upgrade", async () => {
    const sw = fx.lab.get("split1");
    sw.setFaults({ splitMembers: [2] });
    const before = sw.bootInfo();
    // What the SwitchFirmware provider's create runs: no previous members, only the declared ones.
    const props = {
      switchName: sw.name,
      host: sw.host,
      port: sw.port,
      username: sw.username,
      password: sw.password,
      hostKeySha256: sw.hostKeyFingerprint,
      retryAttempts: 1,
      ...desired(),
    };
    const error = await applyFirmware({ ...props, irfMembers: [1, 2, 3] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FirmwarePreflightError);
    expect((error as Error).message).toContain(
      "IRF split on split1: member(s) 2 missing from display irf (present: 1, 3); check the IRF links and rejoin the stack before any upgrade",
    );
    expect(sw.bootInfo()).toEqual(before);
    expect(sw.flashFiles(1).map((f) => f.name)).not.toContain(NEW);
    // Healed, the same create goes ahead.
    sw.setFaults({});
    const outputs = await applyFirmware({ ...props, irfMembers: [1, 2, 3] });
    expect(outputs.members.map((m) => m.member)).toEqual([1, 2, 3]);
    expect(outputs.status).toBe("pending-reboot");
  });

  it("slow responses: a short command timeout fails with a timeout error, a realistic one succeeds", async () => {
    const sw = fx.lab.get("slow1");
    sw.setFaults({ latencyMs: 400 });
    const error = await readFirmwareState(
      targetFor(sw, { commandTimeoutMs: 150, retry: { attempts: 2, baseDelayMs: 10 } }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandTimeoutError);
    const state = await readFirmwareState(targetFor(sw, { commandTimeoutMs: 5000 }));
    expect(state.release).toBe("2208P01");
  });

  it("wrong credentials give a clear error naming the user, not retried", async () => {
    const sw = fx.lab.get("slow1");
    sw.setFaults({ password: "the-new-one" });
    const retries: number[] = [];
    const error = await readFirmwareState(
      targetFor(sw, { retry: { attempts: 4, baseDelayMs: 1, onRetry: (_e, a) => retries.push(a) } }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SwitchAuthError);
    expect((error as Error).message).toContain('authentication failed for user "admin"');
    expect(retries).toEqual([]);
  });

  it("applies a desired configuration, saves it, sees a hand change as drift, and reports a half-applied change", async () => {
    const sw = fx.lab.get("cfg1");
    const target = targetFor(sw);
    const desiredText = [
      "#",
      "vlan 10",
      " name users",
      "#",
      "vlan 20",
      " name printers",
      "#",
      "interface GigabitEthernet1/0/1",
      " description desk-12",
      " port access vlan 10",
      "#",
      "return",
    ].join("\n");
    const first = await applyConfig(target, { text: desiredText });
    expect(first.applied).toBe(true);
    expect(first.saved).toBe(true);
    expect(first.commands).toEqual([
      "vlan 10",
      "name users",
      "quit",
      "vlan 20",
      "name printers",
      "quit",
      "interface GigabitEthernet1/0/1",
      "description desk-12",
      "port access vlan 10",
      "quit",
    ]);
    expect(sw.savedConfig()).toContain(
      "interface GigabitEthernet1/0/1\n description desk-12\n port access vlan 10",
    );

    const second = await applyConfig(target, { text: desiredText });
    expect(second).toMatchObject({ applied: false, saved: false, commands: [] });
    expect(second.diff.hasChanges).toBe(false);

    await sw.configureByHand(["interface GigabitEthernet1/0/1", "description moved-by-hand", "quit"]);
    const current = await readConfig(target);
    const drift = diffConfig(current.config, desiredText, comware5, "sections");
    expect(drift.text).toBe(
      [
        "~ interface GigabitEthernet1/0/1",
        "-   description moved-by-hand",
        "+   description desk-12",
        "",
      ].join("\n"),
    );
    const fixed = await applyConfig(target, { text: desiredText });
    expect(fixed.commands).toEqual(["interface GigabitEthernet1/0/1", "description desk-12", "quit"]);

    const savedBefore = sw.savedConfig();
    const broken = desiredText.replace(" name printers", " name printers\n frobnicate 7");
    const error = await applyConfig(target, { text: broken }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigHalfAppliedError);
    expect((error as Error).message).toMatch(
      /^configuration HALF-APPLIED on .*: 1 of 3 command\(s\) applied, then "frobnicate 7" was refused: % Unrecognized command/,
    );
    expect((error as Error).message).toContain("was NOT saved");
    expect(sw.savedConfig()).toBe(savedBefore);
  });

  it("backs up the configuration of several switches with bounded parallelism", async () => {
    const names = ["up1", "cfg1", "slow1", "bad1"];
    const backups = await mapLimit(names, 2, (name) => backupConfig(targetFor(fx.lab.get(name))));
    expect(backups.map((b) => b.hostname)).toEqual(names);
    for (const b of backups) {
      expect(b.text).toMatch(new RegExp(`^ sysname ${b.hostname}$`, "m"));
      expect(b.text.trimEnd().endsWith("return")).toBe(true);
    }
  });
});
