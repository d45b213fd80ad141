// What the switch resources do inside the engine's dynamic-provider process:
// turn resource inputs into operations on a stack and operation results into
// resource outputs. Loaded by path at run time (see resources.ts), so the
// provider closures the engine serializes stay tiny.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { execFileSync } from "node:child_process";
import { profileForVersion, profileNamed } from "./profiles";
import type { DeviceProfile } from "./profiles/types";
import {
  applyConfig,
  backupConfig,
  diffConfig,
  maskSecrets,
  readConfig,
  readFirmwareState,
  scheduledMinuteOfDay,
  insideWindow,
  stackFirmwareStatus,
  upgradeFirmware,
  type FirmwareState,
  type MaintenanceWindow,
  type SwitchTarget,
} from "./operations";
import { assertValid, connectionFailures } from "./validation";

/** How the provider reaches one stack (secrets arrive here in clear: never log them). */
export interface ConnectionProps {
  switchName: string;
  /** Device profile name (see profiles/index.ts); when absent, the switch's `display version` picks it. */
  os?: string;
  host: string;
  port: number;
  username: string;
  password?: string;
  privateKey?: string;
  hostKeySha256: string;
  connectTimeoutMs?: number;
  commandTimeoutMs?: number;
  retryAttempts?: number;
}

// One provider process serves every switch resource of a program: this bounds
// how many SSH sessions it opens at once, whatever the engine's parallelism.
let slotsFree = parallelSessions(process.env.SOCLE_SWITCH_PARALLEL);

/** SOCLE_SWITCH_PARALLEL as a session count: a whole number from 1, default 16. */
export function parallelSessions(value: string | undefined): number {
  if (value === undefined || value.trim() === "") return 16;
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1) {
    throw new Error(
      `SOCLE_SWITCH_PARALLEL="${value}" is not a session count: give a whole number from 1 (default 16)`,
    );
  }
  return count;
}
const waiting: (() => void)[] = [];
async function withSlot<T>(work: () => Promise<T>): Promise<T> {
  if (slotsFree > 0) slotsFree--;
  else await new Promise<void>((resolve) => waiting.push(resolve));
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else slotsFree++;
  }
}

export { newImageFailures, preflight } from "./preflight";
// The providers' check calls these in the provider process (see resources.ts).
export { connectionFailures, firmwareFailures } from "./validation";

/** The device profile a resource's `os` names; undefined without one (the session detects it). */
export function profileOf(c: { switchName: string; os?: string }): DeviceProfile | undefined {
  return profileNamed(c.os, `switch ${c.switchName}`);
}

/**
 * The profile a switch was driven with: the one `os` names, else the one the switch's
 * software version selects (the session refused any other, so one always does).
 */
function drivenProfile(c: { switchName: string; os?: string }, softwareVersion: string): DeviceProfile {
  const profile = profileOf(c) ?? profileForVersion(softwareVersion);
  if (!profile)
    throw new Error(`switch ${c.switchName}: no device profile drives Comware ${softwareVersion}`);
  return profile;
}

/** The profile a configuration was read with (its `os` as the session reported it). */
function readProfile(c: { switchName: string }, os: string): DeviceProfile {
  return profileNamed(os, `switch ${c.switchName}`);
}

export function targetOf(c: ConnectionProps): SwitchTarget {
  assertValid(`switch ${c.switchName}`, connectionFailures(c));
  return {
    name: c.switchName,
    profile: profileOf(c),
    host: c.host,
    port: c.port,
    username: c.username,
    password: c.password,
    privateKey: c.privateKey,
    hostKeySha256: c.hostKeySha256,
    connectTimeoutMs: c.connectTimeoutMs,
    commandTimeoutMs: c.commandTimeoutMs,
    retry: c.retryAttempts !== undefined ? { attempts: c.retryAttempts } : undefined,
  };
}

// ---------------------------------------------------------------- firmware

export interface FirmwareProps extends ConnectionProps {
  imagePath: string;
  release: string;
  model?: string;
  sha256?: string;
  maintenanceWindow?: MaintenanceWindow;
  /** IRF member IDs the stack is built of; one missing from `display irf` is a split (create included). */
  irfMembers?: number[];
}

