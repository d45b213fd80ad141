// Least-privilege security rules, decided by plain functions from what the
// applications need. Components only turn these specs into SecGroupRule
// resources; each spec has a stable `key` that names its resource, so changing
// one rule touches one resource and nothing else.
import { isIP } from "node:net";
import { AppKind, appProfile } from "./apps";

/** IP protocol of a rule (Neutron's names). */
export type RuleProtocol = "tcp" | "udp" | "icmp" | "any";

/** One security-group rule, before it becomes a resource. */
export interface RuleSpec {
  /** Stable identifier, used in the rule's resource name ("in-tcp-8087"). */
  key: string;
  /** "ingress" (traffic into the VMs) or "egress" (out of them). */
  direction: "ingress" | "egress";
  /** IP protocol; "any" for every protocol. */
  protocol: RuleProtocol;
  /** First port; absent for "any"/"icmp". */
  portMin?: number;
  /** Last port; absent for "any"/"icmp". */
  portMax?: number;
  /** Source (ingress) or destination (egress) CIDR. Exactly one of remoteCidr / remoteGroup is set. */
  remoteCidr?: string;
  /** Symbolic name of a security group (resolved by the component), for group-to-group rules. */
  remoteGroup?: string;
  /** Description shown in Horizon. */
  description: string;
}

/** Ethertype Neutron expects for a CIDR. */
export function ethertypeOf(cidr: string): "IPv4" | "IPv6" {
  return cidr.includes(":") ? "IPv6" : "IPv4";
}

/**
 * Validates a CIDR ("10.0.0.0/8", "2001:db8::/32"). Throws an error naming
 * `field` and the expected form. With `allowWorld: false`, "0.0.0.0/0" and "::/0" are refused.
 */
export function assertCidr(field: string, cidr: string, allowWorld = true): string {
  const [address, prefixText, extra] = cidr.split("/");
  const family = address ? isIP(address) : 0;
  const prefix = Number(prefixText);
  const maxPrefix = family === 6 ? 128 : 32;
  if (
    family === 0 ||
    extra !== undefined ||
    prefixText === undefined ||
    !/^\d+$/.test(prefixText) ||
    prefix > maxPrefix
  ) {
    throw new Error(
      `${field}: "${cidr}" is not a CIDR; expected an address and a prefix length such as "192.0.2.0/24"`,
    );
  }
  if (!allowWorld && prefix === 0) {
    throw new Error(
      `${field}: "${cidr}" opens the whole Internet; give the administrators' network instead (e.g. "192.0.2.0/24")`,
    );
  }
  return cidr;
}

function tcpIn(
  port: number,
  from: { cidr?: string; group?: string },
  description: string,
  suffix: string,
): RuleSpec {
  const rule: RuleSpec = {
    key: `in-tcp-${port}-${suffix}`,
    direction: "ingress",
    protocol: "tcp",
    portMin: port,
    portMax: port,
    description,
  };
  if (from.cidr !== undefined) rule.remoteCidr = from.cidr;
  if (from.group !== undefined) rule.remoteGroup = from.group;
  return rule;
}

/** Sorts by key and refuses duplicate keys (two rules with one name would collide). */
function finalise(rules: RuleSpec[]): RuleSpec[] {
  const seen = new Set<string>();
  for (const r of rules) {
    if (seen.has(r.key)) throw new Error(`security rules: duplicate rule "${r.key}"`);
    seen.add(r.key);
  }
  return [...rules].sort((a, b) => a.key.localeCompare(b.key));
}

/** What the public (reverse proxy) security group must let in. */
export interface EdgeRuleInput {
  /** Applications published by the proxy; each adds its seed port. */
  apps: AppKind[];
  /** Administrators' network: the only source allowed on SSH (22). Never the world. */
  adminCidr: string;
  /** Who may reach the published ports (the company's users). */
  clientCidr: string;
  /** Publish plain HTTP (80). */
  http: boolean;
  /** Publish HTTPS (443). */
  https: boolean;
}

/**
 * Rules of the edge security group (the reverse proxy): SSH from the admin
 * CIDR only, 80/443 if asked, and each app's seed port (8087 Odoo, 8088
 * website, 8806 Nextcloud, 8885 Syncthing) from the client CIDR. Nothing else.
 */
export function planEdgeRules(input: EdgeRuleInput): RuleSpec[] {
  const admin = assertCidr("adminCidr", input.adminCidr, false);
  const clients = assertCidr("clientCidr", input.clientCidr);
  const rules: RuleSpec[] = [tcpIn(22, { cidr: admin }, "SSH from administrators only", "admin")];
  if (input.http) rules.push(tcpIn(80, { cidr: clients }, "HTTP", "clients"));
  if (input.https) rules.push(tcpIn(443, { cidr: clients }, "HTTPS", "clients"));
  for (const kind of unique(input.apps)) {
    const p = appProfile(kind);
    rules.push(tcpIn(p.publicPort, { cidr: clients }, `${p.title} via the reverse proxy`, "clients"));
  }
  return finalise(rules);
}

/** What an application server's security group must let in. */
export interface BackendRuleInput {
  /** Applications hosted on the servers using this group. */
  apps: AppKind[];
  /** Administrators' network, the only source allowed on SSH. */
  adminCidr: string;
  /** Symbolic name of the proxy's group: the only source allowed on app ports. */
  proxyGroup: string;
}

/**
 * Rules of the application servers' security group: SSH from the admin CIDR,
 * and each app's backend port only from the reverse proxy's group. The apps
 * are never reachable directly from clients.
 */
export function planBackendRules(input: BackendRuleInput): RuleSpec[] {
  const admin = assertCidr("adminCidr", input.adminCidr, false);
  const rules: RuleSpec[] = [tcpIn(22, { cidr: admin }, "SSH from administrators only", "admin")];
  const ports = new Map<number, string[]>();
  for (const kind of unique(input.apps)) {
    const p = appProfile(kind);
    ports.set(p.backendPort, [...(ports.get(p.backendPort) ?? []), p.title]);
  }
  for (const [port, titles] of ports) {
    rules.push(
      tcpIn(port, { group: input.proxyGroup }, `${titles.join(", ")} from the reverse proxy`, "proxy"),
    );
  }
  return finalise(rules);
}

/**
 * Egress rules for a group, one per destination CIDR (any protocol). Groups
 * are created without Neutron's default allow-all egress, so [] means none.
 */
export function planEgressRules(cidrs: string[]): RuleSpec[] {
  return finalise(
    cidrs.map((cidr, i) => ({
      key: `out-any-${i}`,
      direction: "egress" as const,
      protocol: "any" as const,
      remoteCidr: assertCidr(`egressCidrs[${i}]`, cidr),
      description: "outbound traffic",
    })),
  );
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
