// What the drift guards decide: a security-group rule reduced to what it
// means (so socle's specs and Neutron's rows compare), which live rules are
// extra, how a server's metadata differs from socle's, and whether a guard's
// state differs from the program (the engine counts that as an update, on
// refresh as on up). Plain functions, tested directly.

/** A rule as socle declares it: the fields of a SecGroupRule's inputs that make a rule. */
export interface GuardRule {
  /** "ingress" or "egress". */
  direction: string;
  /** "IPv4" or "IPv6". */
  ethertype: string;
  /** Protocol name or number; absent for every protocol. */
  protocol?: string;
  /** First port (ICMP type); absent for every port. */
  portRangeMin?: number;
  /** Last port (ICMP code); absent for every port. */
  portRangeMax?: number;
  /** Remote CIDR; absent (with no remoteGroupId) for the whole address family. */
  remoteIpPrefix?: string;
  /** Remote security group ID. */
  remoteGroupId?: string;
}

/** A rule as Neutron's API returns it (`GET /v2.0/security-groups/{id}`). */
export interface NeutronRule {
  id: string;
  direction: string;
  ethertype: string;
  protocol: string | null;
  port_range_min: number | null;
  port_range_max: number | null;
  remote_ip_prefix: string | null;
  remote_group_id: string | null;
  remote_address_group_id?: string | null;
}

// Neutron accepts protocol numbers for the names it knows.
const PROTOCOL_NAMES: Record<string, string> = { "1": "icmp", "6": "tcp", "17": "udp", "58": "ipv6-icmp" };

/** An IPv4 CIDR with its host bits cleared (Neutron stores it so); IPv6 lower-cased. */
export function canonicalCidr(cidr: string): string {
  const [address = "", prefixText = ""] = cidr.trim().toLowerCase().split("/");
  const octets = address.split(".").map(Number);
  const prefix = Number(prefixText);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o)) || !Number.isInteger(prefix)) {
    return cidr.trim().toLowerCase();
  }
  const value = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  const network = Math.floor(value / size) * size;
  const parts = [24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256);
  return `${parts.join(".")}/${prefix}`;
}

/**
 * A rule as one line ("ingress IPv4 tcp 22-22 from 10.0.0.0/24"): equal lines
 * are the same rule for Neutron (which refuses duplicates), descriptions aside.
 */
export function ruleKey(rule: GuardRule): string {
  const protocol = rule.protocol ? (PROTOCOL_NAMES[rule.protocol] ?? rule.protocol.toLowerCase()) : "any";
  const min = rule.portRangeMin;
  const max = rule.portRangeMax ?? min;
  const ports = protocol === "any" ? "" : min === undefined ? " all-ports" : ` ${min}-${max}`;
  const world = rule.ethertype === "IPv6" ? "::/0" : "0.0.0.0/0";
  const remote = rule.remoteGroupId
    ? `group ${rule.remoteGroupId}`
    : canonicalCidr(rule.remoteIpPrefix ?? world);
  const way = rule.direction === "egress" ? "to" : "from";
  return `${rule.direction} ${rule.ethertype} ${protocol}${ports} ${way} ${remote}`;
}

/** Neutron's row as a {@link GuardRule} (nulls dropped). */
export function fromNeutron(row: NeutronRule): GuardRule {
  const rule: GuardRule = { direction: row.direction, ethertype: row.ethertype };
  if (row.protocol !== null) rule.protocol = row.protocol;
  if (row.port_range_min !== null) rule.portRangeMin = row.port_range_min;
  if (row.port_range_max !== null) rule.portRangeMax = row.port_range_max;
  if (row.remote_ip_prefix !== null) rule.remoteIpPrefix = row.remote_ip_prefix;
  if (row.remote_group_id !== null) rule.remoteGroupId = row.remote_group_id;
  // An address-group rule is never socle's: keep it distinct so that it shows as extra.
  if (row.remote_address_group_id) rule.remoteGroupId = `address-group:${row.remote_address_group_id}`;
  return rule;
}

/** Sorted, distinct keys of rules. */
export function ruleKeys(rules: GuardRule[]): string[] {
  return [...new Set(rules.map(ruleKey))].sort();
}

/** IDs of the live rules that socle did not declare: the ones `up` deletes. */
export function extraRuleIds(live: NeutronRule[], expected: GuardRule[]): string[] {
  const wanted = new Set(expected.map(ruleKey));
  return live.filter((row) => !wanted.has(ruleKey(fromNeutron(row)))).map((row) => row.id);
}

/** How a server's live metadata differs from socle's. */
export interface MetadataDrift {
  /** Keys socle sets that are missing or hold another value, with socle's value. */
  restore: Record<string, string>;
  /** Keys socle did not set, sorted. */
  extra: string[];
}

/** The drift of `live` metadata from `expected`. */
export function metadataDrift(expected: Record<string, string>, live: Record<string, string>): MetadataDrift {
  const restore = Object.fromEntries(Object.entries(expected).filter(([k, v]) => live[k] !== v));
  const extra = Object.keys(live)
    .filter((k) => !(k in expected))
    .sort();
  return { restore, extra };
}

/** Whether there is any drift. */
export function hasMetadataDrift(drift: MetadataDrift): boolean {
  return Object.keys(drift.restore).length > 0 || drift.extra.length > 0;
}

/** A server kept by a set guard: its ID and exactly the metadata socle set on it. */
export interface GuardedServer {
  serverId: string;
  expectedMetadata: Record<string, string>;
}

/**
 * Whether the live metadata of a set of servers (by server name) differs from
 * socle's: a server not read (gone), one read that socle no longer declares,
 * or one whose metadata drifted. Values still unknown (a preview) are drift.
 */
export function serverSetDrifted(
  expected: Record<string, GuardedServer>,
  live: Record<string, Record<string, string>>,
): boolean {
  if (typeof expected !== "object") return true;
  if (Object.keys(live).some((name) => !(name in expected))) return true;
  return Object.keys(expected).some((name) => {
    const wanted = expected[name]?.expectedMetadata;
    const found = live[name];
    return (
      typeof wanted !== "object" || found === undefined || hasMetadataDrift(metadataDrift(wanted, found))
    );
  });
}

/** How the engine hands a dynamic provider a value not known yet (during a preview). */
export const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** A dynamic provider's diff answer. */
export interface GuardDiff {
  changes: boolean;
  replaces: string[];
}

/**
 * The diff of a guard: replaced when its `target` field changes (it then
 * guards another object; a guard of a set has none), updated when the live
 * value read last differs from the program's, or when any of `fields`
 * changed (credentials) to a known value.
 * On refresh the engine asks this with the state just read as `olds`, so drift
 * counts as an update there too.
 */
export function guardDiff<I extends object>(
  olds: I,
  news: I,
  target: (keyof I & string) | undefined,
  drifted: boolean,
  fields: readonly (keyof I)[],
): GuardDiff {
  if (target !== undefined && olds[target] !== news[target]) return { changes: true, replaces: [target] };
  // In a preview, the fields an explicit provider leaves unset are still
  // unknown; `up` diffs again once they are known (then undefined).
  const changed = fields.some(
    (f) => news[f] !== UNKNOWN_VALUE && canonicalJson(olds[f]) !== canonicalJson(news[f]),
  );
  return { changes: drifted || changed, replaces: [] };
}

/** JSON with object keys sorted: the engine does not keep key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