/**
 * The `status` output of a SwitchFirmware resource: "up-to-date" (every member
 * boots the desired image, the master runs its release and no reboot is
 * needed), "reboot-scheduled" (a reboot is scheduled inside the maintenance
 * window), "pending-reboot" (a reboot is still needed and none is scheduled
 * inside a window), "needs-install" (some member's main boot image is another file).
 */
export type FirmwareStatus = "up-to-date" | "reboot-scheduled" | "pending-reboot" | "needs-install";

/** Boot images of one IRF member, as the SwitchFirmware resource reports them. */
export interface MemberBootState {
  /** IRF member ID. */
  member: number;
  /** Image the member booted and runs now; null when none is shown. */
  currentImage: string | null;
  /** Main boot image for the next boot; null when none is set. */
  mainImage: string | null;
  /** Backup boot image; null when none is set. */
  backupImage: string | null;
}

export interface FirmwareOutputs {
  runningRelease: string;
  /** The model the switch reports; a separate name, so it never overwrites the `model` input. */
  runningModel: string;
  members: MemberBootState[];
  scheduledReboot: string | null;
  pendingReboot: boolean;
  status: FirmwareStatus;
  lastUploadResumedFrom: number | null;
}

/**
 * Where a stack stands against the desired image, from what was read on it:
 * planFirmware's status ({@link stackFirmwareStatus}), a pending reboot told
 * apart when it is scheduled inside the window.
 */
export function firmwareStatus(state: FirmwareState, desired: FirmwareProps): FirmwareStatus {
  const profile = drivenProfile(desired, state.softwareVersion);
  const bootName = profile.installedImageName(path.basename(desired.imagePath));
  const status = stackFirmwareStatus(state, bootName, desired.release);
  if (status !== "pending-reboot") return status;
  if (state.scheduledReboot) {
    const minute = scheduledMinuteOfDay(state.scheduledReboot);
    const inWindow =
      desired.maintenanceWindow && minute !== null && insideWindow(minute, desired.maintenanceWindow);
    return inWindow ? "reboot-scheduled" : "pending-reboot";
  }
  return "pending-reboot";
}

function firmwareOutputs(
  state: FirmwareState,
  desired: FirmwareProps,
  resumedFrom: number | null,
): FirmwareOutputs {
  const status = firmwareStatus(state, desired);
  return {
    runningRelease: state.release,
    runningModel: state.model,
    members: state.members.map((m) => ({
      member: m.member,
      currentImage: m.currentImage,
      mainImage: m.mainImage,
      backupImage: m.backupImage,
    })),
    scheduledReboot: state.scheduledReboot?.when ?? null,
    pendingReboot: status === "pending-reboot" || status === "reboot-scheduled",
    status,
    lastUploadResumedFrom: resumedFrom,
  };
}

/**
 * Whether `up` has work to do: the desired image or window changed, or the
 * stack (as last read) is not where they say it should be.
 */
export function firmwareNeedsChange(
  olds: FirmwareProps & Partial<FirmwareOutputs>,
  news: FirmwareProps,
): string[] {
  const reasons: string[] = [];
  if (path.basename(olds.imagePath) !== path.basename(news.imagePath)) reasons.push("imagePath");
  if (olds.release !== news.release) reasons.push("release");
  if (JSON.stringify(olds.maintenanceWindow ?? null) !== JSON.stringify(news.maintenanceWindow ?? null)) {
    reasons.push("maintenanceWindow");
  }
  if (olds.status === "needs-install") reasons.push("members");
  // A window means the reboot must be scheduled inside it, not left pending.
  if (news.maintenanceWindow && olds.status === "pending-reboot") reasons.push("scheduledReboot");
  return reasons;
}

/**
 * The members a stack must show in `display irf`: those declared (`irfMembers`)
 * and those the stored state last saw. One missing is an IRF split. On a
 * first create only the declared ones are known.
 */
export function expectedIrfMembers(
  props: Pick<FirmwareProps, "irfMembers">,
  previousMembers?: MemberBootState[],
): number[] | undefined {
  const ids = new Set([...(props.irfMembers ?? []), ...(previousMembers ?? []).map((m) => m.member)]);
  return ids.size > 0 ? [...ids].sort((a, b) => a - b) : undefined;
}

