// Firmware state of an IRF stack, and the upgrade: preflight -> SFTP upload
// (resumed after a cut) -> verification -> copy to members -> main boot image
// on every member (all or nothing, previous main kept as backup) -> reboot
// inside a maintenance window or left pending. Every step re-reads the device,
// so running it again after any failure continues where it stopped.
import { createHash } from "node:crypto";
import { createReadStream, promises as fsp } from "node:fs";
import * as path from "node:path";
import { imageFileName, sameImage, type BootImages } from "../parsers/bootLoader";
import { ParseError } from "../parsers/common";
import { findFile } from "../parsers/dir";
import type { IrfInfo } from "../parsers/irf";
import type { ScheduledReboot } from "../parsers/scheduleReboot";
import { memberRunningRelease } from "../parsers/version";
import type { RebootAt } from "../profiles/types";
import { DeviceCommandError, SwitchError } from "../errors";
import type { SwitchSession } from "../session";
import type { UploadResult } from "../sftp";
import { cancelScheduledReboot, readScheduledReboot, scheduleReboot } from "./device";
import {
  decideReboot,
  insideWindow,
  planFirmware,
  scheduledMinuteOfDay,
  type DesiredImage,
  type FirmwarePlan,
  type FirmwareState,
  type MaintenanceWindow,
  type MemberFirmware,
} from "./firmwarePlan";
import { targetName, withTargetRetry, type OperationOptions, type SwitchTarget } from "./target";

// ---------------------------------------------------------------- errors

/** The upgrade must not start: model, free flash ... (nothing was changed). */
export class FirmwarePreflightError extends SwitchError {
  constructor(
    host: string,
    /** Why the upgrade must not start (model mismatch, not enough flash, ...). */
    readonly problems: string[],
  ) {
    super(`firmware preflight failed on ${host}: ${problems.join("; ")}`, host, false);
  }
}

/** The uploaded image does not match the local file; the boot image was not set. */
export class ImageVerificationError extends SwitchError {
  constructor(host: string, detail: string) {
    super(`image verification failed on ${host}: ${detail}; the boot image was NOT changed`, host, false);
  }
}

/** A member refused the boot image; members switched before it were restored. */
export class BootImageRefusedError extends SwitchError {
  constructor(
    host: string,
    /** The member that refused the image. */
    readonly member: number,
    /** The device's error line, or null when it printed none (reading back showed the image was not set). */
    readonly deviceError: string | null,
    /** Members set back to their previous main image. */
    readonly restoredMembers: number[],
    /** Members that could not be set back: they would boot the new image. */
    readonly unrestoredMembers: number[],
  ) {
    const restored =
      unrestoredMembers.length === 0
        ? restoredMembers.length > 0
          ? `member(s) ${restoredMembers.join(", ")} restored to their previous main image; no member is half-switched`
          : "no member was switched"
        : `member(s) ${unrestoredMembers.join(", ")} could NOT be restored and boot the new image: ` +
          `set their previous image back with "boot-loader file <old> slot N main"`;
    super(
      `member ${member} of ${host} refused the boot image${deviceError ? ` (${deviceError})` : ""}; ${restored}`,
      host,
      false,
    );
  }
}

// ---------------------------------------------------------------- reading state

async function readIrf(session: SwitchSession): Promise<IrfInfo> {
  const p = session.profile;
  try {
    return p.parsers.irf(await session.runChecked(p.commands.displayIrf));
  } catch (error) {
    // A standalone switch without IRF support answers with an error: treat it as member 1.
    if (error instanceof DeviceCommandError || error instanceof ParseError) {
      return {
        members: [
          {
            id: 1,
            role: "Master",
            isMaster: true,
            isLoginMember: true,
            priority: 1,
            cpuMac: "",
            description: "",
          },
        ],
        masterId: 1,
        bridgeMac: null,
        autoUpgrade: null,
        domainId: null,
      };
    }
    throw error;
  }
}

async function readBootImages(session: SwitchSession, masterId: number): Promise<Map<number, BootImages>> {
  const p = session.profile;
  const info = p.parsers.bootLoader(await session.runChecked(p.commands.displayBootLoader));
  return new Map(info.slots.map((s) => [s.slot ?? masterId, s]));
}

