// What a bubble holds, decided from its args before any resource exists:
// the servers of its templates in creation order with what each waits for,
// the per-role security groups in creation order, the generated passwords,
// the published endpoints and the quotas that cover all of it. Pure;
// Bubble only wires resources from this plan.
//
// Dependencies come from the templates' flows, not from the order a template
// lists its VMs: a role that opens a flow to another role needs that role's
// address, so its server is created after it (Odoo after its PostgreSQL); and
// a role that receives a flow references the source role's group in a rule,
// so its group is created after that group.
import type { BubbleArgs } from "./bubble";
import { pickFlavor, type FlavorSpec } from "./flavors";
import { assertValidName, joinName } from "./naming";
import {
  applyQuotaLimits,
  planBubbleQuotas,
  quotaNeeds,
  type BubbleQuotas,
  type QuotaDemand,
} from "./quotas";
import { assertCidr, planEgressRules, type RuleSpec } from "./rules";
import {
  ServiceKind,
  TEMPLATE_CATALOGUE,
  planTemplateRules,
  resolveTemplate,
  type TemplateSpec,
} from "./templates";

/** One template instantiated in the bubble. */
export interface BubbleTemplateInstance {
  /** Instance name, part of VM names ("erp" -> "<bubble>-erp-app"). */
  name: string;
  /** Catalogue name ("odoo+postgres", "web+db", "syncthing"). */
  template: string;
}

/** The args of a bubble the plan depends on. */
export type BubblePlanArgs = Pick<
  BubbleArgs,
  | "flavors"
  | "templates"
  | "adminCidr"
  | "clientCidr"
  | "subnetCidr"
  | "quotaHeadroomPercent"
  | "quotaLimits"
  | "protectData"
  | "egressCidrs"
  | "timezone"
>;

/** A per-role security group, shared by every instance of its template in the bubble. */
export interface PlannedGroup {
  /** Resource and group name, "<bubble>-<template>-<role>". */
  name: string;
  /** Catalogue name of the template. */
  template: string;
  /** Role whose VMs carry the group. */
  role: string;
  /** Its rules (SSH from admins, the flows into the role). */
  rules: RuleSpec[];
  /** Symbolic remote groups of the rules -> name of that (earlier) group. */
  remoteGroups: Record<string, string>;
}

/** A server of a template instance. */
export interface PlannedServer {
  /** Resource and server name, "<bubble>-<instance>-<role>". */
  name: string;
  /** Template instance name. */
  instance: string;
  /** Catalogue name of the template. */
  template: string;
  /** Role inside the template. */
  role: string;
  /** Software it runs. */
  service: ServiceKind;
  /** The smallest flavor that fits. */
  flavor: FlavorSpec;
  /** Holds data that must survive. */
  dataBearing: boolean;
  /** Protected against deletion and replacement. */
  protect: boolean;
  /** Name of its role's group. */
  groupName: string;
  /** Servers it opens flows to: created before it. */
  dependsOn: string[];
  /** The database server among dependsOn, whose address its user-data gets. */
  databaseServer: string | undefined;
  /** The generated password it shares with its instance's database, if the instance has one. */
  passwordName: string | undefined;
}

/** A port the bubble's users reach. */
export interface PlannedEndpoint {
  /** "<server>:<port>". */
  name: string;
  /** Server name. */
  server: string;
  /** TCP port. */
  port: number;
}

/** Everything a bubble holds, decided. */
export interface BubblePlan {
  /** Bubble name (also the project name). */
  name: string;
  /** Operator user of the scoped provider. */
  operatorName: string;
  /** Name of the default-deny group every VM carries. */
  baselineGroupName: string;
  /** Administrators' network. */
  adminCidr: string;
  /** Client users' network. */
  clientCidr: string;
  /** The bubble's subnet. */
  subnetCidr: string;
  /** IANA time zone of the VMs. */
  timezone: string;
  /** Egress rules of the baseline group. */
  egress: RuleSpec[];
  /** Per-role groups, in creation order (a group after the groups its rules reference). */
  groups: PlannedGroup[];
  /** Servers, in creation order (a server after the servers it depends on). */
  servers: PlannedServer[];
  /** Names of the generated database passwords, one per instance that has a database. */
  passwords: string[];
  /** Ports the bubble's users reach. */
  endpoints: PlannedEndpoint[];
  /** Quotas of the project: the need plus the headroom, or the explicit limits. */
  quotas: BubbleQuotas;
}

const DATABASES: readonly ServiceKind[] = [ServiceKind.PostgreSql, ServiceKind.MySql];

/**
 * `items` ordered so that each comes after everything `depsOf` names, keeping
 * the given order where nothing forces otherwise. Throws on a cycle or an
 * unknown name.
 */
export function dependencyOrder<T>(
  items: T[],
  keyOf: (item: T) => string,
  depsOf: (item: T) => string[],
): T[] {
  const keys = new Set(items.map(keyOf));
  for (const item of items) {
    const unknown = depsOf(item).filter((d) => !keys.has(d));
    if (unknown.length > 0) throw new Error(`"${keyOf(item)}" depends on unknown ${unknown.join(", ")}`);
  }
  const done = new Set<string>();
  const ordered: T[] = [];
  while (ordered.length < items.length) {
    const next = items.find((i) => !done.has(keyOf(i)) && depsOf(i).every((d) => done.has(d)));
    if (next === undefined) {
      const stuck = items.filter((i) => !done.has(keyOf(i))).map(keyOf);
      throw new Error(`dependency cycle between ${stuck.join(", ")}`);
    }
    done.add(keyOf(next));
    ordered.push(next);
  }
  return ordered;
}

