// The Comware 7 profile: commands, confirmations and parsers, on samples
// written from /work/shared/comware (README sections 1-5 and its raw Comware 7
// transcripts), as tables.
import { describe, expect, it } from "vitest";
import { profileNamed } from "../../../providers/switch/profiles";
import { comware5 } from "../../../providers/switch/profiles/comware5";
import { comware7, ipeImages } from "../../../providers/switch/profiles/comware7";
import { memberRunningRelease } from "../../../providers/switch/parsers/version";
import { sample, samplesFor } from "./samples";

const answerFor = (line: string, answers = comware7.confirmations.setBootImage) =>
  answers.find((a) => a.pattern.test(line))?.answer;

describe("comware7 profile selection", () => {
  it.each([
    ["comware7", "comware7"],
    ["comware5", "comware5"],
  ])("os %s selects %s", (os, id) => {
    expect(profileNamed(os).id).toBe(id);
  });

  it("no os selects none: the session detects it", () => {
    expect(profileNamed(undefined)).toBeUndefined();
  });

  it("refuses an unknown OS naming both supported ones", () => {
    expect(() => profileNamed("comware9", "switch s1")).toThrow(/"comware5", "comware7"/);
  });

  it("expects Comware 7.1 in display version", () => {
    expect(comware7.softwareVersions.test("7.1.070")).toBe(true);
    expect(comware7.softwareVersions.test("5.20.99")).toBe(false);
  });
});

describe("comware7 commands", () => {
  it.each<[string, string, string]>([
    ["save", comware7.commands.save, "save force"],
    [
      "boot main",
      comware7.commands.setBootImage("5130ei-cmw710-r3507p18.ipe", 2, "main"),
      "boot-loader file flash:/5130ei-cmw710-r3507p18.ipe slot 2 main",
    ],
    [
      "boot backup",
      comware7.commands.setBootImage("x-cmw710-r1.ipe", 1, "backup"),
      "boot-loader file flash:/x-cmw710-r1.ipe slot 1 backup",
    ],
    ["reboot at", comware7.commands.scheduleRebootAt({ hour: 3, minute: 5 }), "scheduler reboot at 03:05"],
    [
      "reboot at date",
      comware7.commands.scheduleRebootAt({ hour: 23, minute: 0, date: { year: 2027, month: 1, day: 9 } }),
      "scheduler reboot at 23:00 01/09/2027",
    ],
    ["reboot delay", comware7.commands.scheduleRebootDelay(75), "scheduler reboot delay 01:15"],
    ["undo", comware7.commands.undoScheduleReboot, "undo scheduler reboot"],
    ["display schedule", comware7.commands.displayScheduleReboot, "display scheduler reboot"],
    ["md5sum", comware7.commands.md5sum?.("flash:/a.ipe") ?? "", "md5sum flash:/a.ipe"],
    ["sha256sum", comware7.commands.sha256sum?.("slot2#flash:/a.ipe") ?? "", "sha256sum slot2#flash:/a.ipe"],
    ["paging", comware7.paging.disableCommand, "screen-length disable"],
  ])("%s", (_label, actual, expected) => {
    expect(actual).toBe(expected);
  });

  it("comware5 keeps its own commands and has no on-device checksum", () => {
    expect(comware5.commands.save).toBe("save");
    expect(comware5.commands.scheduleRebootDelay(75)).toBe("schedule reboot delay 01:15");
    expect(comware5.commands.md5sum).toBeUndefined();
    expect(comware5.commands.sha256sum).toBeUndefined();
  });
});

describe("comware7 .ipe packages", () => {
  it.each([
    ["S6520EI-CMW710-R2432P05.ipe", "s6520ei-cmw710-boot-r2432p05.bin", "s6520ei-cmw710-system-r2432p05.bin"],
    [
      "flash:/5130ei-cmw710-r3507p18.ipe",
      "5130ei-cmw710-boot-r3507p18.bin",
      "5130ei-cmw710-system-r3507p18.bin",
    ],
  ])("%s unpacks into boot and system images", (ipe, boot, system) => {
    expect(ipeImages(ipe)).toEqual({ boot, system });
  });

  it.each(["s5120ei-cmw520-r2208p01.bin", "image.ipe", "5130ei-cmw710-r3507p18.bin"])(
    "%s is not a package",
    (name) => {
      expect(ipeImages(name)).toBeNull();
    },
  );
});

describe("comware7 confirmations (raw upgrade transcript wording)", () => {
  it.each([
    ["This command will set the main startup software images. Continue? [Y/N]:", "y"],
    ["This command will set the backup startup software images. Continue? [Y/N]:", "y"],
    ["Do you want to delete flash:/s6520ei-cmw710-r2432p05.ipe now? [Y/N]:", "n"],
    ["This command will set the boot file. Continue? [Y/N]:", undefined],
  ])("%s -> %s", (line, answer) => {
    expect(answerFor(line)).toBe(answer);
  });

  it("save force's success line is recognised, the Comware 5 wording is not Comware 7's", () => {
    const out =
      "Validating file. Please wait...\nSaved the current configuration to mainboard device successfully.\n";
    expect(comware7.saveSucceeded.test(out)).toBe(true);
    expect(comware7.saveSucceeded.test("Configuration is saved to device successfully.")).toBe(false);
  });

  it("a scheduler reboot question is answered yes", () => {
    const q = "Reboot system at 03:05:00 01/09/2027 (in 2 hours and 5 minutes). Confirm? [Y/N]:";
    expect(answerFor(q, comware7.confirmations.scheduleReboot)).toBe("y");
  });
});

