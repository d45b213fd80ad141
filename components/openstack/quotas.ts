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

/**
 * Explicit quotas of a bubble's project, each replacing the planned one. A
 * value below what the templates need fails before anything is made.
 */
export interface BubbleQuotaLimits {
  /**
   * Servers (Nova instances).
   * @default the templates' servers plus `quotaHeadroomPercent`
   */
  instances?: number;
  /**
   * vCPUs.
   * @default the servers' vCPUs plus `quotaHeadroomPercent`
   */
  cores?: number;
  /**
   * RAM in MiB.
   * @default the servers' RAM plus `quotaHeadroomPercent`, at least 512
   */
  ramMiB?: number;
  /**
   * SSH keypairs.
   * @default the bubble's one plus `quotaHeadroomPercent` (2 at 20%)
   */
  keyPairs?: number;
  /**
   * Networks.
   * @default the bubble's one plus `quotaHeadroomPercent` (2 at 20%)
   */
  networks?: number;
  /**
   * Subnets.
   * @default the bubble's one plus `quotaHeadroomPercent` (2 at 20%)
   */
  subnets?: number;
  /**
   * Neutron ports.
   * @default one per server plus the router's two and DHCP, plus `quotaHeadroomPercent`
   */
  ports?: number;
  /**
   * Routers.
   * @default the bubble's one plus `quotaHeadroomPercent` (2 at 20%)
   */
  routers?: number;
  /**
   * Floating IPs.
   * @default 0 (a bubble publishes nothing by itself)
   */
  floatingIps?: number;
  /**
   * Security groups, Neutron's "default" one included.
   * @default the planned groups plus "default", plus `quotaHeadroomPercent`
   */
  securityGroups?: number;
  /**
   * Security-group rules.
   * @default the planned rules plus the "default" group's four, plus `quotaHeadroomPercent`
   */
  securityGroupRules?: number;
}

/**
 * What the bubble will hold, counted the way Nova and Neutron count it
 * against the quotas. Ports: one per server plus the router interface, the
 * router gateway and DHCP per subnet. Neutron creates a "default" security
 * group (four rules) in every project: counted too.
 */
export function quotaNeeds(demand: QuotaDemand): BubbleQuotas {
  return {
    instances: demand.servers.length,
    cores: demand.servers.reduce((s, v) => s + v.vcpus, 0),
    ramMiB: demand.servers.reduce((s, v) => s + v.ramMiB, 0),
    keyPairs: demand.keyPairs,
    networks: demand.networks,
    subnets: demand.subnets,
    ports: demand.servers.length + demand.subnets * 2 + demand.routers,
    routers: demand.routers,
    floatingIps: demand.floatingIps,
    securityGroups: demand.securityGroups + 1,
    securityGroupRules: demand.securityGroupRules + 4,
  };
}

/** Floors, so that an empty bubble can still be worked in. */
const QUOTA_FLOORS: BubbleQuotas = {
  instances: 1,
  cores: 1,
  ramMiB: 512,
  keyPairs: 1,
  networks: 1,
  subnets: 1,
  ports: 4,
  routers: 1,
  floatingIps: 0,
  securityGroups: 2,
  securityGroupRules: 8,
};

const QUOTA_KEYS = Object.keys(QUOTA_FLOORS) as (keyof BubbleQuotas)[];

/** Quotas = the need plus `headroomPercent`, never below small floors. */
export function planBubbleQuotas(demand: QuotaDemand, headroomPercent: number): BubbleQuotas {
  if (!Number.isFinite(headroomPercent) || headroomPercent < 0 || headroomPercent > 1000) {
    throw new Error(`quotaHeadroomPercent: ${headroomPercent} must be between 0 and 1000`);
  }
  const needs = quotaNeeds(demand);
  const planned = { ...needs };
  for (const key of QUOTA_KEYS) {
    planned[key] = Math.max(QUOTA_FLOORS[key], Math.ceil(needs[key] * (1 + headroomPercent / 100)));
  }
  return planned;
}

/**
 * The planned quotas with the explicit limits put in their place. A limit
 * that is not a whole number, or is below the need, fails naming the bubble,
 * the quota, the need and the fix: a bubble whose quota cannot hold its
 * templates must not be half made before Nova or Neutron refuses the rest.
 * Every bad limit is named at once.
 */
export function applyQuotaLimits(
  bubble: string,
  needs: BubbleQuotas,
  planned: BubbleQuotas,
  limits: BubbleQuotaLimits,
): BubbleQuotas {
  const quotas = { ...planned };
  const problems: string[] = [];
  for (const key of QUOTA_KEYS) {
    const limit = limits[key];
    if (limit === undefined) continue;
    if (!Number.isInteger(limit) || limit < 0) {
      problems.push(`quotaLimits.${key}: ${limit} must be a whole number, 0 or more`);
    } else if (limit < needs[key]) {
      problems.push(
        `quota ${key} is limited to ${limit} but its templates need ${needs[key]}; raise quotaLimits.${key} to at least ${needs[key]} (or drop it to get the need plus the headroom)`,
      );
    } else {
      quotas[key] = limit;
    }
  }
  if (problems.length > 0) throw new Error(`bubble "${bubble}": ${problems.join("; ")}`);
  return quotas;
}
