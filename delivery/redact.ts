// What a preview note may show of a property value. The engine already prints
// values marked secret as "[secret]"; we also catch the state-file secret
// envelope and, as a second line of defence, values whose key names a secret
// (a password passed as plain string is still a password). Last, whatever the
// input format: lines the device profiles know carry secrets (an SNMP
// community, a local user's password) and values known to be stack secrets.
import { maskSecrets } from "../providers/switch/operations/configDiff";
import { comware5 } from "../providers/switch/profiles/comware5";
import type { DeviceProfile } from "../providers/switch/profiles/types";

/** How `pulumi preview --json` prints a value marked secret. */
export const SECRET_PLACEHOLDER = "[secret]";
/** How the engine prints a value that is unknown until apply (plugin.UnknownStringValue). */
export const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** The signature key of a secret in serialized state (resource.SecretSig). */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG_VALUE = "1b47061264138c4ac30d75fd1eb44270";

const SECRET_WORDS = /password|passphrase|passwd|secret|token|private_?key|api_?key|credential/i;
/** "pass" as a word of its own (adminPass, root_pass), not inside "bypass" or "compass". */
const PASS_WORD = /^pass$|[a-z0-9]Pass$|[_-]pass$|^psk$/;

/** True when a property name says its value is a secret, whatever its wrapping. */
export function isSecretKeyName(key: string): boolean {
  return SECRET_WORDS.test(key) || PASS_WORD.test(key);
}

function isSecretEnvelope(value: unknown): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG_VALUE
  );
}

/** What text masking looks for, besides values the engine already marked secret. */
export interface SecretMask {
  /** Device profiles whose secret lines are masked in every multi-line text. @default [comware5] */
  profiles?: DeviceProfile[];
  /** Values known to be secrets of the stack (see {@link knownSecretValues}); each occurrence becomes "[secret]". */
  knownSecrets?: string[];
}

/** Known secrets shorter than this are not masked: a 2-character secret would blank half the note. */
export const MIN_KNOWN_SECRET_CHARS = 4;

/**
 * Masks a text: lines a device profile knows carry secrets keep their keyword
 * and lose their value ("snmp-agent community read <secret>"), and every known
 * secret value becomes "[secret]".
 */
export function maskText(text: string, mask: SecretMask = {}): string {
  const profiles = mask.profiles ?? [comware5];
  let out = text
    .split("\n")
    .map((line) => profiles.reduce((current, profile) => maskSecrets(current, profile), line))
    .join("\n");
  // Longest first, so a secret containing another is masked whole.
  const known = [...new Set(mask.knownSecrets ?? [])]
    .filter((s) => s.length >= MIN_KNOWN_SECRET_CHARS)
    .sort((a, b) => b.length - a.length);
  for (const secret of known) out = out.split(secret).join(SECRET_PLACEHOLDER);
  return out;
}

/**
 * The strings a stack secret may show up as, from `pulumi config --json
 * --show-secrets` (key -> { value, secret }): each secret scalar whole; for a
 * secret object or list, its leaves under secret-sounding keys, and each line of
 * its free-text leaves (those with spaces: the device configuration they carry).
 * Names, addresses and fingerprints inside a secret object stay readable.
 */
export function knownSecretValues(
  configJson: Record<string, { value?: unknown; secret?: boolean }>,
): string[] {
  const found: string[] = [];
  const collect = (value: unknown, keyName: string) => {
    if (typeof value === "string") {
      if (isSecretKeyName(keyName)) found.push(value);
      // Free text (device configuration, a comment): each line of 8 characters or more.
      else if (/\s/.test(value.trim()))
        for (const line of value.split(/\r?\n/)) if (line.trim().length >= 8) found.push(line.trim());
    } else if (Array.isArray(value)) value.forEach((item) => collect(item, keyName));
    else if (typeof value === "object" && value !== null)
      for (const [key, inner] of Object.entries(value)) collect(inner, key);
  };
  for (const entry of Object.values(configJson)) {
    if (!entry.secret || entry.value === undefined || entry.value === null) continue;
    const raw = typeof entry.value === "string" ? entry.value : JSON.stringify(entry.value);
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = raw;
    }
    if (typeof parsed === "object" && parsed !== null) collect(parsed, "");
    else {
      found.push(raw);
      // A multi-line secret (a private key) is masked line by line in a line diff.
      for (const line of raw.split(/\r?\n/))
        if (line.trim().length >= 8 && line !== raw) found.push(line.trim());
    }
  }
  return found.filter((s) => s.length >= MIN_KNOWN_SECRET_CHARS);
}

/**
 * Returns a copy of a property bag safe to print: secrets become "[secret]",
 * keys starting with "__" (e.g. a dynamic provider's serialized code) are dropped,
 * and strings are masked with {@link maskText}.
 */
export function redactProperties(value: unknown, keyName = "", mask: SecretMask = {}): unknown {
  if (isSecretEnvelope(value)) return SECRET_PLACEHOLDER;
  if (
    keyName !== "" &&
    isSecretKeyName(keyName) &&
    value !== null &&
    value !== undefined &&
    value !== UNKNOWN_SENTINEL
  ) {
    return SECRET_PLACEHOLDER;
  }
  if (Array.isArray(value)) return value.map((item) => redactProperties(item, "", mask));
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      if (key.startsWith("__")) continue;
      out[key] = redactProperties(inner, key, mask);
    }
    return out;
  }
  if (typeof value === "string" && value !== UNKNOWN_SENTINEL) return maskText(value, mask);
  return value;
}