// Written from the upgrade transcript: after `boot-loader file ... .ipe all main` the
// main images are the package's boot and system images, the current ones the old release.
const BOOT_LOADER_IRF = `Software images on slot 1:
Current software images:
  flash:/5130ei-cmw710-boot-r3507p18.bin
  flash:/5130ei-cmw710-system-r3507p18.bin
Main startup software images:
  flash:/5130ei-cmw710-boot-r3507p19.bin
  flash:/5130ei-cmw710-system-r3507p19.bin
Backup startup software images:
  None
Software images on slot 2:
Current software images:
  flash:/5130ei-cmw710-boot-r3507p18.bin
  flash:/5130ei-cmw710-system-r3507p18.bin
Main startup software images:
  flash:/5130ei-cmw710-boot-r3507p18.bin
  flash:/5130ei-cmw710-system-r3507p18.bin
Backup startup software images:
  flash:/5130ei-cmw710-boot-r3506.bin
  flash:/5130ei-cmw710-system-r3506.bin
`;

describe("comware7 display boot-loader", () => {
  const info = comware7.parsers.bootLoader(BOOT_LOADER_IRF);
  it.each([
    [0, 1, "flash:/5130ei-cmw710-system-r3507p18.bin", "flash:/5130ei-cmw710-system-r3507p19.bin", null],
    [
      1,
      2,
      "flash:/5130ei-cmw710-system-r3507p18.bin",
      "flash:/5130ei-cmw710-system-r3507p18.bin",
      "flash:/5130ei-cmw710-system-r3506.bin",
    ],
  ])("block %i is slot %i with current/main/backup system images", (i, slot, current, main, backup) => {
    expect(info.slots[i]).toMatchObject({ slot, current, main, backup });
  });

  it("keeps the boot and system pair of each kind", () => {
    expect(info.slots[0].images?.main).toEqual([
      "flash:/5130ei-cmw710-boot-r3507p19.bin",
      "flash:/5130ei-cmw710-system-r3507p19.bin",
    ]);
    expect(info.slots[0].images?.backup).toEqual([]);
  });

  it("refuses the Comware 5 form, naming the command", () => {
    expect(() => comware7.parsers.bootLoader("The current boot app is: flash:/a.bin")).toThrow(
      /display boot-loader/,
    );
  });
});

describe("comware7 display version (raw Comware 7 samples)", () => {
  const samples = samplesFor("display_version").filter((s) => /__cw7/.test(s.name));
  it("has samples", () => {
    expect(samples.length).toBeGreaterThanOrEqual(5);
  });
  it.each(samples.map((s) => [s.name, s.text]))("%s is Comware 7 with a release", (_name, text) => {
    const v = comware7.parsers.version(text);
    expect(v.generation).toBe("comware7");
    expect(v.release).toMatch(/^\d{4}/);
  });

  it("reads the boot/system image pair and the member's release", () => {
    const v = comware7.parsers.version(
      sample("display_version__ntc-templates__cw7_hpe5130-48g-poe-hi_7.1.070-r3507p18.txt"),
    );
    expect(v).toMatchObject({
      softwareVersion: "7.1.070",
      release: "3507P18",
      vendor: "HPE",
      bootImage: "flash:/5130hi-cmw710-boot-r3507p18.bin",
      systemImage: "flash:/5130hi-cmw710-system-r3507p18.bin",
    });
    expect(memberRunningRelease(v, 1, true)).toBe("3507P18");
  });
});

describe("comware7 display irf (raw sample)", () => {
  it("reads MemberID rows, Master and Standby", () => {
    const irf = comware7.parsers.irf(
      sample("display_irf__github-index-2910663238__cw7_2-members_with-config-and-brief.txt"),
    );
    expect(irf.members.map((m) => [m.id, m.role, m.isMaster, m.priority])).toEqual([
      [1, "Master", true, 3],
      [2, "Standby", false, 1],
    ]);
    expect(irf).toMatchObject({ masterId: 1, bridgeMac: "6227-a30f-0100", autoUpgrade: true, domainId: 100 });
  });
});

describe("comware7 on-device checksums", () => {
  const md5 = "9E107D9D372BB6826BD81D3542A419D6";
  const sha = "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592";
  it.each([
    ["md5 on the next line", `MD5 digest:\n${md5}\n`, md5.toLowerCase()],
    ["md5 after the echo, CRLF", `<sw1>md5sum flash:/a.ipe\r\nMD5 digest:\r\n ${md5}\r\n`, md5.toLowerCase()],
  ])("%s", (_l, text, digest) => {
    expect(comware7.parsers.md5?.(text)).toBe(digest);
  });
  it("sha256", () => {
    expect(comware7.parsers.sha256?.(`SHA256 digest:\n${sha}\n`)).toBe(sha);
  });
  it.each([
    ["no label", `${md5}\n`],
    ["short digest", "MD5 digest:\n9e107d9d\n"],
    ["error instead", "% The file or directory doesn't exist.\n"],
  ])("refuses %s", (_l, text) => {
    expect(() => comware7.parsers.md5?.(text)).toThrow(/md5sum/);
  });
});
