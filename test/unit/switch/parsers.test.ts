import { describe, expect, it } from "vitest";
import {
  imageFileName,
  parseDisplayBootLoader,
  sameImage,
} from "../../../providers/switch/parsers/bootLoader";
import { parseDisplayClock } from "../../../providers/switch/parsers/clock";
import { ParseError, cleanOutput } from "../../../providers/switch/parsers/common";
import { findFile, parseDir } from "../../../providers/switch/parsers/dir";
import { parseDisplayIrf } from "../../../providers/switch/parsers/irf";
import { parseScheduleReboot } from "../../../providers/switch/parsers/scheduleReboot";
import { samplesFor } from "./samples";

describe("parseDisplayIrf on every display_irf sample", () => {
  const samples = samplesFor("display_irf");
  it("covers both samples", () => expect(samples).toHaveLength(2));

  it("reads the CW5 table (Switch/Role/Priority, Master/Slave, masked MACs)", () => {
    const irf = parseDisplayIrf(samples.find((s) => s.name.includes("cw5_"))!.text);
    expect(irf.members).toEqual([
      {
        id: 1,
        role: "Master",
        isMaster: true,
        isLoginMember: true,
        priority: 1,
        cpuMac: "b8af-xxxx-xxxx",
        description: "-----",
      },
      {
        id: 2,
        role: "Slave",
        isMaster: false,
        isLoginMember: false,
        priority: 1,
        cpuMac: "b8af-xxxx-xxxx",
        description: "-----",
      },
    ]);
    expect(irf.masterId).toBe(1);
    expect(irf.bridgeMac).toBeNull();
    expect(irf.autoUpgrade).toBeNull();
  });

  it("reads the CW7 table and footer out of a transcript with other commands around it", () => {
    const irf = parseDisplayIrf(samples.find((s) => s.name.includes("cw7_"))!.text);
    expect(irf.members.map((m) => [m.id, m.role, m.priority, m.cpuMac])).toEqual([
      [1, "Master", 3, "6227-a30f-0104"],
      [2, "Standby", 1, "6227-a977-0204"],
    ]);
    expect(irf.masterId).toBe(1);
    expect(irf).toMatchObject({ bridgeMac: "6227-a30f-0100", autoUpgrade: true, domainId: 100 });
  });

  it("finds a master that is not member 1, and fails clearly without a table", () => {
    const text =
      "Switch  Role   Priority  CPU-Mac         Description\n  1   Slave   1  0000-0000-0001  -----\n *+2   Master  5  0000-0000-0002  -----\n";
    expect(parseDisplayIrf(text).masterId).toBe(2);
    expect(() => parseDisplayIrf("% Unrecognized command found at '^' position.")).toThrow(/display irf/);
  });
});

describe("parseDisplayBootLoader on every display_boot-loader sample", () => {
  const samples = samplesFor("display_boot-loader");
  it("covers the sample", () => expect(samples).toHaveLength(1));

  it("reads the standalone A5500EI listing (prompt echo line ignored)", () => {
    expect(parseDisplayBootLoader(samples[0].text).slots).toEqual([
      {
        slot: null,
        current: "flash:/someoldversion.bin",
        main: "flash:/A5500EI-CMW520-R2222P05.bin",
        backup: "flash:/someoldversion.bin",
      },
    ]);
  });

  it("reads the lab's IRF form: a Slot N header before each member's lines, NULL as no image", () => {
    const text = [
      " Slot 1",
      " The current boot app is: flash:/s5120ei-cmw520-r2208p01.bin",
      " The main boot app is: flash:/s5120ei-cmw520-r2221p25.bin",
      " The backup boot app is: flash:/s5120ei-cmw520-r2208p01.bin",
      " Slot 2",
      " The current boot app is: flash:/s5120ei-cmw520-r2208p01.bin",
      " The main boot app is: flash:/s5120ei-cmw520-r2208p01.bin",
      " The backup boot app is: NULL",
    ].join("\r\n");
    const info = parseDisplayBootLoader(text);
    expect(info.slots.map((s) => [s.slot, s.main, s.backup])).toEqual([
      [1, "flash:/s5120ei-cmw520-r2221p25.bin", "flash:/s5120ei-cmw520-r2208p01.bin"],
      [2, "flash:/s5120ei-cmw520-r2208p01.bin", null],
    ]);
  });

  it("compares images by bare, case-insensitive name", () => {
    expect(imageFileName("slot2#flash:/A.bin")).toBe("A.bin");
    expect(sameImage("flash:/A5500EI-CMW520-R2222P05.bin", "a5500ei-cmw520-r2222p05.bin")).toBe(true);
    expect(sameImage(null, "x.bin")).toBe(false);
    expect(() => parseDisplayBootLoader("nothing here")).toThrow(ParseError);
  });
});