async function readScheduled(session: SwitchSession): Promise<ScheduledReboot | null> {
  try {
    return await readScheduledReboot(session);
  } catch (error) {
    if (error instanceof DeviceCommandError) return null;
    throw error;
  }
}

/** Reads running version, boot images, flash space and pending reboot of every member. */
export async function readFirmwareStateWith(session: SwitchSession): Promise<FirmwareState> {
  const p = session.profile;
  const c = p.commands;
  // Read when the session opened (it chose or checked the profile); the release only moves on a reboot.
  const version = session.version;
  const irf = await readIrf(session);
  const boot = await readBootImages(session, irf.masterId);
  const members: MemberFirmware[] = [];
  for (const m of irf.members) {
    const listing = p.parsers.dir(await session.runChecked(c.dir(m.id, m.isMaster)));
    const images = boot.get(m.id);
    members.push({
      member: m.id,
      role: m.role,
      isMaster: m.isMaster,
      runningRelease: memberRunningRelease(version, m.id, m.isMaster),
      currentImage: images?.current ?? null,
      mainImage: images?.main ?? null,
      backupImage: images?.backup ?? null,
      freeBytes: listing.freeBytes,
      files: listing.entries
        .filter((e) => !e.isDirectory && e.sizeBytes !== null)
        .map((e) => ({ name: e.name, sizeBytes: e.sizeBytes! })),
    });
  }
  const scheduledReboot = await readScheduled(session);
  const clock = p.parsers.clock(await session.runChecked(c.displayClock));
  return {
    hostname: session.hostname,
    vendor: version.vendor,
    model: version.model,
    softwareVersion: version.softwareVersion,
    release: version.release,
    members,
    scheduledReboot,
    rebootNeeded: members.some((m) => m.mainImage !== null && !sameImage(m.mainImage, m.currentImage)),
    clock,
  };
}

/** Reads the firmware state of a stack in a fresh session, retrying transient failures. */
export function readFirmwareState(
  target: SwitchTarget,
  options: OperationOptions = {},
): Promise<FirmwareState> {
  return withTargetRetry(target, (session) => readFirmwareStateWith(session), options);
}

// ---------------------------------------------------------------- upgrade

/** The firmware an upgrade should install. */
export interface FirmwareDesired {
  /** Local path of the image file. */
  imagePath: string;
  /** Release the image runs, as `display version` prints it, e.g. "2221P25". */
  release: string;
  /** Expected model substring, e.g. "A5120-24G EI". @default no model check */
  model?: string;
  /** SHA-256 (hex) the image file must have; checked before any upload. @default computed from imagePath */
  sha256?: string;
  /** IRF member IDs the stack should have; a missing one (an IRF split) stops the upgrade before any change. @default no check */
  expectedMembers?: number[];
}

/** Options of {@link upgradeFirmware}. */
export interface UpgradeOptions extends OperationOptions {
  /** Window (switch clock) in which the reboot is scheduled. @default none: the reboot is left pending */
  rebootWindow?: MaintenanceWindow;
  /** Minimum minutes between now and a scheduled reboot. @default 5 */
  rebootLeadMinutes?: number;
  /** Called during the upload with the bytes on the switch so far and the image size. */
  onUploadProgress?: (sentBytes: number, totalBytes: number) => void;
  /** SFTP writes in flight. @default 32 */
  uploadConcurrency?: number;
}

/** What happened to the reboot at the end of an upgrade. */
export type RebootOutcome =
  | {
      /** No reboot is needed: every member runs its main image. */
      kind: "none";
      /** Why, for the log. */
      reason: string;
    }
  | {
      /** A reboot is needed and left pending: no maintenance window was given. */
      kind: "pending";
      /** Why, for the log. */
      reason: string;
    }
  | {
      /** A reboot is scheduled inside the window (by this run or an earlier one). */
      kind: "scheduled";
      /** When, on the switch's clock. */
      at: RebootAt;
      /** The schedule as the switch reports it. */
      display: ScheduledReboot;
    };

