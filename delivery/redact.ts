// What a preview note may show of a property value. The engine already prints
// values marked secret as "[secret]"; we also catch the state-file secret
// envelope and, as a second line of defence, values whose key names a secret
// (a password passed as plain string is still a password).

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

/**
 * Returns a copy of a property bag safe to print: secrets become "[secret]",
 * keys starting with "__" (e.g. a dynamic provider's serialized code) are dropped.
 */
export function redactProperties(value: unknown, keyName = ""): unknown {
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
  if (Array.isArray(value)) return value.map((item) => redactProperties(item));
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      if (key.startsWith("__")) continue;
      out[key] = redactProperties(inner, key);
    }
    return out;
  }
  return value;
}
