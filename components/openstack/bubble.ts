// A bubble: one client's isolated environment (seed 003). An admin provider
// creates the project, its quotas, an operator user and the people's role
// assignments; then a provider scoped to the bubble's project (logged in as
// the operator, a plain member) creates everything inside it: network,
// router, default-deny and per-role security groups, keypair, and the VMs of
// the templates instantiated by name. Nothing inside can land in another
// project, and the bubble's credentials see only their own project.
import * as openstack from "@pulumi/openstack";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { buildDeliveryChecklist, type DeliveryChecklist } from "./checklist";
import { pickFlavor, type FlavorSpec } from "./flavors";
import { SshKeypair } from "./keypair";
import { assertValidName, joinName } from "./naming";
import { PrivateNetwork } from "./network";
import { planBubbleQuotas, type BubbleQuotas } from "./quotas";
import { assertCidr, planEgressRules, type RuleSpec } from "./rules";
import { RuleSecurityGroup } from "./securityGroup";
import { AppServer } from "./server";
import { resolveTemplate, planTemplateRules, serviceUserData, ServiceKind } from "./templates";
import { ProjectRole, ProjectUsers, type ProjectUserSpec } from "./users";

/** One template instantiated in the bubble. */
export interface BubbleTemplateInstance {
  /** Instance name, part of VM names ("erp" -> "<bubble>-erp-app"). */
  name: string;
  /** Catalogue name ("odoo+postgres", "web+db", "syncthing"). */
  template: string;
}

/** Arguments of {@link Bubble}. */
export interface BubbleArgs {
  /** External network ID for the bubble's router. */
  externalNetworkId: pulumi.Input<string>;
  /** Image ID used by every VM. */
  imageId: pulumi.Input<string>;
  /** Flavors available (created by the admin); each VM gets the smallest that fits. */
  flavors: FlavorSpec[];
  /** Templates to instantiate. */
  templates: BubbleTemplateInstance[];
  /** Administrators' network, the only SSH source. */
  adminCidr: string;
  /** The client's users' network, allowed on the published ports. */
  clientCidr: string;
  /**
   * The bubble's subnet.
   * @default "10.20.0.0/24" (bubbles never route to each other, so they may overlap)
   */
  subnetCidr?: string;
  /**
   * People of the client and their roles on the bubble's project.
   * @default none
   */
  users?: ProjectUserSpec[];
  /**
   * Keystone auth URL the scoped provider logs in to.
   * @default the stack's `openstack:authUrl` config
   */
  authUrl?: pulumi.Input<string>;
  /**
   * Region of the scoped provider.
   * @default the stack's `openstack:region` config, else "RegionOne"
   */
  region?: pulumi.Input<string>;
  /**
   * Extra quota above what the templates need, in percent.
   * @default 20
   */
  quotaHeadroomPercent?: number;
  /**
   * Protect data-bearing VMs (databases, file nodes).
   * @default true
   */
  protectData?: boolean;
  /**
   * Where VMs may connect to (egress). Ingress is always default-deny.
   * @default ["0.0.0.0/0"] (package mirrors, time)
   */
  egressCidrs?: string[];
  /**
   * Also create an application credential for the operator, handed back as a secret.
   * @default false
   */
  createApplicationCredential?: boolean;
  /**
   * IANA time zone of the VMs.
   * @default "Europe/Paris"
   */
  timezone?: string;
}

/** A server built from a template. */
interface BuiltServer {
  name: string;
  template: string;
  role: string;
  dataBearing: boolean;
  server: AppServer;
}

/** One client's isolated environment. */
export class Bubble extends pulumi.ComponentResource {
  /** Bubble name (also the project name). */
  public readonly bubbleName: string;
  /** ID of the bubble's Keystone project. */
  public readonly projectId: pulumi.Output<string>;
  /** Provider scoped to the bubble's project: pass it to add resources inside the bubble. */
  public readonly provider: openstack.Provider;
  /** Operator user name and password (secret) of the scoped provider. */
  public readonly operatorName: string;
  /** Generated password of the operator user (secret). */
  public readonly operatorPassword: pulumi.Output<string>;
  /** Application credential ID/secret, when asked for. */
  public readonly applicationCredential:
    | {
        /** Application credential ID. */
        id: pulumi.Output<string>;
        /** Application credential secret (a Pulumi secret). */
        secret: pulumi.Output<string>;
      }
    | undefined;
  /** The bubble's private network, subnet and router. */
  public readonly network: PrivateNetwork;
  /** The default-deny group every VM carries. */
  public readonly baselineGroup: RuleSecurityGroup;
  /** Quotas set on the project, planned from the templates plus the headroom. */
  public readonly quotas: BubbleQuotas;
  /** Servers by name. */
  public readonly servers: Record<string, AppServer> = {};
  /** Generated SSH private key of the bubble (secret). */
  public readonly sshPrivateKeyPem: pulumi.Output<string> | undefined;
  /** The delivery check-list. */
  public readonly checklist: pulumi.Output<DeliveryChecklist>;

