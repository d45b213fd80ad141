// Naming rules for OpenStack resources. Names are a contract: they decide
// Pulumi URNs (changing one replaces the resource) and what operators see in
// Horizon, so they are computed in one place and validated early.

/** Longest name we generate; Nova and Neutron accept 255, we stay readable. */
export const MAX_NAME_LENGTH = 63;

const NAME_PATTERN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/**
 * Checks that `value` is a lowercase DNS-label-like name (letters, digits,
 * inner dashes, at most {@link MAX_NAME_LENGTH} characters).
 * Throws an error naming `field`, the bad value and the rule.
 */
export function assertValidName(field: string, value: string): string {
  if (value.length === 0 || value.length > MAX_NAME_LENGTH || !NAME_PATTERN.test(value)) {
    throw new Error(
      `${field}: "${value}" is not a valid name; use 1-${MAX_NAME_LENGTH} lowercase letters, digits and inner dashes (e.g. "medicarche-odoo")`,
    );
  }
  return value;
}

/**
 * Joins name parts with dashes ("medicarche", "odoo", "vm" -> "medicarche-odoo-vm")
 * and validates the result, so two components with different names never collide.
 */
export function joinName(...parts: string[]): string {
  const joined = parts
    .filter((p) => p.length > 0)
    .join("-")
    .toLowerCase();
  return assertValidName("name", joined);
}

/** Hostname for a server: the resource name, which is already DNS-safe. */
export function hostnameFor(serverName: string): string {
  return assertValidName("hostname", serverName);
}
