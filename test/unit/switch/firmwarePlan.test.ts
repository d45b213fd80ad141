import { describe, expect, it } from "vitest";
import type { SwitchClock } from "../../../providers/switch/parsers/clock";
import {
  chooseRebootTime,
  decideReboot,
  insideWindow,
  modelMatches,
  planFirmware,
  windowMinutes,
  type DesiredImage,
  type FirmwareState,
  type MemberFirmware,
} from "../../../providers/switch/operations/firmwarePlan";

const OLD = "s5120ei-cmw520-r2208p01.bin";
const NEW = "s5120ei-cmw520-r2221p25.bin";
const SIZE = 14_000_000;

function member(id: number, overrides: Partial<MemberFirmware> = {}): MemberFirmware {
  return {
    member: id,
    role: id === 1 ? "Master" : "Slave",
    isMaster: id === 1,
    runningRelease: null,
    currentImage: `flash:/${OLD}`,
    mainImage: `flash:/${OLD}`,
    backupImage: null,
    freeBytes: 100_000 * 1024,
    files: [{ name: OLD, sizeBytes: 65536 }],
    ...overrides,
  };
}

const clock = (hour: number, minute: number, second = 0, day = 22, month = 11, year = 2026): SwitchClock => ({
  year,
  month,
  day,
  hour,
  minute,
  second,
  zone: "UTC",
  weekday: "Sun",
  zoneOffsetMinutes: null,
  summerTime: null,
});

function state(members: MemberFirmware[], release = "2208P01"): FirmwareState {
  return {
    hostname: "sw01",
    vendor: "HP",
    model: "A5120-24G EI Switch with 2 Interface Slots",
    softwareVersion: "5.20.99",
    release,
    members,
    scheduledReboot: null,
    rebootNeeded: false,
    clock: clock(12, 0),
  };
}

const image: DesiredImage = { fileName: NEW, release: "2221P25", sizeBytes: SIZE, model: "A5120-24G EI" };

describe("planFirmware", () => {
  it("plans upload, copies and main image on every member of a fresh stack", () => {
    const plan = planFirmware(state([member(1), member(2), member(3)]), image);
    expect(plan).toEqual({
      status: "needs-install",
      preflightErrors: [],
      uploadToMaster: true,
      partialBytesOnMaster: 0,
      copyToMembers: [2, 3],
      setMainOn: [1, 2, 3],
      previousMain: { 1: `flash:/${OLD}`, 2: `flash:/${OLD}`, 3: `flash:/${OLD}` },
    });
  });

  it("is up to date when every member runs the release and boots the image (second up does nothing)", () => {
    const done = (id: number) =>
      member(id, {
        currentImage: `flash:/${NEW}`,
        mainImage: `flash:/${NEW}`,
        files: [{ name: NEW, sizeBytes: SIZE }],
      });
    const plan = planFirmware(state([done(1), done(2)], "2221P25"), image);
    expect(plan.status).toBe("up-to-date");
    expect(plan.setMainOn).toEqual([]);
    expect(plan.uploadToMaster).toBe(false);
  });

  it("is pending-reboot when every member boots the image next but still runs the old release", () => {
    const set = (id: number) =>
      member(id, { mainImage: `flash:/${NEW}`, files: [{ name: NEW, sizeBytes: SIZE }] });
    expect(planFirmware(state([set(1), set(2)]), image).status).toBe("pending-reboot");
  });

  it("resumes a partial upload and continues an interrupted switch-over (only the members left)", () => {
    const plan = planFirmware(
      state([
        member(1, {
          mainImage: `flash:/${NEW}`,
          backupImage: `flash:/${OLD}`,
          files: [{ name: NEW, sizeBytes: SIZE }],
        }),
        member(2, { files: [{ name: NEW, sizeBytes: 1000 }] }),
      ]),
      image,
    );
    expect(plan.uploadToMaster).toBe(false);
    expect(plan.copyToMembers).toEqual([2]); // wrong size on member 2: copied again
    expect(plan.setMainOn).toEqual([2]);
    const partial = planFirmware(
      state([member(1, { files: [{ name: NEW.toUpperCase(), sizeBytes: 4_000_000 }] })]),
      image,
    );
    expect(partial.uploadToMaster).toBe(true);
    expect(partial.partialBytesOnMaster).toBe(4_000_000);
  });

  it("refuses a model mismatch and names the member short of flash, with the fix", () => {
    const plan = planFirmware(
      { ...state([member(1), member(2, { freeBytes: 1000 * 1024 })]), model: "A5500-24G EI Switch" },
      image,
    );
    expect(plan.preflightErrors).toEqual([
      'model mismatch on sw01: the switch is "A5500-24G EI Switch", the image is for "A5120-24G EI"',
      `not enough flash on member 2 of sw01: 1000 KB free, ${Math.ceil(SIZE / 1024)} KB needed for ${NEW}; delete old images (delete /unreserved) and reset recycle-bin`,
    ]);
  });

  it("counts the resumed part of a partial upload as already there when checking free space", () => {
    const plan = planFirmware(
      state([member(1, { freeBytes: 5_000_000, files: [{ name: NEW, sizeBytes: 10_000_000 }] })]),
      image,
    );
    expect(plan.preflightErrors).toEqual([]);
  });

  it("matches models case- and space-insensitively as a substring", () => {
    expect(modelMatches("A5120-24G-PoE+ EI Switch with 2 Interface Slots", "a5120-24g-poe+  ei")).toBe(true);
    expect(modelMatches("S5120-52P-SI", "S5120-48P-EI")).toBe(false);
  });
});

