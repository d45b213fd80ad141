// No SSH or database port reachable from the whole Internet. OpenStack treats
// a rule without remote prefix nor remote group as open to every address.
import { asArray, describe, isRecord, type PolicyResource } from "./resource";

export const SEC_GROUP_RULE = "openstack:networking/secGroupRule:SecGroupRule";
export const LEGACY_SEC_GROUP = "openstack:compute/secGroup:SecGroup";

/** TCP ports that must never face 0.0.0.0/0: remote administration and databases. */
export const ADMIN_PORTS: ReadonlyArray<{ port: number; service: string }> = [
  { port: 22, service: "SSH" },
  { port: 3306, service: "MySQL/MariaDB" },
  { port: 5432, service: "PostgreSQL" },
  { port: 1433, service: "SQL Server" },
  { port: 1521, service: "Oracle" },
  { port: 27017, service: "MongoDB" },
  { port: 6379, service: "Redis" },
];

const WORLD = new Set(["0.0.0.0/0", "::/0", "0.0.0.0", "::"]);
const FIX =
  "restrict the remote prefix to the network admins connect from (e.g. 10.10.0.0/24), or allow a bastion's security group (remoteGroupId) instead";

/** True when a protocol value can carry TCP ("tcp", "6", or any protocol). */
function carriesTcp(protocol: unknown): boolean {
  if (protocol === undefined || protocol === null || protocol === "" || protocol === "any") return true;
  return String(protocol).toLowerCase() === "tcp" || String(protocol) === "6";
}

/** Admin ports inside [min, max]; an absent or zero range means every port. */
function exposedPorts(min: unknown, max: unknown): { port: number; service: string }[] {
  const low = typeof min === "number" && min > 0 ? min : 1;
  const high = typeof max === "number" && max > 0 ? max : typeof min === "number" && min > 0 ? min : 65535;
  return ADMIN_PORTS.filter((p) => p.port >= low && p.port <= high);
}

function message(
  resource: PolicyResource,
  ports: { port: number; service: string }[],
  from: string,
  where = "",
): string {
  const list = ports.map((p) => `${p.port} (${p.service})`).join(", ");
  return `${describe(resource)}${where} opens ${list} to ${from}: ${FIX}.`;
}

export function checkNoOpenAdminPorts(resource: PolicyResource): string[] {
  const p = resource.props;
  if (resource.type === SEC_GROUP_RULE) {
    if (p.direction !== "ingress") return [];
    const prefix = typeof p.remoteIpPrefix === "string" ? p.remoteIpPrefix.trim() : "";
    const hasGroup = typeof p.remoteGroupId === "string" && p.remoteGroupId !== "";
    const open = WORLD.has(prefix) || (prefix === "" && !hasGroup);
    if (!open || !carriesTcp(p.protocol)) return [];
    const ports = exposedPorts(p.portRangeMin, p.portRangeMax);
    return ports.length === 0
      ? []
      : [message(resource, ports, prefix === "" ? "every address (no remoteIpPrefix)" : prefix)];
  }
  if (resource.type === LEGACY_SEC_GROUP) {
    return asArray(p.rules).flatMap((rule, index) => {
      if (!isRecord(rule)) return [];
      const cidr = typeof rule.cidr === "string" ? rule.cidr.trim() : "";
      if (!WORLD.has(cidr) || !carriesTcp(rule.ipProtocol)) return [];
      const ports = exposedPorts(rule.fromPort, rule.toPort);
      return ports.length === 0 ? [] : [message(resource, ports, cidr, ` rule ${index}`)];
    });
  }
  return [];
}
