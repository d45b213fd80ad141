// Starts a set of simulated switches in this process and hands out their handles.
import * as fs from "node:fs";
import * as path from "node:path";
import { SwitchDevice } from "./device";
import { SwitchFaults } from "./faults";
import { HostKey, SwitchServer, loadHostKey } from "./server";
import { CliShell } from "./shell";
import { LabOs, SwitchSpec, validateSpec } from "./state";

export interface SwitchLabOptions {
  /** state directory: one sub-directory per switch, manifest.json */
  dir: string;
  /** specs, or a count of default switches sw01..swNN */
  switches: SwitchSpec[] | number;
  /** 0 (default): an ephemeral port per switch; else basePort + index (a spec's `port` wins) */
  basePort?: number;
  /** how long a rebooting switch stays down, ms (default 2000) */
  rebootDelayMs?: number;
  /** default per-command latency, ms (default 0) */
  latencyMs?: number;
  /** defaults applied to every spec (e.g. members, flashKB) */
  defaults?: Omit<SwitchSpec, "name" | "port">;
}

export interface ManifestEntry {
  name: string;
  host: string;
  port: number;
  username: string;
  password: string;
  hostKeyFingerprint: string;
  hostKey: string;
  members: number;
  /** The Comware generation the switch imitates (absent in manifests written before: comware5). */
  os?: LabOs;
  stateDir: string;
}

export interface Manifest {
  switches: ManifestEntry[];
  pid?: number;
}

export interface BootInfo {
  member: number;
  current: string | null;
  main: string | null;
  backup: string | null;
}

export interface LabClock {
  now(): Date;
  set(date: Date): void;
  advance(ms: number): void;
}

export interface SwitchHandle {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly password: string;
  readonly hostKeyFingerprint: string;
  readonly hostKey: string;
  readonly members: number;
  /** The Comware generation the switch imitates ("comware5" or "comware7"). */
  readonly os: LabOs;
  readonly stateDir: string;
  readonly faults: SwitchFaults;
  readonly bootCount: number;
  /** Bare Enters received at a [Y/N] question since the lab started (a well-behaved client sends none). */
  readonly bareEntersAtQuestions: number;
  readonly clock: LabClock;
  setFaults(faults: SwitchFaults): void;
  runningConfig(): string;
  savedConfig(): string;
  configureByHand(lines: string[]): Promise<void>;
  runCommand(line: string): Promise<string>;
  version(): string;
  bootInfo(): BootInfo[];
  flashFiles(member: number): { name: string; size: number }[];
  readFlashFile(member: number, name: string): Buffer;
  writeFlashFile(member: number, name: string, data: Buffer): void;
  scheduledReboot(): Date | null;
  reboot(): Promise<void>;
  isUp(): boolean;
  waitUntilUp(): Promise<void>;
}

export interface SwitchLab {
  readonly switches: SwitchHandle[];
  readonly manifest: Manifest;
  get(name: string): SwitchHandle;
  close(): Promise<void>;
}

export function defaultSpecs(count: number, defaults: Omit<SwitchSpec, "name" | "port"> = {}): SwitchSpec[] {
  const width = Math.max(2, String(count).length);
  return Array.from({ length: count }, (_, i) => ({
    ...defaults,
    name: `sw${String(i + 1).padStart(width, "0")}`,
  }));
}

/** Runs command lines on a switch without SSH; returns what the CLI printed (no prompts). */
async function runLines(dev: SwitchDevice, lines: string[], systemView: boolean): Promise<string> {
  let out = "";
  const shell = new CliShell(
    dev,
    { write: (t) => (out += t), end: () => undefined, drop: () => undefined },
    false,
  );
  shell.endOfInput(); // confirmations read no answer: "no"
  if (systemView) shell.enterSystemView();
  for (const line of lines) await shell.runLine(line);
  return out;
}

class Handle implements SwitchHandle {
  readonly host = "127.0.0.1";
  readonly clock: LabClock;

  constructor(
    readonly dev: SwitchDevice,
    readonly server: SwitchServer,
    readonly port: number,
    private readonly key: HostKey,
  ) {
    this.clock = {
      now: () => dev.now(),
      set: (date) => dev.setClock(date),
      advance: (ms) => dev.setClockOffset(dev.state.clockOffsetMs + ms),
    };
  }

  get name(): string {
    return this.dev.state.name;
  }
  get username(): string {
    return this.dev.state.username;
  }
  get password(): string {
    return this.dev.state.password;
  }
  get hostKeyFingerprint(): string {
    return this.key.fingerprint;
  }
  get hostKey(): string {
    return this.key.publicKey;
  }
  get members(): number {
    return this.dev.state.members.length;
  }
  get stateDir(): string {
    return this.dev.stateDir;
  }
  get os(): LabOs {
    return this.dev.os;
  }
  get faults(): SwitchFaults {
    return this.dev.faults;
  }
  get bareEntersAtQuestions(): number {
    return this.dev.bareEntersAtQuestions;
  }