describe("maintenance window", () => {
  const night = { start: "02:00", end: "04:00" };
  const crossing = { start: "23:00", end: "01:30" };

  it("schedules now + lead when inside the window", () => {
    expect(chooseRebootTime(clock(2, 10), night, 5)).toEqual({
      hour: 2,
      minute: 15,
      date: { year: 2026, month: 11, day: 22 },
    });
  });

  it("rounds seconds up so the lead is never shortened", () => {
    expect(chooseRebootTime(clock(2, 10, 30), night, 5)).toMatchObject({ hour: 2, minute: 16 });
  });

  it("waits for the next start when now + lead would leave the window, or is before it", () => {
    expect(chooseRebootTime(clock(3, 58), night, 5)).toEqual({
      hour: 2,
      minute: 0,
      date: { year: 2026, month: 11, day: 23 },
    });
    expect(chooseRebootTime(clock(12, 0), night, 5)).toEqual({
      hour: 2,
      minute: 0,
      date: { year: 2026, month: 11, day: 23 },
    });
    expect(chooseRebootTime(clock(1, 0), night, 5)).toEqual({
      hour: 2,
      minute: 0,
      date: { year: 2026, month: 11, day: 22 },
    });
  });

  it("handles windows across midnight and month/year ends", () => {
    expect(chooseRebootTime(clock(23, 58, 0, 31, 12, 2026), crossing, 5)).toEqual({
      hour: 0,
      minute: 3,
      date: { year: 2027, month: 1, day: 1 },
    });
    expect(chooseRebootTime(clock(1, 28, 0, 31, 12, 2026), crossing, 5)).toEqual({
      hour: 23,
      minute: 0,
      date: { year: 2026, month: 12, day: 31 },
    });
  });

  it("never returns a time outside the window (exhaustive over a day, several windows)", () => {
    for (const window of [
      night,
      crossing,
      { start: "00:00", end: "00:01" },
      { start: "12:00", end: "11:59" },
    ]) {
      const { length } = windowMinutes(window);
      for (let minute = 0; minute < 1440; minute += 7) {
        const at = chooseRebootTime(clock(Math.floor(minute / 60), minute % 60), window, 5);
        expect(
          insideWindow(at.hour * 60 + at.minute, window),
          `${window.start}-${window.end} at ${minute}`,
        ).toBe(true);
        const delay = (at.hour * 60 + at.minute - minute + 1440) % 1440 || 1440;
        expect(delay).toBeGreaterThanOrEqual(Math.min(5, length));
      }
    }
  });

  it("rejects malformed windows naming the field", () => {
    expect(() => windowMinutes({ start: "25:00", end: "04:00" })).toThrow(/start "25:00" is not a time/);
    expect(() => windowMinutes({ start: "02:00", end: "2am" })).toThrow(/end "2am"/);
    expect(() => windowMinutes({ start: "02:00", end: "02:00" })).toThrow(/at least 1 minute/);
  });

  it("decides: nothing to reboot, leave pending without a window, keep a schedule inside, replace one outside", () => {
    expect(decideReboot(false, null, clock(12, 0), night).action).toBe("none");
    expect(decideReboot(true, null, clock(12, 0), undefined)).toEqual({
      action: "leave-pending",
      reason: "no maintenance window given: reboot left pending",
    });
    expect(decideReboot(true, { when: "02:30 11/23/2026", inMinutes: 870 }, clock(12, 0), night).action).toBe(
      "none",
    );
    const replaced = decideReboot(true, { when: "12:30 11/22/2026", inMinutes: 30 }, clock(12, 0), night);
    expect(replaced).toMatchObject({ action: "cancel-and-schedule", at: { hour: 2, minute: 0 } });
    expect(decideReboot(true, null, clock(12, 0), night)).toMatchObject({
      action: "schedule",
      at: { hour: 2, minute: 0 },
    });
  });
});
