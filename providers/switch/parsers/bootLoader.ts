// `display boot-loader`: per member, the image running now and the main and
// backup images for the next boot. A standalone switch prints the three lines
// alone; on an IRF stack each member's lines follow a " Slot N" header
// (LAB-DECISIONS 3).
import { ParseError, outputLines } from "./common";

/** Boot images of one member, as `display boot-loader` prints them ("NULL"/"None" become null). */
export interface BootImages {
  /** Member (slot) number, or null for a standalone listing without a header. */
  slot: number | null;
  /** Image running now, e.g. "flash:/s5120ei-cmw520-r2221p25.bin"; null when none. */
  current: string | null;
  /** Main image for the next boot; null when none. */
  main: string | null;
  /** Backup image, booted when the main one fails; null when none. */
  backup: string | null;
  /**
   * Comware 7 lists software images, not one boot app: the boot and system
   * images (and patches) of each kind. Absent on Comware 5. The single-image
   * fields above then hold the system image.
   */
  images?: {
    /** Images running now. */
    current: string[];
    /** Images for the next boot. */
    main: string[];
    /** Backup images. */
    backup: string[];
  };
}

/** What `display boot-loader` says: the boot images of each member. */
export interface BootLoaderInfo {
  /** One entry per member (a single one, with slot null, on a standalone switch). */
  slots: BootImages[];
}

const COMMAND = "display boot-loader";
const SLOT_HEADER = /^\s*Slot\s+(\d+):?\s*$/i;
const IMAGE_LINE = /^\s*The (current|main|backup) boot app is:\s*(.*?)\s*$/;

/** "NULL", "None" or an empty value mean "no image". */
function imageOrNull(value: string): string | null {
  return value === "" || /^(null|none)$/i.test(value) ? null : value;
}

export function parseDisplayBootLoader(text: string): BootLoaderInfo {
  const slots: BootImages[] = [];
  let current: BootImages | null = null;
  for (const line of outputLines(text)) {
    const header = SLOT_HEADER.exec(line);
    if (header) {
      current = { slot: Number(header[1]), current: null, main: null, backup: null };
      slots.push(current);
      continue;
    }
    const image = IMAGE_LINE.exec(line);
    if (!image) continue;
    if (!current) {
      current = { slot: null, current: null, main: null, backup: null };
      slots.push(current);
    }
    current[image[1] as "current" | "main" | "backup"] = imageOrNull(image[2]);
  }
  if (slots.length === 0 || slots.every((s) => s.current === null && s.main === null && s.backup === null)) {
    throw new ParseError(COMMAND, 'no "The current|main|backup boot app is:" lines');
  }
  return { slots };
}

/** The bare file name of an image path: "flash:/A.bin" and "slot2#flash:/A.bin" give "A.bin". */
export function imageFileName(path: string): string {
  return path.replace(/^.*[:/]/, "");
}

/** Comware file names are case-insensitive: compare images by lower-cased bare name. */
export function sameImage(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return false;
  return imageFileName(a).toLowerCase() === imageFileName(b).toLowerCase();
}

const CW7_SLOT_HEADER = /^\s*Software images on (?:chassis \d+ )?slot (\d+):\s*$/i;
const CW7_KIND_HEADER = /^\s*(Current|Main startup|Backup startup) software images:\s*$/i;
const CW7_KINDS: Record<string, "current" | "main" | "backup"> = {
  current: "current",
  "main startup": "main",
  "backup startup": "backup",
};

/** The system image of a Comware 7 image list (the one named "-system-"), else the last one. */
function systemImage(images: string[]): string | null {
  return images.find((i) => /-system-/i.test(imageFileName(i))) ?? images[images.length - 1] ?? null;
}

/**
 * Comware 7 `display boot-loader`: per member, "Software images on slot N:"
 * then "Current software images:", "Main startup software images:" and
 * "Backup startup software images:", each followed by indented image paths
 * (boot, system, patches) or "None".
 */
export function parseDisplayBootLoaderComware7(text: string): BootLoaderInfo {
  const slots: BootImages[] = [];
  let slot: BootImages | null = null;
  let kind: "current" | "main" | "backup" | null = null;
  for (const line of outputLines(text)) {
    const header = CW7_SLOT_HEADER.exec(line);
    if (header) {
      slot = { slot: Number(header[1]), current: null, main: null, backup: null };
      slot.images = { current: [], main: [], backup: [] };
      slots.push(slot);
      kind = null;
      continue;
    }
    const kindHeader = CW7_KIND_HEADER.exec(line);
    if (kindHeader && slot) {
      kind = CW7_KINDS[kindHeader[1].toLowerCase()];
      continue;
    }
    const image = line.trim();
    if (!slot?.images || !kind || image === "" || imageOrNull(image) === null) continue;
    slot.images[kind].push(image);
    slot[kind] = systemImage(slot.images[kind]);
  }
  if (slots.length === 0) throw new ParseError(COMMAND, 'no "Software images on slot N:" block');
  return { slots };
}
