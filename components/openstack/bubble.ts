// A bubble: one client's isolated environment (seed 003). An admin provider
// creates the project, its quotas, an operator user and the people's role
// assignments; then a provider scoped to the bubble's project (logged in as
// the operator, a plain member) creates everything inside it: network,
// router, default-deny and per-role security groups, keypair, and the VMs of
// the templates instantiated by name. Nothing inside can land in another
// project, and the bubble's credentials see only their own project.
import * as openstack from "@pulumi/openstack";
import * as pulumi from "@pulumi/pulumi";
import { ServerSetMetadataGuard, type GuardedServerArgs } from "../../providers/openstack";
import { GeneratedPassword } from "../../providers/secrets";
import { planBubble, type BubblePlan, type BubbleTemplateInstance } from "./bubblePlan";
import { buildDeliveryChecklist, type DeliveryChecklist } from "./checklist";
import { guardAuthFor } from "./driftGuard";
import type { FlavorSpec } from "./flavors";
import { SshKeypair } from "./keypair";
import { PrivateNetwork } from "./network";
import type { BubbleQuotaLimits, BubbleQuotas } from "./quotas";
import { RuleSecurityGroup } from "./securityGroup";
import { pausePromiseStacks } from "./sdkCost";
import { AppServer } from "./server";
import { serviceUserData } from "./templates";
import { ProjectRole, ProjectUsers, type ProjectUserSpec } from "./users";

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
   * Explicit quotas, each replacing the planned one; one below what the
   * templates need fails before anything is made, naming the quota.
   * @default every quota is the templates' need plus `quotaHeadroomPercent`
   */
  quotaLimits?: BubbleQuotaLimits;
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
  /** What the bubble holds, as decided by planBubble. */
  public readonly plan: BubblePlan;
  /** Quotas set on the project: the templates' need plus the headroom, or the explicit limits. */
  public readonly quotas: BubbleQuotas;
  /** Servers by name. */
  public readonly servers: Record<string, AppServer> = {};
  /**
   * Generated SSH private key of the bubble (secret), OpenSSH format; it
   * replaces the PEM `sshPrivateKeyPem` of earlier versions.
   */
  public readonly sshPrivateKey: pulumi.Output<string> | undefined;
  /** The delivery check-list. */
  public readonly checklist: pulumi.Output<DeliveryChecklist>;

  constructor(name: string, args: BubbleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("socle:openstack:Bubble", name, {}, opts);
    // Decide first: templates, flavors, rules, order and quotas fail before any resource exists.
    const plan = planBubble(name, args);
    this.plan = plan;
    this.bubbleName = name;
    this.quotas = plan.quotas;
    const osConfig = new pulumi.Config("openstack");
    const authUrl = args.authUrl ?? osConfig.get("authUrl");
    if (authUrl === undefined) {
      throw new Error(
        `bubble "${name}": authUrl is missing; set it in the args or as openstack:authUrl in the stack config`,
      );
    }
    const region = args.region ?? osConfig.get("region") ?? "RegionOne";
    // Thousands of resources for a big cloud: skip the SDK's per-promise traces (sdkCost.ts).
    const resume = pausePromiseStacks();
    try {
      // Admin side: project, quotas, operator, people.
      const project = new openstack.identity.Project(
        name,
        { name, description: `socle bubble ${name}`, domainId: "default" },
        { parent: this },
      );
      this.projectId = project.id;
      const computeQuota = new openstack.compute.QuotaSetV2(
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
      const networkQuota = new openstack.networking.QuotaV2(
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
      this.operatorName = plan.operatorName;
      const operatorPassword = new GeneratedPassword(this.operatorName, { length: 32 }, { parent: this });
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
      const quotaResources = [computeQuota, networkQuota];
      // Everything inside waits for the quotas: a quota raised in the same run
      // as the servers or groups it makes room for is set before they are made.
      const inside: pulumi.ComponentResourceOptions = {
        parent: this,
        provider: this.provider,
        dependsOn: quotaResources,
      };
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
        { cidr: plan.subnetCidr, externalNetworkId: args.externalNetworkId },
        inside,
      );
      this.baselineGroup = new RuleSecurityGroup(
        plan.baselineGroupName,
        { rules: plan.egress, description: `bubble ${name}: default deny inbound` },
        inside,
      );
      const keypair = new SshKeypair(name, {}, inside);
      this.sshPrivateKey = keypair.privateKeyOpenssh;

      // The plan lists groups and servers so that what each needs already exists.
      const groups = new Map<string, RuleSecurityGroup>();
      const built = new Map<string, AppServer>();
      const created = <T>(map: Map<string, T>, key: string): T => {
        const found = map.get(key);
        if (found === undefined) throw new Error(`bubble "${name}": "${key}" is used before it is planned`);
        return found;
      };
      for (const g of plan.groups) {
        const remoteGroups = Object.fromEntries(
          Object.entries(g.remoteGroups).map(([role, group]) => [role, created(groups, group).id]),
        );
        groups.set(g.name, new RuleSecurityGroup(g.name, { rules: g.rules, remoteGroups }, inside));
      }
      const passwords = new Map(
        plan.passwords.map((p) => [p, new GeneratedPassword(p, { length: 32 }, { parent: this })]),
      );
      for (const s of plan.servers) {
        const group = created(groups, s.groupName);
        const password = s.passwordName ? created(passwords, s.passwordName).result : pulumi.output("");
        const dbAddress = s.databaseServer
          ? created(built, s.databaseServer).privateAddress
          : pulumi.output<string | undefined>(undefined);
        const userData = pulumi.all([password, dbAddress]).apply(([dbPassword, addr]) =>
          serviceUserData(s.service, {
            hostname: s.name,
            timezone: plan.timezone,
            subnetCidr: plan.subnetCidr,
            dbPassword,
            dbAddress: addr,
          }),
        );
        const server = new AppServer(
          s.name,
          {
            flavorName: s.flavor.name,
            imageId: args.imageId,
            networkId: this.network.networkId,
            subnetId: this.network.subnetId,
            securityGroupIds: [this.baselineGroup.id, group.id],
            keyPairName: keypair.keyPairName,
            userData: pulumi.secret(userData),
            metadata: { "socle-bubble": name, "socle-template": s.template, "socle-role": s.role },
            dataBearing: s.dataBearing,
            protect: s.protect,
            guardDrift: false, // one guard for the bubble's servers, below
          },
          {
            ...inside,
            dependsOn: [...quotaResources, this.network, ...s.dependsOn.map((d) => created(built, d))],
          },
        );
        built.set(s.name, server);
        this.servers[s.name] = server;
      }

      // One metadata guard for all the bubble's servers: a thousand servers
      // cost twenty guards, not a thousand (bench/openstack, construction).
      if (plan.servers.length > 0) {
        const guarded: Record<string, GuardedServerArgs> = {};
        for (const [serverName, server] of built) {
          guarded[serverName] = { serverId: server.id, expectedMetadata: server.expectedMetadata };
        }
        new ServerSetMetadataGuard(
          `${name}-servers-guard`,
          { servers: guarded, ...guardAuthFor(this.provider) },
          // After every server's create or update, whose metadata writes it then corrects.
          { parent: this, dependsOn: [...built.values()].map((s) => s.instance) },
        );
      }

      const quotas = this.quotas;
      const servers = plan.servers.map((s) => ({ planned: s, server: created(built, s.name) }));
      this.checklist = pulumi
        .all([
          project.id,
          this.network.routerId ?? pulumi.output(""),
          pulumi.all(Object.fromEntries(servers.map((b) => [b.planned.name, b.server.privateAddress]))),
          pulumi.all([
            this.baselineGroup.groupName,
            ...plan.servers.map((s) => created(groups, s.groupName).groupName),
          ]),
        ])
        .apply(([projectId, routerId, addresses, groupNames]) =>
          buildDeliveryChecklist({
            bubble: name,
            projectId,
            subnetCidr: plan.subnetCidr,
            routerId,
            servers: servers.map(({ planned, server }) => ({
              name: planned.name,
              template: planned.template,
              role: planned.role,
              address: addresses[planned.name] ?? "",
              dataBearing: planned.dataBearing,
              protected: server.protected,
            })),
            endpoints: plan.endpoints.map((e) => ({
              name: e.name,
              url: `tcp://${addresses[e.server] ?? ""}:${e.port}`,
            })),
            grants: [{ user: this.operatorName, role: ProjectRole.Member }, ...people.grants],
            quotas: { ...quotas },
            securityGroups: [...new Set(groupNames)],
          }),
        );
      this.registerOutputs({ projectId: this.projectId, checklist: this.checklist });
    } finally {
      resume();
    }
  }
}
