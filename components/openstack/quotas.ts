// Quota planning for a bubble: from what its templates will create, the
// compute and network quotas with a safety margin. Pure.
import type { ServerSize } from "./apps";

/** What a bubble is expected to hold. */
export interface QuotaDemand {
  /** Size of each server (the flavor it gets). */
  servers: ServerSize[];
  /** Floating IPs. */
  floatingIps: number;
  /** Security groups socle creates (Neutron's "default" group is added by planBubbleQuotas). */
  securityGroups: number;
  /** Security-group rules socle creates. */
  securityGroupRules: number;
  /** Networks. */
  networks: number;
  /** Subnets. */
  subnets: number;
  /** Routers. */
  routers: number;
  /** SSH keypairs. */
  keyPairs: number;
}

/** Quotas to set on the bubble's project. */
export interface BubbleQuotas {
  /** Servers (Nova instances). */
  instances: number;
  /** vCPUs, summed over the servers. */
  cores: number;
  /** RAM in MiB, summed over the servers. */
  ramMiB: number;
  /** SSH keypairs. */
  keyPairs: number;
  /** Networks. */
  networks: number;
  /** Subnets. */
  subnets: number;
  /** Neutron ports (servers, router interfaces and gateway, DHCP). */
  ports: number;
  /** Routers. */
  routers: number;
  /** Floating IPs. */
  floatingIps: number;
  /** Security groups, Neutron's "default" one included. */
  securityGroups: number;
  /** Security-group rules. */
  securityGroupRules: number;
}

function withHeadroom(n: number, headroomPercent: number, minimum: number): number {
  return Math.max(minimum, Math.ceil(n * (1 + headroomPercent / 100)));
}

/**
 * Quotas = demand plus `headroomPercent`, never below small floors (so an
 * empty bubble can still be worked in). Ports: one per server plus the
 * router interface, the router gateway and DHCP per subnet.
 */
export function planBubbleQuotas(demand: QuotaDemand, headroomPercent: number): BubbleQuotas {
  if (!Number.isFinite(headroomPercent) || headroomPercent < 0 || headroomPercent > 1000) {
    throw new Error(`quotaHeadroomPercent: ${headroomPercent} must be between 0 and 1000`);
  }
  const cores = demand.servers.reduce((s, v) => s + v.vcpus, 0);
  const ram = demand.servers.reduce((s, v) => s + v.ramMiB, 0);
  const ports = demand.servers.length + demand.subnets * 2 + demand.routers;
  return {
    instances: withHeadroom(demand.servers.length, headroomPercent, 1),
    cores: withHeadroom(cores, headroomPercent, 1),
    ramMiB: withHeadroom(ram, headroomPercent, 512),
    keyPairs: withHeadroom(demand.keyPairs, headroomPercent, 1),
    networks: withHeadroom(demand.networks, headroomPercent, 1),
    subnets: withHeadroom(demand.subnets, headroomPercent, 1),
    ports: withHeadroom(ports, headroomPercent, 4),
    routers: withHeadroom(demand.routers, headroomPercent, 1),
    floatingIps: withHeadroom(demand.floatingIps, headroomPercent, 0),
    // Neutron creates a "default" group in every project: count it.
    securityGroups: withHeadroom(demand.securityGroups + 1, headroomPercent, 2),
    securityGroupRules: withHeadroom(demand.securityGroupRules + 4, headroomPercent, 8),
  };
}