/**
 * Upgrades the stack to the desired image. A member of {@link expectedIrfMembers}
 * gone from `display irf` is an IRF split, refused before any change.
 */
export async function applyFirmware(
  props: FirmwareProps,
  previousMembers?: MemberBootState[],
): Promise<FirmwareOutputs> {
  return withSlot(async () => {
    const result = await upgradeFirmware(
      targetOf(props),
      {
        imagePath: props.imagePath,
        release: props.release,
        model: props.model,
        sha256: props.sha256,
        expectedMembers: expectedIrfMembers(props, previousMembers),
      },
      { rebootWindow: props.maintenanceWindow },
    );
    return firmwareOutputs(result.state, props, result.upload ? result.upload.resumedFrom : null);
  });
}

export async function observeFirmware(
  props: FirmwareProps & Partial<FirmwareOutputs>,
): Promise<FirmwareOutputs> {
  const state = await withSlot(() => readFirmwareState(targetOf(props)));
  return firmwareOutputs(state, props, props.lastUploadResumedFrom ?? null);
}

// ---------------------------------------------------------------- configuration

export interface ConfigurationProps extends ConnectionProps {
  /** Desired configuration in device syntax. */
  config: string;
  scope: "sections" | "whole";
}

export interface ConfigurationOutputs {
  /** Meaningful lines found on the switch for what this resource manages, section by section. */
  observed: string[];
  /** The +/- lines between the switch and the desired configuration ("" when in step). */
  drift: string;
}

/** The managed part of a configuration as flat "section / line" strings, secrets masked. */
function managedLines(
  text: string,
  desired: string,
  scope: "sections" | "whole",
  profile: DeviceProfile,
): string[] {
  const actual = profile.parsers.config(text, profile);
  const wanted = profile.parsers.config(desired, profile);
  const headers = new Set(wanted.sections.map((s) => s.header));
  const lines: string[] = [];
  for (const section of actual.sections) {
    if (scope === "sections" && !headers.has(section.header)) continue;
    const prefix = section.header ?? "(global)";
    const wantedSection = wanted.sections.find((s) => s.header === section.header);
    for (const line of section.lines) {
      // In "sections" scope the global block is managed line by line.
      if (scope === "sections" && section.header === null && !wantedSection?.lines.includes(line)) continue;
      lines.push(`${prefix} | ${maskSecrets(line, profile)}`);
    }
  }
  return lines;
}

/** What a configuration resource records after reading the switch: observed lines and drift, secrets masked. */
export function configOutputs(
  text: string,
  props: ConfigurationProps,
  profile: DeviceProfile,
): ConfigurationOutputs {
  const diff = diffConfig(text, props.config, profile, props.scope);
  return {
    observed: managedLines(text, props.config, props.scope, profile),
    drift: diff.hasChanges ? diff.text : "",
  };
}

/** What moved: the desired text or scope, or the switch itself (drift found on refresh). */
export function configurationNeedsChange(
  olds: ConfigurationProps & Partial<ConfigurationOutputs>,
  news: ConfigurationProps,
): string[] {
  const reasons: string[] = [];
  if (olds.config !== news.config) reasons.push("config");
  if (olds.scope !== news.scope) reasons.push("scope");
  if (olds.drift) reasons.push("drift");
  return reasons;
}

export async function applyConfiguration(props: ConfigurationProps): Promise<ConfigurationOutputs> {
  return withSlot(async () => {
    const target = targetOf(props);
    await applyConfig(target, { text: props.config, scope: props.scope });
    const after = await readConfig(target);
    return configOutputs(after.text, props, readProfile(props, after.os));
  });
}

export async function observeConfiguration(props: ConfigurationProps): Promise<ConfigurationOutputs> {
  const current = await withSlot(() => readConfig(targetOf(props)));
  return configOutputs(current.text, props, readProfile(props, current.os));
}

// ---------------------------------------------------------------- backup

export interface BackupProps extends ConnectionProps {
  /** Archive directory; each switch gets a folder in it. */
  directory: string;
  /** Commit each new backup in the directory's git repository (created when missing). */
  git: boolean;
}