  get bootCount(): number {
    return this.dev.bootCount;
  }
  setFaults(faults: SwitchFaults): void {
    this.dev.setFaults(faults);
  }
  runningConfig(): string {
    return this.dev.runningConfigLines().join("\n") + "\n";
  }
  savedConfig(): string {
    return (this.dev.savedConfigText() ?? "").replace(/\r\n/g, "\n");
  }
  async configureByHand(lines: string[]): Promise<void> {
    const out = await runLines(this.dev, lines, true);
    if (/% (Unrecognized|Incomplete|Too many|Wrong|Ambiguous)/.test(out)) {
      throw new Error(`configureByHand on ${this.name}: the CLI refused a line:\n${out}`);
    }
  }
  runCommand(line: string): Promise<string> {
    return runLines(this.dev, [line], false);
  }
  version(): string {
    return this.dev.release();
  }
  bootInfo(): BootInfo[] {
    return this.dev.state.members.map((m) => ({
      member: m.id,
      current: m.current,
      main: m.main,
      backup: m.backup,
    }));
  }
  flashFiles(member: number): { name: string; size: number }[] {
    return this.dev.listFiles(member).map((f) => ({ name: f.name, size: f.size }));
  }
  readFlashFile(member: number, name: string): Buffer {
    const found = this.dev.findFile(member, name);
    if (!found) throw new Error(`${this.name}: no file ${name} on slot${member}#flash:/`);
    return fs.readFileSync(this.dev.filePath(member, found));
  }
  writeFlashFile(member: number, name: string, data: Buffer): void {
    this.dev.writeFile(member, name, data);
  }
  scheduledReboot(): Date | null {
    return this.dev.scheduledReboot();
  }
  reboot(): Promise<void> {
    return this.dev.reboot();
  }
  isUp(): boolean {
    return this.dev.up;
  }
  waitUntilUp(): Promise<void> {
    return this.dev.waitUntilUp();
  }
  manifestEntry(): ManifestEntry {
    return {
      name: this.name,
      host: this.host,
      port: this.port,
      username: this.username,
      password: this.password,
      hostKeyFingerprint: this.hostKeyFingerprint,
      hostKey: this.hostKey,
      members: this.members,
      os: this.os,
      stateDir: this.stateDir,
    };
  }
}

export async function startSwitchLab(options: SwitchLabOptions): Promise<SwitchLab> {
  const dir = path.resolve(options.dir);
  const specs =
    typeof options.switches === "number"
      ? defaultSpecs(options.switches, options.defaults)
      : options.switches.map((s) => ({ ...options.defaults, ...s }));
  const names = new Set<string>();
  for (const spec of specs) {
    validateSpec(spec);
    if (names.has(spec.name))
      throw new Error(`switch name "${spec.name}" is used twice in the lab inventory`);
    names.add(spec.name);
  }
  fs.mkdirSync(dir, { recursive: true });
  const handles: Handle[] = [];
  try {
    for (const [i, spec] of specs.entries()) {
      const stateDir = path.join(dir, spec.name);
      const dev = new SwitchDevice(stateDir, spec, {
        rebootDelayMs: options.rebootDelayMs ?? 2000,
        latencyMs: spec.latencyMs ?? options.latencyMs ?? 0,
      });
      const key = loadHostKey(stateDir);
      const server = new SwitchServer(dev, key);
      const wanted = spec.port ?? (options.basePort ? options.basePort + i : 0);
      let port: number;
      try {
        port = await server.listen(wanted);
      } catch (error) {
        dev.close();
        throw new Error(
          `switch ${spec.name}: cannot listen on 127.0.0.1:${wanted} (${(error as Error).message}); choose another --base-port`,
        );
      }
      handles.push(new Handle(dev, server, port, key));
    }
  } catch (error) {
    await Promise.all(handles.map((h) => h.server.close()));
    for (const h of handles) h.dev.close();
    throw error;
  }
  const manifest: Manifest = { switches: handles.map((h) => h.manifestEntry()) };
  fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n", {
    mode: 0o600,
  });
  let closed = false;
  return {
    switches: handles,
    manifest,
    get(name: string): SwitchHandle {
      const h = handles.find((x) => x.name === name);
      if (!h)
        throw new Error(
          `no switch named "${name}" in this lab (have: ${handles.map((x) => x.name).join(", ")})`,
        );
      return h;
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      for (const h of handles) h.dev.close();
      await Promise.all(handles.map((h) => h.server.close()));
    },
  };
}
