// One simulated switch stack without its SSH front: persisted state, flash per member, lab clock,
// faults, boot images, save and reboot. The shell and the SFTP server call into it.
import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigBlock, cloneConfig, parseConfig, renderConfig, sameConfig, sysnameOf } from "./config";
import { SwitchFaults, readFaultsFile } from "./faults";
import { releaseFromImageName } from "./version";
import {
  DEFAULT_IMAGE_BYTES,
  LabOs,
  SwitchSpec,
  SwitchState,
  bootImageOf,
  flashDir,
  imageContent,
  loadState,
  saveState,
  seedState,
} from "./state";

export interface FlashFile {
  name: string;
  size: number;
  mtime: Date;
}

/** A live session (shell, exec or SFTP) the switch can drop. */
export interface SessionLink {
  /** graceful: SSH disconnect after pending output; otherwise the TCP connection is destroyed */
  kill(graceful: boolean): void;
}

export type BootResult = { member: number; ok: true } | { member: number; ok: false; message: string };

const TRASH = ".trash";

export class FlashFullError extends Error {
  constructor(member: number) {
    super(`flash full: not enough free space on ${member === 1 ? "" : `slot${member}#`}flash:/`);
  }
}

export function validFlashName(name: string): boolean {
  return /^[A-Za-z0-9_.+-]{1,64}$/.test(name) && !name.startsWith(".");
}

export class SwitchDevice {
  state: SwitchState;
  readonly stateDir: string;
  private inProcessFaults: SwitchFaults = {};
  private fileFaults: SwitchFaults = {};
  private faultsText = "";
  private commandsSinceFaults = 0;
  private uploadedSinceFaults = 0;
  private dropCommandFired = false;
  private dropUploadFired = false;
  private usedAtFaults = new Map<number, number>();
  private sessions = new Set<SessionLink>();
  private scheduleTimer: NodeJS.Timeout | null = null;
  private bootTimer: NodeJS.Timeout | null = null;
  private upWaiters: (() => void)[] = [];
  private closed = false;
  up = true;
  bootCount = 0;
  /** Bare Enters received at a [Y/N] question (a client that answers nothing). */
  bareEntersAtQuestions = 0;

  constructor(
    stateDir: string,
    spec: SwitchSpec,
    readonly options: { rebootDelayMs: number; latencyMs: number },
  ) {
    this.stateDir = stateDir;
    fs.mkdirSync(stateDir, { recursive: true });
    const loaded = loadState(this.stateFile);
    if (loaded) {
      this.state = loaded;
      if (spec.password !== undefined) this.state.password = spec.password;
      if (spec.authorizedKeys !== undefined) this.state.authorizedKeys = spec.authorizedKeys;
    } else {
      this.state = seedState(spec, Date.now());
      const bytes = spec.imageBytes ?? DEFAULT_IMAGE_BYTES;
      for (const m of this.state.members) {
        fs.mkdirSync(flashDir(stateDir, m.id), { recursive: true });
        // Comware 7 boots a boot/system pair: both are on flash.
        const images = !m.current
          ? []
          : this.os === "comware7"
            ? [bootImageOf(m.current), m.current]
            : [m.current];
        for (const image of images)
          fs.writeFileSync(path.join(flashDir(stateDir, m.id), image), imageContent(image, bytes));
      }
      this.writeStartupConfig();
    }
    this.persist();
    this.reloadFaultsFile();
    this.armSchedule();
  }

  get stateFile(): string {
    return path.join(this.stateDir, "state.json");
  }

  get faultsFile(): string {
    return path.join(this.stateDir, "faults.json");
  }

  persist(): void {
    saveState(this.stateFile, this.state);
  }

  // ---- faults ----

  get faults(): SwitchFaults {
    return { ...this.inProcessFaults, ...this.fileFaults };
  }

  setFaults(faults: SwitchFaults): void {
    this.inProcessFaults = { ...faults };
    this.resetFaultCounters();
  }