export interface BackupOutputs {
  /** Hash of the meaningful lines of the running configuration as last read. */
  currentHash: string;
  /** Hash of the configuration in the newest archived file. */
  archivedHash: string;
  /** Newest archived file, relative to the directory. */
  latestFile: string;
  /** Lines that changed against the previous backup ("" for the first one). */
  changes: string;
}

/** Hash of a configuration without its volatile lines, so a clock tick is not a change. */
export function meaningfulHash(text: string, profile: DeviceProfile): string {
  const parsed = profile.parsers.config(text, profile);
  return createHash("sha256").update(JSON.stringify(parsed.sections)).digest("hex").slice(0, 16);
}

/** Archive file name for a backup taken at `when`: sorts by date, safe on every filesystem. */
export function backupFileName(when: Date): string {
  return `${when
    .toISOString()
    .replace(/[:]/g, "-")
    .replace(/\.\d+Z$/, "Z")}.cfg`;
}

/** Writes a dated backup and its diff against the previous one; returns what it wrote. */
export function archiveBackup(
  directory: string,
  switchName: string,
  text: string,
  when: Date,
  git: boolean,
  profile: DeviceProfile,
): BackupOutputs {
  const folder = path.join(directory, switchName);
  fs.mkdirSync(folder, { recursive: true });
  const previous = fs
    .readdirSync(folder)
    .filter((f) => f.endsWith(".cfg"))
    .sort()
    .pop();
  const file = backupFileName(when);
  const hash = meaningfulHash(text, profile);
  const previousText = previous ? fs.readFileSync(path.join(folder, previous), "utf8") : null;
  // Same meaningful lines, no diff to compute (most daily backups): the hash says so.
  const changes =
    previousText !== null && meaningfulHash(previousText, profile) !== hash
      ? diffConfig(previousText, text, profile, "whole").text
      : "";
  fs.writeFileSync(path.join(folder, file), text);
  if (changes) fs.writeFileSync(path.join(folder, file.replace(/\.cfg$/, ".diff")), changes + "\n");
  if (git) commitBackup(directory, `${switchName}: configuration backup ${file}`);
  return { currentHash: hash, archivedHash: hash, latestFile: path.join(switchName, file), changes };
}

function commitBackup(directory: string, message: string): void {
  const run = (...args: string[]) =>
    execFileSync("git", ["-C", directory, ...args], {
      stdio: "pipe",
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: "socle",
        GIT_AUTHOR_EMAIL: "socle@localhost",
        GIT_COMMITTER_NAME: "socle",
        GIT_COMMITTER_EMAIL: "socle@localhost",
      },
    });
  if (!fs.existsSync(path.join(directory, ".git"))) run("init", "--quiet");
  run("add", "--all");
  run("commit", "--quiet", "--allow-empty", "-m", message);
}

/** A new backup is due when the running configuration moved since the archived one. */
export function backupNeedsChange(olds: BackupProps & Partial<BackupOutputs>, news: BackupProps): string[] {
  const reasons: string[] = [];
  if (olds.currentHash !== olds.archivedHash) reasons.push("currentHash");
  if (olds.directory !== news.directory) reasons.push("directory");
  if (olds.git !== news.git) reasons.push("git");
  return reasons;
}

export async function takeBackup(props: BackupProps): Promise<BackupOutputs> {
  const backup = await withSlot(() => backupConfig(targetOf(props)));
  return archiveBackup(
    props.directory,
    props.switchName,
    backup.text,
    new Date(),
    props.git,
    readProfile(props, backup.os),
  );
}

export async function observeBackup(props: BackupProps & BackupOutputs): Promise<BackupOutputs> {
  const current = await withSlot(() => readConfig(targetOf(props)));
  return {
    ...pickBackupOutputs(props),
    currentHash: meaningfulHash(current.text, readProfile(props, current.os)),
  };
}

function pickBackupOutputs(o: BackupOutputs): BackupOutputs {
  return {
    currentHash: o.currentHash,
    archivedHash: o.archivedHash,
    latestFile: o.latestFile,
    changes: o.changes,
  };
}