  constructor(name: string, args: BubbleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("socle:openstack:Bubble", name, {}, opts);
    this.bubbleName = assertValidName("bubble name", name);
    const adminCidr = assertCidr("adminCidr", args.adminCidr, false);
    const clientCidr = assertCidr("clientCidr", args.clientCidr);
    const subnetCidr = assertCidr("subnetCidr", args.subnetCidr ?? "10.20.0.0/24");
    const protectData = args.protectData ?? true;
    const timezone = args.timezone ?? "Europe/Paris";
    const osConfig = new pulumi.Config("openstack");
    const authUrl = args.authUrl ?? osConfig.get("authUrl");
    if (authUrl === undefined) {
      throw new Error(
        `bubble "${name}": authUrl is missing; set it in the args or as openstack:authUrl in the stack config`,
      );
    }
    const region = args.region ?? osConfig.get("region") ?? "RegionOne";

    // Plan first: templates, flavors, rules and quotas are pure decisions.
    const instanceNames = new Set<string>();
    const plans = args.templates.map((t) => {
      assertValidName("templates[].name", t.name);
      if (instanceNames.has(t.name))
        throw new Error(`bubble "${name}": template instance "${t.name}" appears twice`);
      instanceNames.add(t.name);
      const spec = resolveTemplate(t.template);
      return { instance: t, spec, rules: planTemplateRules(spec, adminCidr, clientCidr) };
    });
    const egress = planEgressRules(args.egressCidrs ?? ["0.0.0.0/0"]);
    const allVms = plans.flatMap((p) =>
      p.spec.vms.map((vm) => ({ vm, flavor: pickFlavor(vm.size, args.flavors) })),
    );
    const roleGroups = plans.reduce((n, p) => n + Object.keys(p.rules).length, 0);
    const ruleCount =
      egress.length + plans.reduce((n, p) => n + Object.values(p.rules).reduce((m, r) => m + r.length, 0), 0);
    this.quotas = planBubbleQuotas(
      {
        servers: allVms.map((v) => v.flavor),
        floatingIps: 0,
        securityGroups: 1 + roleGroups,
        securityGroupRules: ruleCount,
        networks: 1,
        subnets: 1,
        routers: 1,
        keyPairs: 1,
      },
      args.quotaHeadroomPercent ?? 20,
    );

    // Admin side: project, quotas, operator, people.
    const project = new openstack.identity.Project(
      name,
      { name, description: `socle bubble ${name}`, domainId: "default" },
      { parent: this },
    );
    this.projectId = project.id;
    new openstack.compute.QuotaSetV2(
      name,
      {
        projectId: project.id,
        instances: this.quotas.instances,
        cores: this.quotas.cores,
        ram: this.quotas.ramMiB,
        keyPairs: this.quotas.keyPairs,
      },
      { parent: this },
    );
    new openstack.networking.QuotaV2(
      name,
      {
        projectId: project.id,
        network: this.quotas.networks,
        subnet: this.quotas.subnets,
        port: this.quotas.ports,
        router: this.quotas.routers,
        floatingip: this.quotas.floatingIps,
        securityGroup: this.quotas.securityGroups,
        securityGroupRule: this.quotas.securityGroupRules,
      },
      { parent: this },
    );
    this.operatorName = joinName(name, "operator");
    const operatorPassword = new random.RandomPassword(
      this.operatorName,
      { length: 32, special: false },
      { parent: this },
    );
    this.operatorPassword = pulumi.secret(operatorPassword.result);
    const operator = new openstack.identity.User(
      this.operatorName,
      {
        name: this.operatorName,
        domainId: "default",
        defaultProjectId: project.id,
        password: operatorPassword.result,
      },
      { parent: this },
    );
    const memberRole = openstack.identity.getRoleOutput({ name: ProjectRole.Member }, { parent: this });
    const operatorGrant = new openstack.identity.RoleAssignment(
      `${this.operatorName}-member`,
      { projectId: project.id, userId: operator.id, roleId: memberRole.id },
      { parent: this },
    );
    const people = new ProjectUsers(
      `${name}-users`,
      { projectId: project.id, users: args.users ?? [] },
      { parent: this },
    );

    // Everything inside the bubble goes through the scoped provider.
    this.provider = new openstack.Provider(
      `${name}-scoped`,
      {
        authUrl,
        region,
        userName: this.operatorName,
        password: this.operatorPassword,
        tenantId: project.id,
        userDomainName: "Default",
        projectDomainName: "Default",
      },
      { parent: this, dependsOn: [operatorGrant] },
    );
    const inside: pulumi.ComponentResourceOptions = { parent: this, provider: this.provider };
    if (args.createApplicationCredential ?? false) {
      const cred = new openstack.identity.ApplicationCredential(
        name,
        { name, description: `socle bubble ${name}`, roles: [ProjectRole.Member] },
        inside,
      );
      this.applicationCredential = { id: cred.id, secret: pulumi.secret(cred.secret) };
    } else {
      this.applicationCredential = undefined;
    }

    this.network = new PrivateNetwork(
      name,
      { cidr: subnetCidr, externalNetworkId: args.externalNetworkId },
      inside,
    );
    this.baselineGroup = new RuleSecurityGroup(
      joinName(name, "baseline"),
      { rules: egress, description: `bubble ${name}: default deny inbound` },
      inside,
    );
    const keypair = new SshKeypair(name, {}, inside);
    this.sshPrivateKeyPem = keypair.privateKeyPem;

    // One group per template role, shared by every instance of that template
    // in this bubble: flows stay role-to-role inside one client's bubble, and
    // 25 instances cost 2 groups instead of 50.
    const groupCache = new Map<string, Record<string, RuleSecurityGroup>>();
    const groupsFor = (
      template: string,
      rules: Record<string, RuleSpec[]>,
    ): Record<string, RuleSecurityGroup> => {
      const cached = groupCache.get(template);
      if (cached) return cached;
      const prefix = joinName(name, template.replace(/[^a-z0-9]+/g, "-"));
      const groups: Record<string, RuleSecurityGroup> = {};
      const ids: Record<string, pulumi.Output<string>> = {};
      // Roles that are only sources of flows first, so the others can reference them.
      const roles = Object.keys(rules).sort(
        (a, b) =>
          Number((rules[a] ?? []).some((r) => r.remoteGroup)) -
          Number((rules[b] ?? []).some((r) => r.remoteGroup)),
      );
      for (const role of roles) {
        groups[role] = new RuleSecurityGroup(
          joinName(prefix, role),
          { rules: rules[role] ?? [], remoteGroups: { ...ids } },
          inside,
        );
        ids[role] = groups[role].id;
      }
      groupCache.set(template, groups);
      return groups;
    };
    const built: BuiltServer[] = [];
    const groupNames: pulumi.Output<string>[] = [this.baselineGroup.groupName];
    for (const plan of plans) {
      const prefix = joinName(name, plan.instance.name);
      const dbPassword = new random.RandomPassword(
        `${prefix}-db`,
        { length: 32, special: false },
        { parent: this },
      );
      const groups = groupsFor(plan.spec.name, plan.rules);
      let dbAddress: pulumi.Output<string> | undefined;
      for (const vm of plan.spec.vms) {
        const vmName = joinName(prefix, vm.role);
        const group = groups[vm.role];
        if (!group) throw new Error(`template "${plan.spec.name}": role "${vm.role}" has no group`);
        groupNames.push(group.groupName);
        const isDb = vm.service === ServiceKind.PostgreSql || vm.service === ServiceKind.MySql;
        const userData = pulumi
          .all([dbPassword.result, dbAddress ?? pulumi.output<string | undefined>(undefined)])
          .apply(([pw, addr]) =>
            serviceUserData(vm.service, {
              hostname: vmName,
              timezone,
              subnetCidr,
              dbPassword: pw,
              dbAddress: addr,
            }),
          );
        const server = new AppServer(
          vmName,
          {
            flavorName: pickFlavor(vm.size, args.flavors).name,
            imageId: args.imageId,
            networkId: this.network.networkId,
            securityGroupNames: [this.baselineGroup.groupName, group.groupName],
            keyPairName: keypair.keyPairName,
            userData: pulumi.secret(userData),
            metadata: { "socle-bubble": name, "socle-template": plan.spec.name, "socle-role": vm.role },
            dataBearing: vm.dataBearing,
            protect: vm.dataBearing && protectData,
          },
          { ...inside, dependsOn: [this.network] },
        );
        if (isDb) dbAddress = server.privateAddress;
        this.servers[vmName] = server;
        built.push({
          name: vmName,
          template: plan.spec.name,
          role: vm.role,
          dataBearing: vm.dataBearing,
          server,
        });
      }
    }

    const quotas = this.quotas;
    this.checklist = pulumi
      .all([
        project.id,
        this.network.routerId ?? pulumi.output(""),
        pulumi.all(built.map((b) => b.server.privateAddress)),
        pulumi.all(groupNames),
      ])
      .apply(([projectId, routerId, addresses, groups]) =>
        buildDeliveryChecklist({
          bubble: name,
          projectId,
          subnetCidr,
          routerId,
          servers: built.map((b, i) => ({
            name: b.name,
            template: b.template,
            role: b.role,
            address: addresses[i] ?? "",
            dataBearing: b.dataBearing,
            protected: b.server.protected,
          })),
          endpoints: plans.flatMap((p) =>
            p.spec.flows
              .filter((f) => f.from === "clients")
              .map((f) => {
                const vmName = joinName(name, p.instance.name, f.to);
                const idx = built.findIndex((b) => b.name === vmName);
                return { name: `${vmName}:${f.port}`, url: `tcp://${addresses[idx] ?? ""}:${f.port}` };
              }),
          ),
          grants: [{ user: this.operatorName, role: ProjectRole.Member }, ...people.grants],
          quotas: { ...quotas },
          securityGroups: [...new Set(groups)],
        }),
      );
    this.registerOutputs({ projectId: this.projectId, checklist: this.checklist });
  }
}
