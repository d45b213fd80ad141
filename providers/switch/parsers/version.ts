// `display version`: software version and release, model, uptime, and the
// per-board blocks that chassis, IRF and Comware 7 devices print.
import { ParseError, PROMPT_ECHO, outputLines, uptimeToSeconds } from "./common";

/** Comware major version, from the software version: "comware5" (5.x), "comware7" (7.x) or "other". */
export type ComwareGeneration = "comware5" | "comware7" | "other";

/** One `Slot N:` / `MPU(M) Chassis 1 Slot 0:` / `LPU 3:` block. */
export interface BoardVersion {
  /** The header as printed, without the colon, e.g. "MPU(M) Chassis 1 Slot 0". */
  label: string;
  /** "MPU(M)", "MPU(S)", "LPU", or null for a plain "Slot N". */
  role: string | null;
  /** Chassis number, null when the header has none. */
  chassis: number | null;
  /** Slot number (the member ID on an IRF stack). */
  slot: number;
  /** The board's uptime in seconds, null when not printed. */
  uptimeSeconds: number | null;
  /** "Release Version:" value as printed, e.g. "HP 7506-6708-US". */
  releaseVersion: string | null;
  /** Release code extracted from it, e.g. "6708-US". */
  release: string | null;
}

/** What `display version` says about a switch. */
export interface VersionInfo {
  /** Comware generation, from the software version. */
  generation: ComwareGeneration;
  /** e.g. "5.20.99" or "7.1.070". */
  softwareVersion: string;
  /** e.g. "2221P25", "1809P03-US", or a feature code such as "2218". */
  release: string;
  /** Whether the version line says "Release" or "Feature" before the release code. */
  releaseKind: "Release" | "Feature";
  /** "HP", "HPE", "H3C", "3Com", or null when the model line has no vendor word. */
  vendor: string | null;
  /** The model as printed before "uptime is", without the vendor word. */
  model: string;
  /** Uptime as printed, e.g. "37 weeks, 4 days, 1 hour, 3 minutes". */
  uptime: string;
  /** The same uptime in seconds. */
  uptimeSeconds: number;
  /** Per-board blocks (IRF members, chassis boards); empty when none is printed. */
  boards: BoardVersion[];
  /** Comware 7 boot/system images, when printed. */
  bootImage: string | null;
  /** Comware 7 system image, null when not printed. */
  systemImage: string | null;
}

const COMMAND = "display version";
// The release code stops at a comma: "Release 2209L22, RU" is release 2209L22 of the RU variant.
const VERSION_LINE = /Comware Software, Version ([0-9][\w.-]*), (Release|Feature) ([^\s,]+)/;
const MODEL_LINE = /^(\S.*?)\s+uptime is\s+(.+?)\s*$/;
const VENDORS = new Set(["HP", "HPE", "H3C", "3Com"]);
const BOARD_HEADER = /^(?:(MPU\([MS]\)|LPU)\s+)?(?:Chassis\s+(\d+)\s+)?(Slot\s+)?(\d+):?\s*$/;
const RELEASE_CODE = /-(\d{4}[A-Za-z0-9]*(?:-[A-Z]{2})?)\s*$/;

export function generationOf(softwareVersion: string): ComwareGeneration {
  if (softwareVersion.startsWith("5.")) return "comware5";
  if (softwareVersion.startsWith("7.")) return "comware7";
  return "other";
}

export function parseDisplayVersion(text: string): VersionInfo {
  const lines = outputLines(text).filter((line) => !PROMPT_ECHO.test(line));
  const versionMatch = lines.map((l) => VERSION_LINE.exec(l)).find((m) => m !== null);
  if (!versionMatch) throw new ParseError(COMMAND, 'no "Comware Software, Version X, Release Y" line');
  const modelMatch = lines.map((l) => MODEL_LINE.exec(l)).find((m) => m !== null);
  if (!modelMatch) throw new ParseError(COMMAND, 'no "<model> uptime is ..." line');

  const words = modelMatch[1].split(/\s+/);
  const vendor = VENDORS.has(words[0]) && words.length > 1 ? words[0] : null;
  const model = vendor ? words.slice(1).join(" ") : words.join(" ");

  const imageLine = (name: string): string | null => {
    const line = lines.find((l) => l.startsWith(`${name}: `));
    return line ? line.slice(name.length + 2).trim() : null;
  };

  return {
    generation: generationOf(versionMatch[1]),
    softwareVersion: versionMatch[1],
    release: versionMatch[3],
    releaseKind: versionMatch[2] as "Release" | "Feature",
    vendor,
    model,
    uptime: modelMatch[2],
    uptimeSeconds: uptimeToSeconds(modelMatch[2]),
    boards: parseBoards(lines),
    bootImage: imageLine("Boot image"),
    systemImage: imageLine("System image"),
  };
}

/**
 * The release an IRF member runs, from `display version`'s boards. On a
 * chassis-based IRF (boards say "Chassis N") the member is the chassis: its
 * active main board (MPU(M)), else its first standby one (MPU(S)), never a
 * line card nor a board of another chassis that shares the slot number. On a
 * box IRF the member is "Slot N". The master falls back on the version line.
 */
export function memberRunningRelease(info: VersionInfo, member: number, isMaster: boolean): string | null {
  const chassisBased = info.boards.some((b) => b.chassis !== null);
  let board: BoardVersion | undefined;
  if (chassisBased) {
    const mainBoards = info.boards
      .filter((b) => b.chassis === member && b.role?.startsWith("MPU"))
      .sort((a, b) => (a.role === "MPU(M)" ? -1 : b.role === "MPU(M)" ? 1 : a.slot - b.slot));
    board = mainBoards[0];
  } else {
    board = info.boards.find((b) => b.chassis === null && b.slot === member);
  }
  return board?.release ?? (isMaster ? info.release : null);
}

function parseBoards(lines: string[]): BoardVersion[] {
  const boards: BoardVersion[] = [];
  let current: BoardVersion | null = null;
  for (const raw of lines) {
    const line = raw.trim();
    const header = BOARD_HEADER.exec(line);
    // A bare number is not a header: it needs "Slot" or a board role.
    if (header && (header[1] !== undefined || header[3] !== undefined)) {
      current = {
        label: line.replace(/:$/, ""),
        role: header[1] ?? null,
        chassis: header[2] !== undefined ? Number(header[2]) : null,
        slot: Number(header[4]),
        uptimeSeconds: null,
        releaseVersion: null,
        release: null,
      };
      boards.push(current);
      continue;
    }
    if (!current) continue;
    const uptime = /^Uptime is (.+)$/.exec(line);
    if (uptime) current.uptimeSeconds = uptimeToSeconds(uptime[1]);
    const release = /^Release Version:\s*(.+)$/.exec(line);
    if (release) {
      current.releaseVersion = release[1].trim();
      current.release = RELEASE_CODE.exec(current.releaseVersion)?.[1] ?? null;
    }
  }
  return boards;
}
