// What the secrets resources do inside the engine's provider process: check
// their args, draw a password or an RSA keypair from Node's CSPRNG, and decide
// that only a new `rotation` draws again. Plain functions, tested directly.
import { randomInt } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import type * as ssh2 from "ssh2";

/**
 * Special characters a password may hold: none that needs escaping in SQL or
 * PHP single quotes, shell double quotes, YAML or INI values (no quotes,
 * backslash, `$`, backtick, `#`, `;`, `&`, space).
 */
export const PASSWORD_SPECIAL_CHARACTERS = "!%*+-.:=?@^_~";

/** Shortest password offered. */
export const PASSWORD_MIN_LENGTH = 12;

/** Longest password offered (Keystone, MySQL and PostgreSQL all take 128). */
export const PASSWORD_MAX_LENGTH = 128;

/** RSA key sizes offered. */
export const RSA_KEY_BITS = [2048, 3072, 4096];

/** What a generated password is made of. */
export interface PasswordSpec {
  /** Number of characters. */
  length: number;
  /** Lower-case letters a-z. */
  lower: boolean;
  /** Upper-case letters A-Z. */
  upper: boolean;
  /** Digits 0-9. */
  digits: boolean;
  /** Characters of {@link PASSWORD_SPECIAL_CHARACTERS}. */
  special: boolean;
}

/** What a generated SSH key is. */
export interface SshKeySpec {
  /** RSA modulus size. */
  rsaBits: number;
  /** Comment at the end of the public key. */
  comment: string;
}

/** Inputs every generated secret carries: a new value is drawn when `rotation` changes. */
export interface Rotatable {
  /** Any string; changing it draws a new value. */
  rotation: string;
}

/** A generated OpenSSH keypair. */
export interface SshKeyMaterial {
  /** Private key, OpenSSH format ("-----BEGIN OPENSSH PRIVATE KEY-----"). */
  privateKeyOpenssh: string;
  /** Public key, one line: "ssh-rsa AAAA... comment". */
  publicKeyOpenssh: string;
}

const CLASSES: Record<Exclude<keyof PasswordSpec, "length">, string> = {
  lower: "abcdefghijklmnopqrstuvwxyz",
  upper: "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
  digits: "0123456789",
  special: PASSWORD_SPECIAL_CHARACTERS,
};

function classesOf(spec: PasswordSpec): string[] {
  return Object.entries(CLASSES)
    .filter(([name]) => spec[name as keyof typeof CLASSES])
    .map(([, chars]) => chars);
}

/** Every problem of a password spec, each naming the field and the fix; empty when valid. */
export function passwordSpecFailures(spec: PasswordSpec): pulumi.dynamic.CheckFailure[] {
  const failures: pulumi.dynamic.CheckFailure[] = [];
  const [min, max] = [PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH];
  if (!Number.isInteger(spec.length) || spec.length < min || spec.length > max) {
    failures.push({
      property: "length",
      reason: `${spec.length} is not allowed; use a whole number from ${min} to ${max}`,
    });
  }
  if (classesOf(spec).length === 0) {
    failures.push({
      property: "lower",
      reason: "no character class is enabled; enable lower, upper, digits or special",
    });
  }
  return failures;
}

/** Every problem of an SSH key spec, each naming the field and the fix; empty when valid. */
export function sshKeySpecFailures(spec: SshKeySpec): pulumi.dynamic.CheckFailure[] {
  if (RSA_KEY_BITS.includes(spec.rsaBits)) return [];
  return [{ property: "rsaBits", reason: `${spec.rsaBits} is not allowed; use ${RSA_KEY_BITS.join(", ")}` }];
}

/** Throws one error listing every failure, for checks made in the program. */
export function assertNoFailures(what: string, failures: pulumi.dynamic.CheckFailure[]): void {
  if (failures.length === 0) return;
  throw new Error(`${what}: ${failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
}

/** A password of `spec.length` characters with at least one of each enabled class, in random order. */
export function generatePassword(spec: PasswordSpec): string {
  assertNoFailures("password", passwordSpecFailures(spec));
  const classes = classesOf(spec);
  const all = classes.join("");
  const pick = (chars: string) => chars[randomInt(chars.length)] ?? "";
  const chars = classes.map(pick);
  while (chars.length < spec.length) chars.push(pick(all));
  // Fisher-Yates, so the guaranteed characters are not always first.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j] ?? "", chars[i] ?? ""];
  }
  return chars.join("");
}

/**
 * ssh2 takes 80 ms to load and only making a key needs it: loaded then, not
 * with this module, which every program and provider start imports.
 */
function sshUtils(): typeof ssh2.utils {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require("ssh2") as typeof ssh2).utils;
}

/** A new RSA keypair in OpenSSH formats. */
export function generateSshKey(spec: SshKeySpec): SshKeyMaterial {
  assertNoFailures("ssh key", sshKeySpecFailures(spec));
  const pair = sshUtils().generateKeyPairSync("rsa", { bits: spec.rsaBits, comment: spec.comment });
  return { privateKeyOpenssh: pair.private, publicKeyOpenssh: pair.public.trim() };
}

/**
 * The diff of a generated secret: a new `rotation` replaces it (a new value is
 * drawn); any other input that moved is recorded in place and keeps the value,
 * so editing a spec never silently rotates a live password. The new spec is
 * used at the next rotation.
 */
export function rotationDiff<T extends Rotatable>(
  olds: T,
  news: T,
  specFields: readonly (keyof T)[],
): pulumi.dynamic.DiffResult {
  const replaces = olds.rotation === news.rotation ? [] : ["rotation"];
  const moved = specFields.some((f) => olds[f] !== news[f]);
  return { changes: moved || replaces.length > 0, replaces };
}