  /** Re-reads `faults.json` (called on each new connection); a changed file re-arms the drops. */
  reloadFaultsFile(): void {
    let read: { text: string; faults: SwitchFaults };
    try {
      read = readFaultsFile(this.faultsFile);
    } catch (error) {
      process.stderr.write(
        `lab/switch ${this.state.name}: ignoring faults file: ${(error as Error).message}\n`,
      );
      return;
    }
    if (read.text === this.faultsText) return;
    this.faultsText = read.text;
    this.fileFaults = read.faults;
    if (read.faults.clockOffsetMs !== undefined) this.setClockOffset(read.faults.clockOffsetMs);
    this.resetFaultCounters();
  }

  private resetFaultCounters(): void {
    this.commandsSinceFaults = 0;
    this.uploadedSinceFaults = 0;
    this.dropCommandFired = false;
    this.dropUploadFired = false;
    this.usedAtFaults.clear();
    for (const m of this.state.members) this.usedAtFaults.set(m.id, this.usedBytes(m.id));
  }

  /** Counts a command line; true when the `dropAtCommand` fault says this one drops the connection. */
  noteCommand(): boolean {
    this.commandsSinceFaults++;
    const at = this.faults.dropAtCommand;
    if (at !== undefined && !this.dropCommandFired && this.commandsSinceFaults >= at) {
      this.dropCommandFired = true;
      return true;
    }
    return false;
  }

  /** How many of `n` uploaded bytes may be stored, and whether the connection drops after them. */
  noteUpload(n: number): { allowed: number; drop: boolean } {
    const limit = this.faults.dropAfterUploadBytes;
    if (limit === undefined || this.dropUploadFired) {
      this.uploadedSinceFaults += n;
      return { allowed: n, drop: false };
    }
    const remaining = Math.max(0, limit - this.uploadedSinceFaults);
    if (n < remaining) {
      this.uploadedSinceFaults += n;
      return { allowed: n, drop: false };
    }
    this.uploadedSinceFaults += remaining;
    this.dropUploadFired = true;
    return { allowed: remaining, drop: true };
  }

  latencyMs(): number {
    return this.faults.latencyMs ?? this.options.latencyMs;
  }

  acceptsPassword(username: string, password: string): boolean {
    const f = this.faults;
    if (f.rejectAuth) return false;
    return username === this.state.username && password === (f.password ?? this.state.password);
  }

  acceptsUser(username: string): boolean {
    return !this.faults.rejectAuth && username === this.state.username;
  }

  // ---- sessions ----

  attach(link: SessionLink): () => void {
    this.sessions.add(link);
    return () => this.sessions.delete(link);
  }

  dropAllSessions(graceful: boolean): void {
    for (const s of [...this.sessions]) s.kill(graceful);
    this.sessions.clear();
  }

  // ---- clock ----

  now(): Date {
    return new Date(Date.now() + this.state.clockOffsetMs);
  }

  setClock(date: Date): void {
    this.setClockOffset(date.getTime() - Date.now());
  }

  setClockOffset(offsetMs: number): void {
    this.state.clockOffsetMs = offsetMs;
    this.persist();
    this.armSchedule();
  }

  // ---- identity / versions ----

  get sysname(): string {
    return sysnameOf(this.state.running);
  }

  get master(): number {
    return 1;
  }

  /** The Comware generation this switch imitates. */
  get os(): LabOs {
    return this.state.os ?? "comware5";
  }

  /** The software version `display version` and the configuration print. */
  softwareVersion(): string {
    return this.faults.softwareVersion ?? (this.os === "comware7" ? "7.1.070" : "5.20.99");
  }

  release(): string {
    const image = this.state.members[0].current;
    return (image && releaseFromImageName(image)?.release) ?? "Release 0000";
  }

  runningConfigLines(): string[] {
    return renderConfig(this.state.running, this.release(), this.softwareVersion());
  }

