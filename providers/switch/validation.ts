// switch validation: every check of a switch resource's settings, written
// once. Each function returns every failure at once, naming the field and the
// fix (the shape of a dynamic provider's CheckFailure), so the session, the
// provider runtime, the fleet component, the resources' `check` and the
// policy pack give the same messages. Imports only tokens.ts: the policy pack
// loads both files as they are, beside its own folder.
import { SWITCH_OS_NAMES } from "./tokens";

/** One problem: the field (as the user wrote it) and what to do; a dynamic provider's CheckFailure. */
export interface Failure {
  /** The field at fault, as the user wrote it (e.g. "maintenanceWindow.start"). */
  property: string;
  /** What is wrong and the fix. */
  reason: string;
}

/**
 * What @pulumi/pulumi hands a dynamic provider's `check` for a value not known
 * during preview (another resource's output). Such a value is not judged.
 */
export const UNKNOWN_DURING_PREVIEW = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** "SHA256:" and 43 base64 characters, as `ssh-keygen -lf` prints a host key. */
export const HOST_KEY_FINGERPRINT = /^(SHA256:)?[A-Za-z0-9+/]{43}=?$/i;

/** A management address: an IPv4 or IPv6 address, or a DNS name (no user, no port). */
export const ADDRESS =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*)$/;

/** A SHA-256 checksum in hex, as `sha256sum` prints it. */
export const SHA256_HEX = /^[0-9a-f]{64}$/i;

/** Switch-clock time of day "HH:MM", 00:00 to 23:59. */
export const HH_MM = /^([01]?\d|2[0-3]):([0-5]\d)$/;

/**
 * How to reach one switch, as every layer receives it. Secrets and names are
 * only checked for presence (a program may pass them as Pulumi outputs).
 */
export interface ConnectionFields {
  /** Device profile name, one of `supportedOs`. */
  os?: unknown;
  host?: unknown;
  port?: unknown;
  username?: unknown;
  password?: unknown;
  privateKey?: unknown;
  hostKeySha256?: unknown;
  /** Trust the host key on first use (SwitchSession only). */
  allowUnknownHostKey?: boolean;
  connectTimeoutMs?: unknown;
  commandTimeoutMs?: unknown;
  retryAttempts?: unknown;
}

const known = (value: unknown): boolean => value !== UNKNOWN_DURING_PREVIEW;
const absent = (value: unknown): boolean => value === undefined || value === null || value === "";

function wholeNumberFailure(
  property: string,
  value: unknown,
  min: number,
  max: number,
  meaning: string,
): Failure[] {
  if (absent(value) || !known(value)) return [];
  const n = typeof value === "string" ? Number(value) : value;
  if (typeof n === "number" && Number.isInteger(n) && n >= min && n <= max) return [];
  return [{ property, reason: `${JSON.stringify(value)} is not allowed: give ${meaning}` }];
}

/** Four dotted numbers with one above 255: looks like IPv4, is not. */
function badIpv4(host: string): boolean {
  return /^\d+(\.\d+){3}$/.test(host) && host.split(".").some((n) => Number(n) > 255);
}

/** Where the switch is: host, port and pinned host key. */
export function endpointFailures(c: ConnectionFields, prefix = ""): Failure[] {
  const failures: Failure[] = [];
  const fail = (property: string, reason: string) => failures.push({ property: prefix + property, reason });
  if (absent(c.host)) fail("host", "is required: give the switch's management address (IP or DNS name)");
  else if (known(c.host) && (typeof c.host !== "string" || !ADDRESS.test(c.host) || badIpv4(c.host))) {
    fail(
      "host",
      `${JSON.stringify(c.host)} is not an address: give an IP address or a DNS name alone (the port goes in port)`,
    );
  }
  if (absent(c.hostKeySha256)) {
    if (!c.allowUnknownHostKey) {
      fail(
        "hostKeySha256",
        'is required: give the pinned host key "SHA256:..." (ssh-keygen -lf, or the lab manifest)',
      );
    }
  } else if (
    known(c.hostKeySha256) &&
    (typeof c.hostKeySha256 !== "string" || !HOST_KEY_FINGERPRINT.test(c.hostKeySha256.trim()))
  ) {
    fail(
      "hostKeySha256",
      `${JSON.stringify(c.hostKeySha256)} is not a SHA256 fingerprint: give "SHA256:" and 43 base64 characters (ssh-keygen -lf)`,
    );
  }
  failures.push(
    ...wholeNumberFailure(prefix + "port", c.port, 1, 65535, "a TCP port from 1 to 65535 (default 22)"),
  );
  return failures;
}

/** Who logs in: username, and a password or a private key. */
export function credentialFailures(c: ConnectionFields, prefix = ""): Failure[] {
  const failures: Failure[] = [];
  if (absent(c.username)) {
    failures.push({
      property: `${prefix}username`,
      reason: "is required: give the SSH login name on the switch",
    });
  }
  if (absent(c.password) && absent(c.privateKey)) {
    failures.push({
      property: `${prefix}password`,
      reason: "give a password or a privateKey (as a Pulumi secret)",
    });
  }
  return failures;
}

/** Timeouts and retries. */
export function tuningFailures(c: ConnectionFields, prefix = ""): Failure[] {
  const numbers: [string, unknown, number, number, string][] = [
    ["connectTimeoutMs", c.connectTimeoutMs, 1, 3_600_000, "milliseconds from 1 (default 15000)"],
    ["commandTimeoutMs", c.commandTimeoutMs, 1, 3_600_000, "milliseconds from 1 (default 30000)"],
    ["retryAttempts", c.retryAttempts, 1, 100, "a whole number from 1 (1 = no retry, default 4)"],
  ];
  return numbers.flatMap(([property, value, min, max, meaning]) =>
    wholeNumberFailure(prefix + property, value, min, max, meaning),
  );
}

