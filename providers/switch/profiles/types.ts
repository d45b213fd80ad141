// A device profile is everything socle needs to know about one switch OS, as
// data: prompts, paging, command strings, confirmation answers, error and
// volatile line patterns, and the parsers for its outputs. The session and the
// operations only ever talk to a device through a profile, so supporting
// another OS (Comware 7, ...) is one more profile module.
import type { BootLoaderInfo } from "../parsers/bootLoader";
import type { SwitchClock } from "../parsers/clock";
import type { ParsedConfig } from "../parsers/config";
import type { DirListing } from "../parsers/dir";
import type { IrfInfo } from "../parsers/irf";
import type { ScheduledReboot } from "../parsers/scheduleReboot";
import type { VersionInfo } from "../parsers/version";

/** A question the device asks, and what to type back (without the Enter). */
export interface ConfirmationAnswer {
  /** Matched against the unterminated last line of output. */
  pattern: RegExp;
  /** Text sent followed by Enter; "" sends Enter alone. */
  answer: string;
}

/** Where a scheduled reboot should happen, in the switch's own wall-clock time. */
export interface RebootAt {
  hour: number;
  minute: number;
  /** Calendar date on the switch clock; omitted means "the next hh:mm". */
  date?: { year: number; month: number; day: number };
}

export type BootImageKind = "main" | "backup";

export interface DeviceCommands {
  displayVersion: string;
  displayIrf: string;
  displayBootLoader: string;
  displayCurrentConfiguration: string;
  displaySavedConfiguration: string;
  displayClock: string;
  displayScheduleReboot: string;
  /** Lists the flash of one IRF member (the master's own flash when `member` is the master). */
  dir(member: number, isMaster: boolean): string;
  /** The path of a file on a member's flash as the CLI names it. */
  memberFilePath(member: number, isMaster: boolean, fileName: string): string;
  /** The SFTP path of a file on the master's flash. */
  sftpPath(fileName: string): string;
  /** Copies a file from the master's flash to another member's flash. */
  copyToMember(fileName: string, member: number): string;
  /** Sets the main or backup boot image of one member. */
  setBootImage(fileName: string, member: number, kind: BootImageKind): string;
  scheduleRebootAt(at: RebootAt): string;
  scheduleRebootDelay(minutes: number): string;
  undoScheduleReboot: string;
  enterSystemView: string;
  /** Leaves any system sub-view straight to user view. */
  returnToUserView: string;
  /** Leaves one sub-view level. */
  quitView: string;
  save: string;
  /** Checksum command on the device, when the OS has one (Comware 7 `md5sum`); undefined on Comware 5. */
  md5sum?: (path: string) => string;
}

export interface DeviceParsers {
  version(text: string): VersionInfo;
  irf(text: string): IrfInfo;
  bootLoader(text: string): BootLoaderInfo;
  dir(text: string): DirListing;
  clock(text: string): SwitchClock;
  config(text: string, profile: DeviceProfile): ParsedConfig;
  scheduleReboot(text: string): ScheduledReboot | null;
  /** Extracts the digest printed by `md5sum`, when the profile has that command. */
  md5?: (text: string) => string;
}

export interface DeviceProfile {
  /** Stable identifier, e.g. "comware5". */
  id: string;
  /** Human-readable name used in messages. */
  displayName: string;
  prompts: {
    /** Any prompt (user view, system view or a sub-view), matched against the last unterminated line. */
    any: RegExp;
    user: RegExp;
    system: RegExp;
    /** A login banner question answered with Enter before the first prompt. */
    continueBanner: RegExp;
  };
  paging: {
    /** Command that disables paging for this session. */
    disableCommand: string;
    /** The pager marker shown at the end of a page. */
    moreMarker: RegExp;
    /** What to send to get the next page. */
    moreAnswer: string;
    /** Residue the device leaves after erasing the marker (cursor moves and blanks). */
    residue: RegExp[];
  };
  /** Lines of output that mean the device refused a command. */
  errorLines: RegExp[];
  /** Confirmation prompts that are safe to answer, per operation. */
  confirmations: {
    save: ConfirmationAnswer[];
    setBootImage: ConfirmationAnswer[];
    copyFile: ConfirmationAnswer[];
    scheduleReboot: ConfirmationAnswer[];
    undoScheduleReboot: ConfirmationAnswer[];
  };
  /** Any `[Y/N]` question; an unexpected one is answered "no" and reported. */
  anyConfirmation: RegExp;
  /** Output of `save` that proves the configuration was written. */
  saveSucceeded: RegExp;
  commands: DeviceCommands;
  config: {
    /** Lines dropped before diffing: they change without anyone configuring anything. */
    volatileLines: RegExp[];
    /** Lines that carry secrets: shown masked in diffs. */
    secretLines: RegExp[];
    /**
     * Commands that hold one value per context: setting a new value replaces the old,
     * so the old line needs no `undo` (which could reset it after the new one).
     * Each pattern's first capture group is the command key.
     */
    singleValued: RegExp[];
    /** Section headers that can be removed with `undo <header>`; others are emptied line by line. */
    removableSections: RegExp[];
    /** Line that ends the configuration listing. */
    endMarker: string;
    /** Separator line between blocks. */
    separator: string;
  };
  parsers: DeviceParsers;
}
