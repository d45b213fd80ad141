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
  /** Hour, 0-23. */
  hour: number;
  /** Minute, 0-59. */
  minute: number;
  /** Calendar date on the switch clock; omitted means "the next hh:mm". */
  date?: {
    /** Four-digit year. */
    year: number;
    /** Month, 1-12. */
    month: number;
    /** Day of the month, 1-31. */
    day: number;
  };
}

/** Which boot image of a member to set: the one booted next ("main") or its fallback ("backup"). */
export type BootImageKind = "main" | "backup";

/** The command strings of a switch OS, and builders for those that take arguments. */
export interface DeviceCommands {
  /** Shows software version, release, model and uptime (Comware: `display version`). */
  displayVersion: string;
  /** Lists the IRF members with their roles (Comware: `display irf`). */
  displayIrf: string;
  /** Shows each member's current, main and backup boot images (Comware: `display boot-loader`). */
  displayBootLoader: string;
  /** Prints the running configuration (Comware: `display current-configuration`). */
  displayCurrentConfiguration: string;
  /** Prints the saved (startup) configuration (Comware: `display saved-configuration`). */
  displaySavedConfiguration: string;
  /** Shows the switch's date, time and time zone (Comware: `display clock`). */
  displayClock: string;
  /** Shows the scheduled reboot, if any (Comware: `display schedule reboot`). */
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
  /** Schedules a reboot at a time (and date) on the switch's clock. */
  scheduleRebootAt(at: RebootAt): string;
  /** Schedules a reboot in `minutes` minutes. */
  scheduleRebootDelay(minutes: number): string;
  /** Cancels the scheduled reboot. */
  undoScheduleReboot: string;
  /** Enters system view (configuration mode) from user view. */
  enterSystemView: string;
  /** Leaves any system sub-view straight to user view. */
  returnToUserView: string;
  /** Leaves one sub-view level. */
  quitView: string;
  /** Saves the running configuration as the startup configuration. */
  save: string;
  /** Checksum command on the device, when the OS has one (Comware 7 `md5sum`); undefined on Comware 5. */
  md5sum?: (path: string) => string;
  /** SHA-256 of a file on the device (Comware 7 `sha256sum`); undefined on Comware 5. */
  sha256sum?: (path: string) => string;
}

/** Parsers of a switch OS's command outputs: text in, typed value out, or a ParseError naming the command. */
export interface DeviceParsers {
  /** Parses the output of `displayVersion`. */
  version(text: string): VersionInfo;
  /** Parses the output of `displayIrf`. */
  irf(text: string): IrfInfo;
  /** Parses the output of `displayBootLoader`. */
  bootLoader(text: string): BootLoaderInfo;
  /** Parses the output of `dir` (one member's flash). */
  dir(text: string): DirListing;
  /** Parses the output of `displayClock`. */
  clock(text: string): SwitchClock;
  /** Parses a configuration (device output or desired text) into sections, volatile lines dropped. */
  config(text: string, profile: DeviceProfile): ParsedConfig;
  /** Parses the output of `displayScheduleReboot`; null when no reboot is scheduled. */
  scheduleReboot(text: string): ScheduledReboot | null;
  /** Extracts the digest printed by `md5sum`, when the profile has that command. */
  md5?: (text: string) => string;
  /** Extracts the digest printed by `sha256sum`, when the profile has that command. */
  sha256?: (text: string) => string;
}

/** Everything socle needs to know about one switch OS, as data (see {@link comware5}). */
export interface DeviceProfile {
  /** Stable identifier, e.g. "comware5". */
  id: string;
  /** Human-readable name used in messages. */
  displayName: string;
  /**
   * The software versions `display version` reports on this OS (e.g. /^5\.20(\.|$)/ for
   * "Version 5.20.99"): a switch is driven by the profile whose pattern matches, and one whose
   * version matches no profile (or not the profile its `os` names) is refused before any change.
   */
  softwareVersions: RegExp;
  /** Prompt patterns, matched against the last unterminated line of output. */
  prompts: {
    /** Any prompt (user view, system view or a sub-view), matched against the last unterminated line. */
    any: RegExp;
    /** User-view prompt, e.g. "<sw01>". */
    user: RegExp;
    /** System-view prompt, e.g. "[sw01]". */
    system: RegExp;
    /** A login banner question answered with Enter before the first prompt. */
    continueBanner: RegExp;
  };
  /** How the device pages long output, and how to turn paging off. */
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
    /** Questions `save` asks (confirm, keep the file name, overwrite). */
    save: ConfirmationAnswer[];
    /** Questions asked when setting a boot image. */
    setBootImage: ConfirmationAnswer[];
    /** Questions asked when copying a file to a member (confirm, overwrite). */
    copyFile: ConfirmationAnswer[];
    /** Questions asked when scheduling a reboot. */
    scheduleReboot: ConfirmationAnswer[];
    /** Questions asked when cancelling a scheduled reboot. */
    undoScheduleReboot: ConfirmationAnswer[];
  };
  /** Any `[Y/N]` question; an unexpected one is answered "no" and reported. */
  anyConfirmation: RegExp;
  /**
   * The image `display boot-loader` shows once `fileName` is set as boot image: the file
   * itself on Comware 5, the system image a Comware 7 `.ipe` package unpacks into.
   */
  installedImageName(fileName: string): string;
  /** `boot-loader file` puts the image on every member itself (Comware 7); else it is copied first (Comware 5). */
  bootLoaderCopiesToMembers: boolean;
  /** Output of `save` that proves the configuration was written. */
  saveSucceeded: RegExp;
  /** Command strings and builders. */
  commands: DeviceCommands;
  /** How configurations are read, compared and changed. */
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
  /** Parsers of the command outputs. */
  parsers: DeviceParsers;
}