/** The switch OS, when given, is one socle has a profile for (refused by name before any change). */
export function osFailures(os: unknown, supportedOs: readonly string[], prefix = ""): Failure[] {
  if (absent(os) || !known(os) || supportedOs.includes(String(os))) return [];
  return [
    {
      property: `${prefix}os`,
      reason: `${JSON.stringify(os)} is not a switch OS socle supports: give one of ${supportedOs.map((o) => `"${o}"`).join(", ")}`,
    },
  ];
}

/** Every problem of a switch connection; `prefix` names where it sits (e.g. "stacks[2]."). */
export function connectionFailures(
  c: ConnectionFields,
  prefix = "",
  supportedOs: readonly string[] = SWITCH_OS_NAMES,
): Failure[] {
  return [
    ...osFailures(c.os, supportedOs, prefix),
    ...endpointFailures(c, prefix),
    ...credentialFailures(c, prefix),
    ...tuningFailures(c, prefix),
  ];
}

/** Every problem of a maintenance window { start, end } in switch-clock "HH:MM". */
export function windowFailures(
  window: unknown,
  property = "maintenanceWindow",
  /** What the caller reads for a value unknown during preview (the policy pack has its own marker). */
  unknownMarker: string = UNKNOWN_DURING_PREVIEW,
): Failure[] {
  if (window === unknownMarker) return [];
  if (typeof window !== "object" || window === null || Array.isArray(window)) {
    return [{ property, reason: 'give { start: "HH:MM", end: "HH:MM" } on the switch clock' }];
  }
  const w = window as Record<string, unknown>;
  const failures: Failure[] = [];
  for (const field of ["start", "end"] as const) {
    const value = w[field];
    if (value === unknownMarker) continue;
    if (typeof value !== "string" || !HH_MM.test(value.trim())) {
      failures.push({
        property: `${property}.${field}`,
        reason: `${JSON.stringify(value)} is not a time "HH:MM": give a switch-clock time from 00:00 to 23:59`,
      });
    }
  }
  const bothKnown = w.start !== unknownMarker && w.end !== unknownMarker;
  if (failures.length === 0 && bothKnown && String(w.start).trim() === String(w.end).trim()) {
    failures.push({
      property: `${property}.end`,
      reason: `the window starts and ends at ${String(w.start).trim()}: give a window of at least 1 minute`,
    });
  }
  return failures;
}

/** Every problem of a SwitchFirmware's own fields (image, release, window). */
export function firmwareFailures(f: {
  imagePath?: unknown;
  release?: unknown;
  sha256?: unknown;
  maintenanceWindow?: unknown;
  irfMembers?: unknown;
}): Failure[] {
  const failures: Failure[] = [];
  if (!absent(f.irfMembers) && known(f.irfMembers)) failures.push(...irfMemberFailures(f.irfMembers));
  if (absent(f.imagePath))
    failures.push({ property: "imagePath", reason: "give the local path of the image file" });
  else if (known(f.imagePath) && (typeof f.imagePath !== "string" || /[\\/]$/.test(f.imagePath))) {
    failures.push({
      property: "imagePath",
      reason: `${JSON.stringify(f.imagePath)} is not a file path: give the path of the image file, its name as on flash`,
    });
  }
  if (!absent(f.sha256) && known(f.sha256) && (typeof f.sha256 !== "string" || !SHA256_HEX.test(f.sha256))) {
    failures.push({
      property: "sha256",
      reason: `${JSON.stringify(f.sha256)} is not a SHA-256 checksum: give the 64 hexadecimal characters sha256sum prints`,
    });
  }
  if (absent(f.release)) {
    failures.push({ property: "release", reason: 'give the release the image runs, e.g. "2221P25"' });
  }
  if (!absent(f.maintenanceWindow) && known(f.maintenanceWindow)) {
    failures.push(...windowFailures(f.maintenanceWindow));
  }
  return failures;
}

/** IRF member IDs: a non-empty list of distinct whole numbers from 1, e.g. [1, 2, 3]. */
export function irfMemberFailures(ids: unknown, property = "irfMembers"): Failure[] {
  const list: unknown[] = Array.isArray(ids) ? ids : [];
  const valid =
    list.length > 0 &&
    list.every((id) => id === UNKNOWN_DURING_PREVIEW || (Number.isInteger(id) && (id as number) >= 1)) &&
    new Set(list).size === list.length;
  if (valid) return [];
  return [
    {
      property,
      reason: `${JSON.stringify(ids)} is not a list of IRF member IDs: give each member's ID once, e.g. [1, 2, 3] as display irf lists them`,
    },
  ];
}

/** Minutes after midnight of a time "HH:MM" already checked by windowFailures. */
export function minuteOfDay(value: string): number {
  const m = HH_MM.exec(value.trim());
  if (!m) throw new Error(`"${value}" is not a time "HH:MM"`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** Thrown when settings fail validation: lists every failure, each with its field and fix. */
export class SwitchValidationError extends Error {
  constructor(
    /** What was being checked, e.g. "switch psv-r1" or "SwitchFleet psv". */
    readonly subject: string,
    /** Every failure found. */
    readonly failures: Failure[],
  ) {
    super(`${subject}: ${failures.map((f) => `${f.property} ${f.reason}`).join("; ")}`);
    this.name = "SwitchValidationError";
  }
}

/** Throws one SwitchValidationError listing every failure; does nothing when there is none. */
export function assertValid(subject: string, failures: Failure[]): void {
  if (failures.length > 0) throw new SwitchValidationError(subject, failures);
}