/** What an upgrade did. */
export interface UpgradeResult {
  /** Target name (`name`, else "host:port"). */
  target: string;
  /** The plan computed from the state found on the last (successful) attempt. */
  plan: FirmwarePlan;
  /** The SFTP upload (0 bytes sent if the file was already complete); null when nothing was installed. */
  upload: UploadResult | null;
  /** Members the image was copied to from the master. */
  copiedTo: number[];
  /** Members whose main boot image was set to the new image. */
  switchedMembers: number[];
  /** What happened to the reboot. */
  reboot: RebootOutcome;
  /** Problems that did not stop the upgrade, e.g. a previous image that could not be kept as backup. */
  warnings: string[];
  /** State read after the changes. */
  state: FirmwareState;
}

/** SHA-256 (lower-case hex) of a local file, read as a stream. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Size via `dir` and via SFTP, and the SFTP read-back hash, must all match the local file. */
async function verifyMasterImage(
  session: SwitchSession,
  state: FirmwareState,
  fileName: string,
  sizeBytes: number,
  sha256: string,
): Promise<string | null> {
  const p = session.profile;
  const master = state.members.find((m) => m.isMaster)!;
  const listing = p.parsers.dir(await session.runChecked(p.commands.dir(master.member, true)));
  const entry = findFile(listing, fileName);
  if (!entry) return `${fileName} is not on the master's flash`;
  if (entry.sizeBytes !== sizeBytes)
    return `${fileName} is ${entry.sizeBytes} bytes on flash, expected ${sizeBytes}`;
  // Comware 7 hashes the file itself (sha256sum); Comware 5 has no such command: read it back over SFTP.
  const onDevice = p.commands.sha256sum && p.parsers.sha256;
  const remoteHash = onDevice
    ? p.parsers.sha256!(
        await session.runChecked(
          p.commands.sha256sum!(p.commands.memberFilePath(master.member, true, fileName)),
        ),
      )
    : await session.sftp.checksum(p.commands.sftpPath(fileName), "sha256");
  const how = onDevice ? "the switch's sha256sum gives" : "read back with SHA-256";
  if (remoteHash !== sha256) return `${fileName}: ${how} ${remoteHash}, expected ${sha256}`;
  return null;
}

async function uploadAndVerify(
  session: SwitchSession,
  state: FirmwareState,
  image: DesiredImage,
  desired: FirmwareDesired,
  sha256: string,
  options: UpgradeOptions,
): Promise<UploadResult | null> {
  const p = session.profile;
  const remotePath = p.commands.sftpPath(image.fileName);
  const log = options.log ?? (() => undefined);
  let upload: UploadResult | null = null;
  const transfer = async (resume: boolean) => {
    upload = await session.sftp.upload(desired.imagePath, remotePath, {
      resume,
      onProgress: options.onUploadProgress,
      concurrency: options.uploadConcurrency,
    });
    log(
      `${session.host}: uploaded ${upload.bytesSent} bytes of ${image.fileName} (resumed from ${upload.resumedFrom})`,
    );
  };
  await transfer(true);
  let problem = await verifyMasterImage(session, state, image.fileName, image.sizeBytes, sha256);
  if (problem !== null) {
    // A resumed transfer may have appended to a damaged prefix: start over once.
    log(`${session.host}: ${problem}; uploading again from scratch`);
    await transfer(false);
    problem = await verifyMasterImage(session, state, image.fileName, image.sizeBytes, sha256);
  }
  if (problem !== null) {
    // Remove the bad copy so nothing can boot it and the next run starts clean.
    await session.sftp.remove(remotePath).catch(() => undefined);
    throw new ImageVerificationError(session.host, problem);
  }
  return upload;
}

