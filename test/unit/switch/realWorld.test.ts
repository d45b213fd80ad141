// Output the lab never showed, on samples written from /work/shared/comware
// (README §3 and the raw display_version / display_clock files): a version line
// with a variant suffix, a chassis-based IRF, a clock with time zone and summer
// time, and an IRF split.
import { describe, expect, it } from "vitest";
import { irfSplitError, planFirmware, type FirmwareState } from "../../../providers/switch/operations";
import { parseDisplayClock } from "../../../providers/switch/parsers/clock";
import { memberRunningRelease, parseDisplayVersion } from "../../../providers/switch/parsers/version";
import { expectedIrfMembers } from "../../../providers/switch/runtime";

describe("a version line with a variant suffix", () => {
  it.each([
    ["Comware Software, Version 5.20, Release 2209L22, RU", "5.20", "2209L22"],
    ["Comware Software, Version 5.20.105, Release 1809P03-US", "5.20.105", "1809P03-US"],
    ["HPE Comware Software, Version 7.1.070, Release 7536P05", "7.1.070", "7536P05"],
  ])("%s gives release %s", (line, softwareVersion, release) => {
    const info = parseDisplayVersion(`${line}\nHP A-MSR900 uptime is 3 weeks, 2 days, 1 hour, 5 minutes\n`);
    expect(info.softwareVersion).toBe(softwareVersion);
    expect(info.release).toBe(release);
  });
});

// Two HP 7506 chassis in IRF (after the 7506 samples): chassis 2's main boards still run
// 7536P01; chassis 1's line card in slot 2 already runs 7536P05.
const CHASSIS_IRF = `HPE Comware Software, Version 7.1.070, Release 7536P05
Copyright (c) 2010-2017 Hewlett Packard Enterprise Development LP
HP 7506 uptime is 408 weeks, 3 days, 22 hours, 16 minutes
Last reboot reason : Cold reboot

MPU(S) Chassis 1 Slot 0:
Uptime is 0 weeks,0 days,2 hours,10 minutes
Release Version:    HP 7506-7536P05

MPU(M) Chassis 1 Slot 1:
Uptime is 0 weeks,0 days,2 hours,12 minutes
Release Version:    HP 7506-7536P05

LPU Chassis 1 Slot 2:
Uptime is 0 weeks,0 days,2 hours,9 minutes
Release Version:    HP 7506-7536P05

MPU(S) Chassis 2 Slot 0:
Uptime is 40 weeks,1 day,3 hours,1 minute
Release Version:    HP 7506-7536P01

MPU(S) Chassis 2 Slot 1:
Uptime is 40 weeks,1 day,3 hours,2 minutes
Release Version:    HP 7506-7536P01

LPU Chassis 2 Slot 2:
Uptime is 40 weeks,1 day,3 hours,0 minutes
Release Version:    HP 7506-7536P01
`;

describe("a chassis-based IRF", () => {
  const info = parseDisplayVersion(CHASSIS_IRF);
  it("takes each member's release from its own chassis's main board", () => {
    expect(info.boards.filter((b) => b.chassis === 2).map((b) => b.release)).toEqual([
      "7536P01",
      "7536P01",
      "7536P01",
    ]);
    expect(memberRunningRelease(info, 1, true)).toBe("7536P05");
    // Never chassis 1's line card in slot 2, which shares the member's number.
    expect(memberRunningRelease(info, 2, false)).toBe("7536P01");
    expect(memberRunningRelease(info, 3, false)).toBeNull();
  });
  it("on a box IRF, the member is its Slot N board; the master falls back on the version line", () => {
    const box = parseDisplayVersion(
      "Comware Software, Version 5.20.99, Release 2221P25\nHP A5120-24G EI uptime is 1 week\n\n Slot 1:\nRelease Version: HP A5120-2221P25\n\n Slot 2:\nUptime is 1 week\n",
    );
    expect(memberRunningRelease(box, 1, true)).toBe("2221P25");
    expect(memberRunningRelease(box, 2, false)).toBeNull();
    expect(memberRunningRelease(box, 2, true)).toBe("2221P25");
  });
});

describe("display clock with a time zone and summer time", () => {
  it("reads the wall clock, the zone offset and the summer-time rule", () => {
    const clock = parseDisplayClock(
      [
        "03:15:42 CEST Sun 03/29/2026",
        "Time Zone : CET add 01:00:00",
        "Summer Time : CEST 02:00:00 03/29 03:00:00 10/25 01:00:00",
      ].join("\n"),
    );
    expect(clock).toMatchObject({
      hour: 3,
      minute: 15,
      day: 29,
      month: 3,
      zone: "CEST",
      zoneOffsetMinutes: 60,
    });
    expect(clock.summerTime).toEqual({
      zone: "CEST",
      start: "02:00:00 03/29",
      end: "03:00:00 10/25",
      addMinutes: 60,
    });
  });
  it("reads the reference's zone sample, without summer time", () => {
    const clock = parseDisplayClock("15:10:00 Z5 Fri 03/16/2015\nTime Zone : Z5 add 05:00:00");
    expect(clock.zoneOffsetMinutes).toBe(300);
    expect(clock.summerTime).toBeNull();
  });
});

describe("an IRF split", () => {
  const member = (id: number) => ({
    member: id,
    role: id === 1 ? "Master" : "Standby",
    isMaster: id === 1,
    runningRelease: "2221P25",
    currentImage: "flash:/s5120ei-cmw520-r2221p25.bin",
    mainImage: "flash:/s5120ei-cmw520-r2221p25.bin",
    backupImage: null,
    freeBytes: 1e8,
    files: [],
  });
  const state = {
    hostname: "psv-r3",
    members: [member(1), member(2)],
    release: "2221P25",
    rebootNeeded: false,
  } as unknown as FirmwareState;
  const image = { fileName: "s5120ei-cmw520-r2221p25.bin", release: "2221P25", sizeBytes: 1 };

  it("names the missing member before anything, even on an up-to-date stack", () => {
    const plan = planFirmware(state, { ...image, expectedMembers: [1, 2, 3] });
    expect(plan.status).toBe("up-to-date");
    expect(plan.preflightErrors).toEqual([
      "IRF split on psv-r3: member(s) 3 missing from display irf (present: 1, 2); check the IRF links and rejoin the stack before any upgrade",
    ]);
  });
  it("says nothing when every expected member is there, or none is expected", () => {
    expect(irfSplitError(state, [1, 2])).toBeNull();
    expect(irfSplitError(state)).toBeNull();
    expect(planFirmware(state, image).preflightErrors).toEqual([]);
  });
  it("expects the declared members on a first create, and those the state saw besides on an update", () => {
    const seen = [1, 2, 4].map((id) => ({
      member: id,
      currentImage: null,
      mainImage: null,
      backupImage: null,
    }));
    expect(expectedIrfMembers({ irfMembers: [3, 1, 2] })).toEqual([1, 2, 3]);
    expect(expectedIrfMembers({ irfMembers: [1, 2, 3] }, seen)).toEqual([1, 2, 3, 4]);
    expect(expectedIrfMembers({}, seen)).toEqual([1, 2, 4]);
    expect(expectedIrfMembers({})).toBeUndefined();
  });
});
