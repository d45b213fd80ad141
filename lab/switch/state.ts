// What a simulated switch persists in `<stateDir>/state.json`, and how it is seeded.
import * as fs from "node:fs";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { ConfigBlock, defaultConfig } from "./config";

/** The Comware generation a lab switch imitates: 5120 EI (Comware 5.20) or 5130 EI (Comware 7.1). */
export type LabOs = "comware5" | "comware7";

export interface SwitchSpec {
  name: string;
  /** @default "comware5" */
  os?: LabOs;
  port?: number;
  members?: number;
  username?: string;
  password?: string;
  authorizedKeys?: string[];
  image?: string;
  imageBytes?: number;
  flashKB?: number;
  latencyMs?: number;
  /**
   * Comware 7 only: each member is a chassis (HP 7506 style, 1-2 members) with two main
   * boards (MPU, slots 0-1) and two line cards (LPU, slots 2-3); `display version` prints
   * `MPU(M) Chassis N Slot M:` blocks. @default false (a box: one `Slot N:` block per member)
   */
  chassis?: boolean;
  /** The image each member runs and boots, by member order (one member left on another release). @default `image` on every member */
  memberImages?: string[];
}

export interface MemberState {
  id: number;
  /** image running now, e.g. `s5120ei-cmw520-r2208p01.bin` (a name on this member's flash) */
  current: string | null;
  main: string | null;
  backup: string | null;
  cpuMac: string;
  priority: number;
}

export interface SwitchState {
  schema: 1;
  name: string;
  /** absent in states written before Comware 7 mode: comware5 */
  os?: LabOs;
  /** a chassis-based IRF (see SwitchSpec.chassis); absent: box switches */
  chassis?: boolean;
  username: string;
  password: string;
  authorizedKeys: string[];
  flashKB: number;
  members: MemberState[];
  running: ConfigBlock[];
  startupFile: string;
  clockOffsetMs: number;
  /** lab time (epoch ms) of the last boot, for uptime */
  bootedAt: number;
  /** lab time (epoch ms) of a pending `schedule reboot`, or null */
  scheduledRebootAt: number | null;
}

export const DEFAULT_IMAGE = "s5120ei-cmw520-r2208p01.bin";
/** Comware 7 runs a boot/system image pair; members record the system image (the boot one is named alike). */
export const DEFAULT_IMAGE_CW7 = "5130ei-cmw710-system-r3506p10.bin";
const MAX_MEMBERS: Record<LabOs, number> = { comware5: 3, comware7: 4 };
/** A chassis-based IRF of the lab is two chassis at most (the public 7506 samples have two). */
const MAX_CHASSIS = 2;
export const DEFAULT_IMAGE_BYTES = 65536;
export const DEFAULT_FLASH_KB = 131072;
export const NAME_PATTERN = /^[A-Za-z0-9_.-]{1,30}$/;

export function validateSpec(spec: SwitchSpec): void {
  if (!NAME_PATTERN.test(spec.name)) {
    throw new Error(
      `switch name "${spec.name}": use 1-30 characters among A-Z a-z 0-9 _ . - (Comware sysname)`,
    );
  }
  const os = spec.os ?? "comware5";
  if (!(os in MAX_MEMBERS)) {
    throw new Error(
      `switch ${spec.name}: os must be "comware5" or "comware7" (got ${JSON.stringify(spec.os)})`,
    );
  }
  const members = spec.members ?? 1;
  const max = spec.chassis ? MAX_CHASSIS : MAX_MEMBERS[os];
  if (spec.chassis && os !== "comware7") {
    throw new Error(`switch ${spec.name}: chassis is a Comware 7 mode: set os to "comware7"`);
  }
  if (spec.memberImages !== undefined && spec.memberImages.length !== members) {
    throw new Error(
      `switch ${spec.name}: memberImages lists ${spec.memberImages.length} image(s) for ${members} member(s): give one per member`,
    );
  }
  if (!Number.isInteger(members) || members < 1 || members > max) {
    throw new Error(
      `switch ${spec.name}: members must be 1 to ${max} on ${os}${spec.chassis ? " chassis" : ""} (got ${String(spec.members)})`,
    );
  }
}

/** The image a Comware 7 member boots with its system image: the boot image of the same release. */
export function bootImageOf(systemImage: string): string {
  return systemImage.replace(/-system-/i, "-boot-");
}

function macFor(name: string, member: number): string {
  const hex = Buffer.from(name).toString("hex").padEnd(8, "0").slice(-8);
  return `b8af-${hex.slice(0, 4)}-${hex.slice(4, 6)}0${member}`;
}

/** Deterministic image content for preinstalled images (cheap, and the same on every member). */
export function imageContent(name: string, bytes: number): Buffer {
  const seed = Buffer.from(`${name}\n`);
  const out = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i += seed.length) seed.copy(out, i);
  return out;
}

export function seedState(spec: SwitchSpec, now: number): SwitchState {
  const members = spec.members ?? 1;
  const os = spec.os ?? "comware5";
  const image = spec.image ?? (os === "comware7" ? DEFAULT_IMAGE_CW7 : DEFAULT_IMAGE);
  const username = spec.username ?? "admin";
  const password = spec.password ?? randomBytes(9).toString("base64url");
  return {
    schema: 1,
    name: spec.name,
    ...(os === "comware7" ? { os } : {}),
    ...(spec.chassis ? { chassis: true } : {}),
    username,
    password,
    authorizedKeys: spec.authorizedKeys ?? [],
    flashKB: spec.flashKB ?? DEFAULT_FLASH_KB,
    members: Array.from({ length: members }, (_, i) => ({
      id: i + 1,
      current: spec.memberImages?.[i] ?? image,
      main: spec.memberImages?.[i] ?? image,
      backup: null,
      cpuMac: macFor(spec.name, i + 1),
      priority: i === 0 ? 32 : 1,
    })),
    running: defaultConfig({ sysname: spec.name, members, username, password }),
    startupFile: "startup.cfg",
    clockOffsetMs: 0,
    bootedAt: now,
    scheduledRebootAt: null,
  };
}

export function loadState(file: string): SwitchState | null {
  if (!fs.existsSync(file)) return null;
  const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as SwitchState;
  if (parsed.schema !== 1)
    throw new Error(`${file}: unknown state schema ${String(parsed.schema)}; delete the lab directory`);
  return parsed;
}

export function saveState(file: string, state: SwitchState): void {
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(state, null, 1));
  fs.renameSync(tmp, file);
}

export function flashDir(stateDir: string, member: number): string {
  return path.join(stateDir, "flash", `slot${member}`);
}