/** Roles each role of a template opens flows to (so needs the address of). */
function flowTargets(spec: TemplateSpec, role: string): string[] {
  const targets = spec.flows.filter((f) => f.from === role && f.to !== role).map((f) => f.to);
  return [...new Set(targets)];
}

/** "<bubble>-<template>-<role>": the group of a role, shared by the template's instances. */
function groupNameOf(bubble: string, spec: TemplateSpec, role: string): string {
  return joinName(bubble, spec.name.replace(/[^a-z0-9]+/g, "-"), role);
}

function planGroups(bubble: string, spec: TemplateSpec, rules: Record<string, RuleSpec[]>): PlannedGroup[] {
  const groupName = (role: string) => groupNameOf(bubble, spec, role);
  return Object.entries(rules).map(([role, roleRules]) => {
    const remotes = roleRules
      .map((r) => r.remoteGroup)
      .filter((g): g is string => g !== undefined && g !== "self");
    return {
      name: groupName(role),
      template: spec.name,
      role,
      rules: roleRules,
      remoteGroups: Object.fromEntries(remotes.map((r) => [r, groupName(r)])),
    };
  });
}

function planServers(
  bubble: string,
  instance: BubbleTemplateInstance,
  spec: TemplateSpec,
  args: BubblePlanArgs,
): PlannedServer[] {
  const prefix = joinName(bubble, instance.name);
  const serviceOf = new Map(spec.vms.map((vm) => [vm.role, vm.service]));
  const hasDatabase = spec.vms.some((vm) => DATABASES.includes(vm.service));
  return spec.vms.map((vm) => {
    const targets = flowTargets(spec, vm.role);
    const databaseRole = targets.find((t) => DATABASES.includes(serviceOf.get(t) ?? ServiceKind.WebServer));
    if (vm.service === ServiceKind.Odoo && databaseRole === undefined) {
      throw new Error(
        `template "${spec.name}": role "${vm.role}" runs Odoo but opens no flow to a database role; add one`,
      );
    }
    return {
      name: joinName(prefix, vm.role),
      instance: instance.name,
      template: spec.name,
      role: vm.role,
      service: vm.service,
      flavor: pickFlavor(vm.size, args.flavors),
      dataBearing: vm.dataBearing,
      protect: vm.dataBearing && (args.protectData ?? true),
      groupName: groupNameOf(bubble, spec, vm.role),
      dependsOn: targets.map((t) => joinName(prefix, t)),
      databaseServer: databaseRole === undefined ? undefined : joinName(prefix, databaseRole),
      passwordName: hasDatabase ? `${prefix}-db` : undefined,
    };
  });
}

/** Decides everything a bubble holds; fails naming the field to fix. */
export function planBubble(
  name: string,
  args: BubblePlanArgs,
  catalogue: Readonly<Record<string, TemplateSpec>> = TEMPLATE_CATALOGUE,
): BubblePlan {
  assertValidName("bubble name", name);
  const adminCidr = assertCidr("adminCidr", args.adminCidr, false);
  const clientCidr = assertCidr("clientCidr", args.clientCidr);
  const subnetCidr = assertCidr("subnetCidr", args.subnetCidr ?? "10.20.0.0/24");
  const egress = planEgressRules(args.egressCidrs ?? ["0.0.0.0/0"]);

  const seen = new Set<string>();
  const groups = new Map<string, PlannedGroup>();
  const servers: PlannedServer[] = [];
  const endpoints: PlannedEndpoint[] = [];
  for (const instance of args.templates) {
    assertValidName("templates[].name", instance.name);
    if (seen.has(instance.name))
      throw new Error(`templates: instance "${instance.name}" appears twice in bubble "${name}"; rename one`);
    seen.add(instance.name);
    const spec = resolveTemplate(instance.template, catalogue);
    // One group per template role, shared by every instance of that template
    // in this bubble: 25 instances cost 2 groups instead of 50.
    for (const g of planGroups(name, spec, planTemplateRules(spec, adminCidr, clientCidr))) {
      groups.set(g.name, g);
    }
    servers.push(...planServers(name, instance, spec, args));
    for (const f of spec.flows.filter((f) => f.from === "clients")) {
      const server = joinName(name, instance.name, f.to);
      endpoints.push({ name: `${server}:${f.port}`, server, port: f.port });
    }
  }
  const orderedGroups = dependencyOrder(
    [...groups.values()],
    (g) => g.name,
    (g) => Object.values(g.remoteGroups),
  );
  const ruleCount = egress.length + orderedGroups.reduce((n, g) => n + g.rules.length, 0);
  const demand: QuotaDemand = {
    servers: servers.map((s) => s.flavor),
    floatingIps: 0,
    securityGroups: 1 + orderedGroups.length,
    securityGroupRules: ruleCount,
    networks: 1,
    subnets: 1,
    routers: 1,
    keyPairs: 1,
  };
  const quotas = applyQuotaLimits(
    name,
    quotaNeeds(demand),
    planBubbleQuotas(demand, args.quotaHeadroomPercent ?? 20),
    args.quotaLimits ?? {},
  );
  return {
    name,
    operatorName: joinName(name, "operator"),
    baselineGroupName: joinName(name, "baseline"),
    adminCidr,
    clientCidr,
    subnetCidr,
    timezone: args.timezone ?? "Europe/Paris",
    egress,
    groups: orderedGroups,
    servers: dependencyOrder(
      servers,
      (s) => s.name,
      (s) => s.dependsOn,
    ),
    passwords: [...new Set(servers.flatMap((s) => (s.passwordName ? [s.passwordName] : [])))],
    endpoints,
    quotas,
  };
}
