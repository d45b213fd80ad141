// `dir [slotN#]flash:/`: files with sizes and boot attributes, and the total
// and free space of that member's flash.
import { ParseError, outputLines } from "./common";

/** One file or directory of a `dir` listing. */
export interface DirEntry {
  /** Entry number, as printed. */
  index: number;
  /** File or directory name. */
  name: string;
  /** True for a directory. */
  isDirectory: boolean;
  /** Bytes; null for directories. */
  sizeBytes: number | null;
  /** As printed, e.g. "Mar 27 2014 18:10:30". */
  modified: string;
  /** "(*)" or "(*b)": main boot image. */
  isMainBoot: boolean;
  /** "(b)" or "(*b)": backup boot image. */
  isBackupBoot: boolean;
}

/** What `dir` says about one member's flash. */
export interface DirListing {
  /** e.g. "flash:/" or "slot2#flash:/". */
  directory: string;
  /** Files and directories, in listing order. */
  entries: DirEntry[];
  /** Flash size in KB; null when the summary line is missing (truncated capture). */
  totalKB: number | null;
  /** Free space in KB; null when the summary line is missing. */
  freeKB: number | null;
  /** Free space in bytes (KB = 1024 bytes), null when unknown. */
  freeBytes: number | null;
}

const COMMAND = "dir";
const DIRECTORY = /^\s*Directory of (\S+)/;
const ENTRY =
  /^\s*(\d+)(?:\((\*b|\*|b)\))?\s+([-d][-rwx]{3})\s+(\d+|-)\s+([A-Z][a-z]{2}\s+\d{1,2}\s+\d{4}\s+\d{2}:\d{2}:\d{2})\s+(.+?)\s*$/;
const SUMMARY = /^\s*([\d,]+)\s*KB total \(([\d,]+)\s*KB free\)/;

export function parseDir(text: string): DirListing {
  const lines = outputLines(text);
  let directory: string | null = null;
  const entries: DirEntry[] = [];
  let totalKB: number | null = null;
  let freeKB: number | null = null;
  for (const line of lines) {
    const dirMatch = DIRECTORY.exec(line);
    if (dirMatch) {
      directory = dirMatch[1];
      continue;
    }
    const entry = ENTRY.exec(line);
    if (entry) {
      const attribute = entry[2] ?? "";
      entries.push({
        index: Number(entry[1]),
        name: entry[6],
        isDirectory: entry[3].startsWith("d"),
        sizeBytes: entry[4] === "-" ? null : Number(entry[4]),
        modified: entry[5].replace(/\s+/g, " "),
        isMainBoot: attribute.includes("*"),
        isBackupBoot: attribute.includes("b"),
      });
      continue;
    }
    const summary = SUMMARY.exec(line);
    if (summary) {
      totalKB = Number(summary[1].replace(/,/g, ""));
      freeKB = Number(summary[2].replace(/,/g, ""));
    }
  }
  if (directory === null) throw new ParseError(COMMAND, 'no "Directory of <path>" line');
  return { directory, entries, totalKB, freeKB, freeBytes: freeKB === null ? null : freeKB * 1024 };
}

/** Finds a file by name, case-insensitively (Comware lower-cases names it stores). */
export function findFile(listing: DirListing, name: string): DirEntry | undefined {
  const wanted = name.toLowerCase();
  return listing.entries.find((e) => !e.isDirectory && e.name.toLowerCase() === wanted);
}