  setRunning(blocks: ConfigBlock[]): void {
    this.state.running = blocks;
    this.persist();
  }

  savedConfigText(): string | null {
    const file = this.findFile(this.master, this.state.startupFile);
    return file ? fs.readFileSync(this.filePath(this.master, file)).toString("utf8") : null;
  }

  runningDiffersFromSaved(): boolean {
    const saved = this.savedConfigText();
    return saved === null || !sameConfig(parseConfig(saved), this.state.running);
  }

  // ---- flash ----

  memberIds(): number[] {
    return this.state.members.map((m) => m.id);
  }

  hasMember(id: number): boolean {
    return this.state.members.some((m) => m.id === id);
  }

  filePath(member: number, name: string): string {
    return path.join(flashDir(this.stateDir, member), name);
  }

  listFiles(member: number): FlashFile[] {
    const dir = flashDir(this.stateDir, member);
    fs.mkdirSync(dir, { recursive: true });
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile() && !e.name.startsWith("."))
      .map((e) => {
        const st = fs.statSync(path.join(dir, e.name));
        return { name: e.name, size: st.size, mtime: st.mtime };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Flash names are case-insensitive on Comware: returns the stored spelling, or null. */
  findFile(member: number, name: string): string | null {
    const lower = name.toLowerCase();
    return this.listFiles(member).find((f) => f.name.toLowerCase() === lower)?.name ?? null;
  }

  usedBytes(member: number): number {
    const dir = flashDir(this.stateDir, member);
    let total = 0;
    for (const d of [dir, path.join(dir, TRASH)]) {
      if (!fs.existsSync(d)) continue;
      for (const e of fs.readdirSync(d, { withFileTypes: true }))
        if (e.isFile()) total += fs.statSync(path.join(d, e.name)).size;
    }
    return total;
  }

  totalBytes(): number {
    return this.state.flashKB * 1024;
  }

  freeBytes(member: number): number {
    const override = this.faults.flashFreeKB?.[String(member)];
    if (override !== undefined) {
      const grown = this.usedBytes(member) - (this.usedAtFaults.get(member) ?? this.usedBytes(member));
      return Math.max(0, override * 1024 - grown);
    }
    return Math.max(0, this.totalBytes() - this.usedBytes(member));
  }

  /** Throws FlashFullError when growing by `delta` bytes does not fit. */
  reserve(member: number, delta: number): void {
    if (delta > 0 && delta > this.freeBytes(member)) throw new FlashFullError(member);
  }

  writeFile(member: number, name: string, data: Buffer): void {
    const existing = this.findFile(member, name);
    const oldSize = existing ? fs.statSync(this.filePath(member, existing)).size : 0;
    this.reserve(member, data.length - oldSize);
    fs.writeFileSync(this.filePath(member, existing ?? name), data);
  }

  /** `delete`: into the recycle bin (space stays used); `/unreserved`: gone. */
  deleteFile(member: number, name: string, unreserved: boolean): void {
    const src = this.filePath(member, name);
    if (unreserved) {
      fs.rmSync(src);
      return;
    }
    const trash = path.join(flashDir(this.stateDir, member), TRASH);
    fs.mkdirSync(trash, { recursive: true });
    fs.renameSync(src, path.join(trash, name));
  }

  resetRecycleBin(member: number): void {
    fs.rmSync(path.join(flashDir(this.stateDir, member), TRASH), { recursive: true, force: true });
  }

  copyFile(srcMember: number, srcName: string, dstMember: number, dstName: string): void {
    const data = fs.readFileSync(this.filePath(srcMember, srcName));
    this.writeFile(dstMember, dstName, data);
  }

  /** Bytes of an image that a member's boot check refuses (the `rejectBootFileOnMembers` fault). */
  setBootFile(members: number[], file: string, kind: "main" | "backup"): BootResult[] {
    const rejecting = this.faults.rejectBootFileOnMembers ?? [];
    const results: BootResult[] = [];
    for (const id of members) {
      const member = this.state.members.find((m) => m.id === id);
      const name = this.findFile(id, file);
      if (!member || !name) {
        results.push({
          member: id,
          ok: false,
          message: `%The file slot${id}#flash:/${file} does not exist.`,
        });
      } else if (rejecting.includes(id)) {
        results.push({
          member: id,
          ok: false,
          message: `%Failed to set the boot file on slot ${id}: the file is not a valid boot file.`,
        });
      } else {
        member[kind] = name;
        results.push({ member: id, ok: true });
      }
    }
    this.persist();
    return results;
  }

  // ---- save / reboot ----

  private writeStartupConfig(): void {
    const text =
      renderConfig(this.state.running, this.release(), this.softwareVersion()).join("\r\n") + "\r\n";
    for (const id of this.memberIds()) this.writeFile(id, this.state.startupFile, Buffer.from(text));
  }

  /** Saves the running configuration to every member (`save`); the file becomes the startup file. */
  save(fileName?: string): void {
    if (fileName) this.state.startupFile = fileName;
    this.writeStartupConfig();
    this.persist();
  }

  /** Reboots now: sessions drop, the switch is down for `rebootDelayMs`, then boots its main images. */
  reboot(): Promise<void> {
    if (!this.up) return this.waitUntilUp();
    this.up = false;
    this.state.scheduledRebootAt = null;
    this.persist();
    if (this.scheduleTimer) clearTimeout(this.scheduleTimer);
    // let the "System is rebooting now." line leave before the sessions go
    setTimeout(() => this.dropAllSessions(false), 20).unref();
    this.bootTimer = setTimeout(() => this.boot(), Math.max(25, this.options.rebootDelayMs));
    this.bootTimer.unref();
    return this.waitUntilUp();
  }

  private boot(): void {
    this.bootTimer = null;
    if (this.closed) return;
    for (const m of this.state.members) {
      const main = m.main && this.findFile(m.id, m.main);
      const backup = m.backup && this.findFile(m.id, m.backup);
      m.current = main || backup || m.current;
    }
    const saved = this.savedConfigText();
    if (saved !== null) this.state.running = parseConfig(saved);
    this.state.bootedAt = this.now().getTime();
    this.state.scheduledRebootAt = null;
    this.persist();
    this.up = true;
    this.bootCount++;
    for (const w of this.upWaiters.splice(0)) w();
  }

  waitUntilUp(): Promise<void> {
    if (this.up) return Promise.resolve();
    return new Promise((resolve) => this.upWaiters.push(resolve));
  }

  scheduleReboot(at: Date | null): void {
    this.state.scheduledRebootAt = at ? at.getTime() : null;
    this.persist();
    this.armSchedule();
  }

  scheduledReboot(): Date | null {
    return this.state.scheduledRebootAt === null ? null : new Date(this.state.scheduledRebootAt);
  }

  /** (Re)arms the timer of a scheduled reboot against the lab clock. */
  private armSchedule(): void {
    if (this.scheduleTimer) clearTimeout(this.scheduleTimer);
    this.scheduleTimer = null;
    const at = this.state.scheduledRebootAt;
    if (at === null || this.closed || !this.up) return;
    const wait = at - this.now().getTime();
    if (wait <= 0) {
      void this.reboot();
      return;
    }
    this.scheduleTimer = setTimeout(() => this.armSchedule(), Math.min(wait, 2 ** 31 - 1));
    this.scheduleTimer.unref();
  }

  snapshotRunning(): ConfigBlock[] {
    return cloneConfig(this.state.running);
  }

  close(): void {
    this.closed = true;
    if (this.scheduleTimer) clearTimeout(this.scheduleTimer);
    if (this.bootTimer) clearTimeout(this.bootTimer);
    this.dropAllSessions(false);
    for (const w of this.upWaiters.splice(0)) w();
  }
}
