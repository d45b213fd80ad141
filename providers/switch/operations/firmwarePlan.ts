// Pure firmware decisions: what an upgrade must do given the state read from a
// stack, and when a reboot may happen given the switch's clock and a
// maintenance window. No I/O here.
import { sameImage } from "../parsers/bootLoader";
import type { SwitchClock } from "../parsers/clock";
import type { ScheduledReboot } from "../parsers/scheduleReboot";
import type { RebootAt } from "../profiles/types";
import { assertValid, minuteOfDay, windowFailures } from "../validation";

/** Firmware state of one IRF member, as read from the stack. */
export interface MemberFirmware {
  /** IRF member ID (its slot number). */
  member: number;
  /** Role as `display irf` prints it: "Master", "Slave", "Standby", ... */
  role: string;
  /** True for the IRF master. */
  isMaster: boolean;
  /** Release this member runs now, e.g. "2208P01". */
  runningRelease: string | null;
  /** Image the member booted (and runs now), as `display boot-loader` prints it; null when none is shown. */
  currentImage: string | null;
  /** Main boot image for the next boot; null when none is set. */
  mainImage: string | null;
  /** Backup boot image (booted when the main one fails); null when none is set. */
  backupImage: string | null;
  /** Free space on the member's flash, in bytes; null when `dir` printed no summary line. */
  freeBytes: number | null;
  /** Files on this member's flash (name and size). */
  files: {
    /** File name on flash. */
    name: string;
    /** Size in bytes. */
    sizeBytes: number;
  }[];
}

/** Firmware state of a whole stack, as {@link readFirmwareState} reads it. */
export interface FirmwareState {
  /** Hostname shown in the switch's prompt. */
  hostname: string;
  /** Vendor word of the model line ("HP", "HPE", "H3C", "3Com"), null when there is none. */
  vendor: string | null;
  /** Model as `display version` prints it, without the vendor word. */
  model: string;
  /** Comware software version, e.g. "5.20.99". */
  softwareVersion: string;
  /** Release the master runs. */
  release: string;
  /** Every IRF member (a switch without IRF counts as member 1). */
  members: MemberFirmware[];
  /** The reboot scheduled with `schedule reboot`, if any. */
  scheduledReboot: ScheduledReboot | null;
  /** True when some member would boot another image than the one it runs. */
  rebootNeeded: boolean;
  /** The switch's clock when read: reboot times are chosen on it. */
  clock: SwitchClock;
}

/** The image an upgrade installs, as {@link planFirmware} needs it. */
export interface DesiredImage {
  /** Bare file name on flash, e.g. "s5120ei-cmw520-r2221p25.bin". */
  fileName: string;
  /** Release the image runs, as `display version` prints it, e.g. "2221P25". */
  release: string;
  /** Size of the image file in bytes; a file of another size on flash is incomplete or wrong. */
  sizeBytes: number;
  /** Expected model, matched as a case-insensitive substring of the model line, e.g. "A5120-24G-PoE+ EI". */
  model?: string;
  /** IRF member IDs the stack had (as last seen); one missing from `display irf` is an IRF split. @default no check */
  expectedMembers?: number[];
  /** The image `display boot-loader` shows once it is set (the profile's installedImageName). @default fileName */
  bootImageName?: string;
  /** `boot-loader file` puts the image on members itself (Comware 7): no copy to members. @default false */
  copiedByBootLoader?: boolean;
}

/** The preflight error of an IRF split: members expected but absent from `display irf`; null when none is. */
export function irfSplitError(state: FirmwareState, expectedMembers: number[] = []): string | null {
  const present = state.members.map((m) => m.member);
  const missing = expectedMembers.filter((id) => !present.includes(id));
  if (missing.length === 0) return null;
  return (
    `IRF split on ${state.hostname}: member(s) ${missing.join(", ")} missing from display irf ` +
    `(present: ${present.join(", ")}); check the IRF links and rejoin the stack before any upgrade`
  );
}

/**
 * Where a stack stands against a desired image: "up-to-date" (every member boots
 * and runs it), "pending-reboot" (every member boots it, some still run another
 * release), "needs-install" (some member's main boot image is another).
 */
export type FirmwareStatus = "up-to-date" | "pending-reboot" | "needs-install";