async function copyToMember(session: SwitchSession, member: number, image: DesiredImage): Promise<void> {
  const p = session.profile;
  const command = p.commands.copyToMember(image.fileName, member);
  await session.runChecked(command, { answers: p.confirmations.copyFile, timeoutMs: 15 * 60_000 });
  // The copy is checked by size only: SFTP reaches the master's flash, and Comware 5 has no md5sum.
  const listing = p.parsers.dir(await session.runChecked(p.commands.dir(member, false)));
  const entry = findFile(listing, image.fileName);
  if (!entry || entry.sizeBytes !== image.sizeBytes) {
    throw new ImageVerificationError(
      session.host,
      `copy of ${image.fileName} to member ${member} has ${entry ? `${entry.sizeBytes} bytes` : "no file"}, expected ${image.sizeBytes} bytes`,
    );
  }
}

/** Sets one member's boot image and reads it back (the message wording is not trusted). */
async function setBootImage(
  session: SwitchSession,
  member: number,
  fileName: string,
  kind: "main" | "backup",
  masterId: number,
): Promise<{ ok: boolean; deviceError: string | null }> {
  const p = session.profile;
  const out = await session.run(p.commands.setBootImage(fileName, member, kind), {
    answers: p.confirmations.setBootImage,
  });
  const deviceError = session.findErrorLine(out);
  const images = (await readBootImages(session, masterId)).get(member);
  return { ok: sameImage(images?.[kind] ?? null, p.installedImageName(fileName)), deviceError };
}

/**
 * Switches the main image of the planned members, all or nothing: backups are
 * set first (previous main), then mains; if a member refuses, every member
 * switched to the new image but not running it is set back to its previous main.
 */
async function switchBootImages(
  session: SwitchSession,
  state: FirmwareState,
  plan: FirmwarePlan,
  image: DesiredImage,
  warnings: string[],
): Promise<number[]> {
  const masterId = state.members.find((m) => m.isMaster)?.member ?? 1;
  const bootName = image.bootImageName ?? image.fileName;
  for (const m of plan.setMainOn) {
    const previous = plan.previousMain[m];
    const member = state.members.find((x) => x.member === m)!;
    if (previous === null || sameImage(previous, member.backupImage) || sameImage(previous, bootName))
      continue;
    const result = await setBootImage(session, m, imageFileName(previous), "backup", masterId);
    if (!result.ok)
      warnings.push(
        `member ${m}: could not keep ${previous} as backup image (${result.deviceError ?? "not set"})`,
      );
  }

  const switched: number[] = [];
  for (const m of plan.setMainOn) {
    const result = await setBootImage(session, m, image.fileName, "main", masterId);
    if (result.ok) {
      switched.push(m);
      continue;
    }
    // Members that boot the new image without running it: switched now or by an interrupted earlier run.
    const earlier = state.members.filter(
      (x) =>
        !plan.setMainOn.includes(x.member) &&
        sameImage(x.mainImage, bootName) &&
        !sameImage(x.currentImage, bootName),
    );
    const toRestore = [
      ...switched.map((s) => ({ member: s, previous: plan.previousMain[s] })),
      ...earlier.map((x) => ({ member: x.member, previous: x.backupImage })),
    ];
    const restored: number[] = [];
    const unrestored: number[] = [];
    for (const r of toRestore.reverse()) {
      const back = r.previous
        ? await setBootImage(session, r.member, imageFileName(r.previous), "main", masterId)
        : null;
      (back?.ok ? restored : unrestored).push(r.member);
    }
    throw new BootImageRefusedError(
      session.host,
      m,
      result.deviceError,
      restored.sort((a, b) => a - b),
      unrestored.sort((a, b) => a - b),
    );
  }
  return switched;
}

function checkScheduledInsideWindow(host: string, display: ScheduledReboot, window: MaintenanceWindow): void {
  const minute = scheduledMinuteOfDay(display);
  if (minute === null || !insideWindow(minute, window)) {
    throw new SwitchError(
      `switch ${host} reports the reboot at "${display.when}", outside the window ${window.start}-${window.end}; it was cancelled`,
      host,
      false,
    );
  }
}

