// Fault injection settings of one switch: set in-process or in `<stateDir>/faults.json`.
import * as fs from "node:fs";

export interface SwitchFaults {
  /** the n-th command line received by the switch (1-based, all sessions) drops the connection instead of running */
  dropAtCommand?: number;
  /** an SFTP upload is cut once this many bytes were written in total (bytes up to it are stored) */
  dropAfterUploadBytes?: number;
  /** delay before each command's output, in ms */
  latencyMs?: number;
  /** the switch now accepts only this password */
  password?: string;
  /** every authentication attempt fails */
  rejectAuth?: boolean;
  /** free flash space per member id, in KB */
  flashFreeKB?: Record<string, number>;
  /** members on which `boot-loader file` fails */
  rejectBootFileOnMembers?: number[];
  /** members split off the IRF stack (broken IRF links): `display irf`, `display version` and `display boot-loader` no longer show them */
  splitMembers?: number[];
  /** every SFTP-uploaded file gets one byte flipped when closed */
  corruptUpload?: boolean;
  /** lab clock = real time + this offset (file only; in-process use `clock`) */
  clockOffsetMs?: number;
  /** output leaves in SSH packets of at most this many characters (as a slow or busy device splits it) */
  outputChunkChars?: number;
  /** `display version` (and the configuration's version line) report this software version, e.g. "3.10" (another OS) */
  softwareVersion?: string;
}

const NUMBER_KEYS = [
  "dropAtCommand",
  "dropAfterUploadBytes",
  "latencyMs",
  "clockOffsetMs",
  "outputChunkChars",
] as const;
const BOOLEAN_KEYS = ["rejectAuth", "corruptUpload"] as const;

/** Validates a faults object read from JSON; throws naming the bad field. */
export function parseFaults(value: unknown, source: string): SwitchFaults {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error(`${source}: expected a JSON object of faults`);
  }
  const input = value as Record<string, unknown>;
  const faults: SwitchFaults = {};
  for (const key of Object.keys(input)) {
    const v = input[key];
    if ((NUMBER_KEYS as readonly string[]).includes(key)) {
      if (typeof v !== "number" || !Number.isFinite(v))
        throw new Error(`${source}: "${key}" must be a number`);
      faults[key as (typeof NUMBER_KEYS)[number]] = v;
    } else if ((BOOLEAN_KEYS as readonly string[]).includes(key)) {
      if (typeof v !== "boolean") throw new Error(`${source}: "${key}" must be true or false`);
      faults[key as (typeof BOOLEAN_KEYS)[number]] = v;
    } else if (key === "password" || key === "softwareVersion") {
      if (typeof v !== "string") throw new Error(`${source}: "${key}" must be a string`);
      faults[key] = v;
    } else if (key === "flashFreeKB") {
      if (typeof v !== "object" || v === null || Object.values(v).some((n) => typeof n !== "number")) {
        throw new Error(`${source}: "flashFreeKB" must map member ids to KB numbers, e.g. {"1": 100}`);
      }
      faults.flashFreeKB = v as Record<string, number>;
    } else if (key === "rejectBootFileOnMembers" || key === "splitMembers") {
      if (!Array.isArray(v) || v.some((n) => typeof n !== "number")) {
        throw new Error(`${source}: "${key}" must be an array of member ids, e.g. [2]`);
      }
      faults[key] = v as number[];
    } else {
      throw new Error(`${source}: unknown fault "${key}" (see lab/switch/README.md §3)`);
    }
  }
  return faults;
}

/** Reads the faults file; returns its raw text too so a change can re-arm one-shot drops. */
export function readFaultsFile(file: string): { text: string; faults: SwitchFaults } {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return { text: "", faults: {} };
  }
  if (text.trim() === "") return { text, faults: {} };
  return { text, faults: parseFaults(JSON.parse(text), file) };
}