/** What an upgrade must do on a stack, from {@link planFirmware}. */
export interface FirmwarePlan {
  /** Where the stack stands; the other fields are only filled in for "needs-install". */
  status: FirmwareStatus;
  /** Reasons the upgrade must not start (model, free flash); empty when it may. */
  preflightErrors: string[];
  /** The master lacks the file at full size (absent or partial upload). */
  uploadToMaster: boolean;
  /** Bytes already on the master from an interrupted upload. */
  partialBytesOnMaster: number;
  /** Members other than the master that need a copy of the file. */
  copyToMembers: number[];
  /** Members whose main boot image must become the desired file. */
  setMainOn: number[];
  /** Per member switched: its previous main image, to keep as backup (null when none). */
  previousMain: Record<number, string | null>;
}

function hasFullFile(member: MemberFirmware, image: DesiredImage): boolean {
  return member.files.some((f) => sameImage(f.name, image.fileName) && f.sizeBytes === image.sizeBytes);
}

function normaliseModel(model: string): string {
  return model.toLowerCase().replace(/\s+/g, " ").trim();
}

/** True when `expected` appears in `actual`, ignoring case and repeated spaces. */
export function modelMatches(actual: string, expected: string): boolean {
  return normaliseModel(actual).includes(normaliseModel(expected));
}

const kib = (bytes: number) => Math.ceil(bytes / 1024);

/**
 * Where a stack stands against the image `fileName` (as `display boot-loader` shows it,
 * the profile's installedImageName) running `release`: the one
 * definition of "up to date" (planFirmware and the SwitchFirmware resource use
 * it). "needs-install" when some member's main boot image is another file;
 * "up-to-date" when every member runs the release and boots the image it runs;
 * "pending-reboot" otherwise. File names compare as Comware does (case-insensitive).
 */
export function stackFirmwareStatus(state: FirmwareState, fileName: string, release: string): FirmwareStatus {
  if (!state.members.every((m) => sameImage(m.mainImage, fileName))) return "needs-install";
  const allRun = state.members.every((m) => (m.runningRelease ?? state.release) === release);
  return allRun && !state.rebootNeeded ? "up-to-date" : "pending-reboot";
}

/**
 * Decides what an upgrade must do (upload to the master, copies to members,
 * main boot images to set) and checks the model and the free flash, from the
 * state read on the stack. Pure.
 */
export function planFirmware(state: FirmwareState, image: DesiredImage): FirmwarePlan {
  const master = state.members.find((m) => m.isMaster) ?? state.members[0];
  const bootName = image.bootImageName ?? image.fileName;
  const setMainOn = state.members.filter((m) => !sameImage(m.mainImage, bootName)).map((m) => m.member);
  const status = stackFirmwareStatus(state, bootName, image.release);

  const plan: FirmwarePlan = {
    status,
    preflightErrors: [],
    uploadToMaster: false,
    partialBytesOnMaster: 0,
    copyToMembers: [],
    setMainOn: [],
    previousMain: {},
  };
  // A split stack is named before anything else, whatever its firmware status.
  const split = irfSplitError(state, image.expectedMembers);
  if (split) plan.preflightErrors.push(split);
  if (status !== "needs-install") return plan;

  if (image.model && !modelMatches(state.model, image.model)) {
    plan.preflightErrors.push(
      `model mismatch on ${state.hostname}: the switch is "${state.model}", the image is for "${image.model}"`,
    );
  }
  const partial = master.files.find((f) => sameImage(f.name, image.fileName));
  plan.uploadToMaster = !hasFullFile(master, image);
  plan.partialBytesOnMaster = partial && partial.sizeBytes < image.sizeBytes ? partial.sizeBytes : 0;
  plan.copyToMembers = state.members
    .filter((m) => !m.isMaster && !image.copiedByBootLoader && !hasFullFile(m, image))
    .map((m) => m.member);
  plan.setMainOn = setMainOn;
  for (const m of state.members) if (setMainOn.includes(m.member)) plan.previousMain[m.member] = m.mainImage;

  // Free flash on every member that must receive the file.
  for (const m of state.members) {
    const needsFile = m.isMaster ? plan.uploadToMaster : plan.copyToMembers.includes(m.member);
    if (!needsFile) continue;
    const existing = m.files.find((f) => sameImage(f.name, image.fileName));
    // A partial upload on the master is resumed; a wrong-size file is overwritten in place.
    const needed = image.sizeBytes - (existing?.sizeBytes ?? 0);
    if (m.freeBytes === null) {
      plan.preflightErrors.push(`cannot read free flash space of member ${m.member} on ${state.hostname}`);
    } else if (m.freeBytes < needed) {
      plan.preflightErrors.push(
        `not enough flash on member ${m.member} of ${state.hostname}: ${kib(m.freeBytes)} KB free, ` +
          `${kib(needed)} KB needed for ${image.fileName}; delete old images (delete /unreserved) and reset recycle-bin`,
      );
    }
  }
  return plan;
}