async function handleReboot(session: SwitchSession, options: UpgradeOptions): Promise<RebootOutcome> {
  const p = session.profile;
  const state = await readFirmwareStateWith(session);
  const decision = decideReboot(
    state.rebootNeeded,
    state.scheduledReboot,
    state.clock,
    options.rebootWindow,
    options.rebootLeadMinutes ?? 5,
  );
  switch (decision.action) {
    case "none":
      return state.rebootNeeded && state.scheduledReboot
        ? { kind: "scheduled", at: parseWhen(state.scheduledReboot), display: state.scheduledReboot }
        : { kind: "none", reason: decision.reason };
    case "leave-pending":
      return { kind: "pending", reason: decision.reason };
    case "cancel-and-schedule":
    case "schedule": {
      if (decision.action === "cancel-and-schedule") await cancelScheduledReboot(session);
      const display = await scheduleReboot(session, decision.at);
      try {
        checkScheduledInsideWindow(session.host, display, options.rebootWindow!);
      } catch (error) {
        await session.runChecked(p.commands.undoScheduleReboot, {
          answers: p.confirmations.undoScheduleReboot,
        });
        throw error;
      }
      return { kind: "scheduled", at: decision.at, display };
    }
  }
}

function parseWhen(display: ScheduledReboot): RebootAt {
  const m = /^(\d{1,2}):(\d{2})(?:\s+(\d{2})\/(\d{2})\/(\d{4}))?/.exec(display.when);
  if (!m) return { hour: 0, minute: 0 };
  return {
    hour: Number(m[1]),
    minute: Number(m[2]),
    date: m[3] ? { year: Number(m[5]), month: Number(m[3]), day: Number(m[4]) } : undefined,
  };
}

/** Upgrades one stack to the desired image; safe to run again (a second run does nothing). */
export async function upgradeFirmware(
  target: SwitchTarget,
  desired: FirmwareDesired,
  options: UpgradeOptions = {},
): Promise<UpgradeResult> {
  const stat = await fsp.stat(desired.imagePath).catch(() => null);
  if (!stat?.isFile()) throw new Error(`firmware imagePath "${desired.imagePath}" is not a readable file`);
  if (!desired.release)
    throw new Error(`firmware release is required (e.g. "2221P25" as display version prints it)`);
  // The local file is checked against a given checksum before anything is sent:
  // a corrupt download must fail here, not after two uploads.
  const sha256 = await sha256File(desired.imagePath);
  if (desired.sha256 && desired.sha256.toLowerCase() !== sha256) {
    throw new Error(
      `firmware sha256 ${desired.sha256} does not match imagePath "${desired.imagePath}" (its SHA-256 is ${sha256}): ` +
        `the file is damaged or the checksum belongs to another image; download the image again or fix sha256`,
    );
  }
  const baseImage: DesiredImage = {
    fileName: path.basename(desired.imagePath),
    release: desired.release,
    sizeBytes: stat.size,
    model: desired.model,
    expectedMembers: desired.expectedMembers,
  };
  const log = options.log ?? (() => undefined);

  return withTargetRetry(
    target,
    async (session) => {
      const warnings: string[] = [];
      const p = session.profile;
      const image: DesiredImage = {
        ...baseImage,
        bootImageName: p.installedImageName(baseImage.fileName),
        copiedByBootLoader: p.bootLoaderCopiesToMembers,
      };
      const state = await readFirmwareStateWith(session);
      const plan = planFirmware(state, image);
      log(`${targetName(target)}: running ${state.release}, desired ${image.release}: ${plan.status}`);
      if (plan.preflightErrors.length > 0)
        throw new FirmwarePreflightError(targetName(target), plan.preflightErrors);

      let upload: UploadResult | null = null;
      const copiedTo: number[] = [];
      let switchedMembers: number[] = [];
      if (plan.status === "needs-install") {
        // Verify even when the file is already there: never set an unverified image.
        upload = await uploadAndVerify(session, state, image, desired, sha256, options);
        for (const member of plan.copyToMembers) {
          await copyToMember(session, member, image);
          copiedTo.push(member);
        }
        switchedMembers = await switchBootImages(session, state, plan, image, warnings);
      }
      const reboot = await handleReboot(session, options);
      return {
        target: targetName(target),
        plan,
        upload,
        copiedTo,
        switchedMembers,
        reboot,
        warnings,
        state: await readFirmwareStateWith(session),
      };
    },
    options,
  );
}