describe("parseDir on every dir sample", () => {
  const samples = samplesFor("dir");
  it("covers both samples", () => expect(samples).toHaveLength(2));

  it("reads the S5120-SI listing after a TFTP download (no summary line in the capture)", () => {
    const listing = parseDir(samples.find((s) => s.name.includes("arstercz"))!.text);
    expect(listing.directory).toBe("flash:/");
    expect(listing.entries.map((e) => [e.index, e.name, e.sizeBytes, e.isDirectory])).toEqual([
      [0, "s5120si_e-cmw520-r1513p81.bin", 14595896, false],
      [1, "system.xml", 151, false],
      [2, "startup.cfg", 5002, false],
      [3, "s5120si_e-cmw520-r1505p09.bin", 13491152, false],
      [4, "logfile", null, true],
    ]);
    expect(listing.entries[0].modified).toBe("Mar 27 2014 18:10:30");
    expect(listing.totalKB).toBeNull();
    expect(listing.freeBytes).toBeNull();
  });

  it("reads boot attributes (*) and (b), and total/free KB", () => {
    const listing = parseDir(samples.find((s) => s.name.includes("nonasuomy"))!.text);
    expect(listing.totalKB).toBe(31496);
    expect(listing.freeKB).toBe(6885);
    expect(listing.freeBytes).toBe(6885 * 1024);
    expect(listing.entries).toHaveLength(6);
    expect(findFile(listing, "A5500EI-CMW520-R2222P05.bin")).toMatchObject({
      index: 2,
      sizeBytes: 14379886,
      isMainBoot: true,
      isBackupBoot: false,
    });
    expect(findFile(listing, "someoldversion.bin")).toMatchObject({
      sizeBytes: 10319701,
      isMainBoot: false,
      isBackupBoot: true,
    });
    expect(findFile(listing, "seclog")).toBeUndefined(); // a directory is not a file
  });

  it("reads a member's flash (slotN#flash:/) with both attributes (*b)", () => {
    const text =
      "Directory of slot2#flash:/\r\n\r\n   0(*b) -rw-     65536  Jan 01 2025 00:00:00   s5120ei-cmw520-r2208p01.bin\r\n\r\n131072 KB total (0 KB free)\r\n";
    const listing = parseDir(text);
    expect(listing.directory).toBe("slot2#flash:/");
    expect(listing.entries[0]).toMatchObject({ isMainBoot: true, isBackupBoot: true, sizeBytes: 65536 });
    expect(listing.freeBytes).toBe(0);
    expect(() => parseDir("% Such file or path doesn't exist.")).toThrow(/"dir".*Directory of/);
  });
});

describe("parseDisplayClock on every display_clock sample", () => {
  const samples = samplesFor("display_clock");
  it("covers the three samples", () => expect(samples).toHaveLength(3));
  const byName = (part: string) => samples.find((s) => s.name.includes(part))!.text;

  it("reads UTC 2011", () => {
    expect(parseDisplayClock(byName("utc-2011"))).toEqual({
      year: 2011,
      month: 1,
      day: 8,
      hour: 19,
      minute: 35,
      second: 31,
      zone: "UTC",
      weekday: "Sat",
      zoneOffsetMinutes: null,
      summerTime: null,
    });
  });
  it("reads UTC 2015", () => {
    expect(parseDisplayClock(byName("utc-2015"))).toMatchObject({
      year: 2015,
      month: 3,
      day: 16,
      hour: 10,
      minute: 9,
      zone: "UTC",
    });
  });
  it("reads a named zone and its offset", () => {
    expect(parseDisplayClock(byName("tz-z5"))).toMatchObject({
      year: 2015,
      month: 3,
      day: 16,
      hour: 15,
      minute: 10,
      second: 0,
      zone: "Z5",
      weekday: "Fri",
      zoneOffsetMinutes: 300,
    });
  });
  it("rejects text without a clock line", () => {
    expect(() => parseDisplayClock("Time Zone : Z5 add 05:00:00")).toThrow(/display clock/);
  });
});

describe("parseScheduleReboot (lab decision format, no public sample)", () => {
  it("reads a pending reboot and its countdown", () => {
    expect(
      parseScheduleReboot(" System will reboot at 03:30 06/15/2025 (in 5 hours and 2 minutes).\r\n"),
    ).toEqual({
      when: "03:30 06/15/2025",
      inMinutes: 302,
    });
  });
  it("returns null when nothing is scheduled", () => {
    expect(parseScheduleReboot("")).toBeNull();
  });
});

describe("cleanOutput", () => {
  it("removes the pager marker and its ESC[16D erase residue, and CRs", () => {
    const paged = "line1\r\n  ---- More ----\x1b[16D                \x1b[16Dline2\r\n";
    expect(cleanOutput(paged)).toBe("line1\nline2\n");
  });
});