// ---------------------------------------------------------------- maintenance window

/** A daily window, on the switch's clock, in which a reboot may be scheduled. */
export interface MaintenanceWindow {
  /** Start, switch-clock "HH:MM". */
  start: string;
  /** End (exclusive), switch-clock "HH:MM"; earlier than start means the window crosses midnight. */
  end: string;
}

/** Validates a window (every failure at once) and returns its start and length in minutes. */
export function windowMinutes(window: MaintenanceWindow): {
  /** Start, in minutes after midnight (0-1439). */
  start: number;
  /** Length in minutes (1-1439). */
  length: number;
} {
  assertValid("maintenance window", windowFailures(window));
  const start = minuteOfDay(window.start);
  return { start, length: (minuteOfDay(window.end) - start + 1440) % 1440 };
}

/** True when the switch-clock minute-of-day lies inside the window. */
export function insideWindow(minuteOfDay: number, window: MaintenanceWindow): boolean {
  const { start, length } = windowMinutes(window);
  return (minuteOfDay - start + 1440) % 1440 < length;
}

/**
 * The earliest time at least `leadMinutes` after the switch's clock that lies
 * inside the window: now + lead when that is still inside, else the next start.
 * Never outside the window.
 */
export function chooseRebootTime(clock: SwitchClock, window: MaintenanceWindow, leadMinutes = 5): RebootAt {
  const { start } = windowMinutes(window);
  // Work on the wall clock as if it were UTC: only calendar arithmetic is needed.
  const now =
    Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute) +
    (clock.second > 0 ? 60_000 : 0);
  const earliest = new Date(now + leadMinutes * 60_000);
  const earliestMinute = earliest.getUTCHours() * 60 + earliest.getUTCMinutes();
  let at = earliest;
  if (!insideWindow(earliestMinute, window)) {
    const delta = (start - earliestMinute + 1440) % 1440;
    at = new Date(earliest.getTime() + delta * 60_000);
  }
  return {
    hour: at.getUTCHours(),
    minute: at.getUTCMinutes(),
    date: { year: at.getUTCFullYear(), month: at.getUTCMonth() + 1, day: at.getUTCDate() },
  };
}

/** Parses the "HH:MM MM/DD/YYYY" of `display schedule reboot` to minute-of-day, or null. */
export function scheduledMinuteOfDay(reboot: ScheduledReboot): number | null {
  const m = /^(\d{1,2}):(\d{2})/.exec(reboot.when);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/** What to do about the reboot once the boot images are set (see {@link decideReboot}). */
export type RebootDecision =
  | {
      /** Nothing to do: no member needs a reboot, or one is already scheduled inside the window. */
      action: "none";
      /** Why, for the log. */
      reason: string;
    }
  | {
      /** Schedule a reboot. */
      action: "schedule";
      /** When, on the switch's clock. */
      at: RebootAt;
    }
  | {
      /** Cancel the reboot scheduled outside the window and schedule one inside it. */
      action: "cancel-and-schedule";
      /** New time, on the switch's clock. */
      at: RebootAt;
      /** Why the scheduled reboot is replaced. */
      reason: string;
    }
  | {
      /** Leave the reboot pending: no maintenance window was given. */
      action: "leave-pending";
      /** Why, for the log. */
      reason: string;
    };

/**
 * What to do about the reboot after the boot images are set: nothing when no
 * member needs one, keep a schedule already inside the window, replace one
 * outside it, or leave the reboot pending when no window is given.
 */
export function decideReboot(
  rebootNeeded: boolean,
  scheduled: ScheduledReboot | null,
  clock: SwitchClock,
  window: MaintenanceWindow | undefined,
  leadMinutes = 5,
): RebootDecision {
  if (!rebootNeeded) return { action: "none", reason: "every member already runs its main image" };
  if (!window) return { action: "leave-pending", reason: "no maintenance window given: reboot left pending" };
  if (scheduled) {
    const minute = scheduledMinuteOfDay(scheduled);
    if (minute !== null && insideWindow(minute, window)) {
      return { action: "none", reason: `reboot already scheduled at ${scheduled.when}, inside the window` };
    }
    return {
      action: "cancel-and-schedule",
      at: chooseRebootTime(clock, window, leadMinutes),
      reason: `scheduled reboot at ${scheduled.when} is outside the window ${window.start}-${window.end}`,
    };
  }
  return { action: "schedule", at: chooseRebootTime(clock, window, leadMinutes) };
}
