// A security group whose rules come from a planning function (rules.ts).
// Neutron's default allow-all egress rules are deleted: what is not listed is
// denied. Each rule is its own resource named by its stable key; Neutron
// rules are immutable, so changing one rule replaces that rule only — the
// group and the servers using it are untouched.
import * as openstack from "@pulumi/openstack";
import * as pulumi from "@pulumi/pulumi";
import { ethertypeOf, type RuleSpec } from "./rules";

/** Arguments of {@link RuleSecurityGroup}. */
export interface RuleSecurityGroupArgs {
  /** Rules, usually from planEdgeRules / planBackendRules / planTemplateRules. An empty list denies everything. */
  rules: RuleSpec[];
  /**
   * Security group IDs for the symbolic `remoteGroup` names used by the rules ("self" is this group).
   * @default only "self" is known
   */
  remoteGroups?: Record<string, pulumi.Input<string>>;
  /**
   * Description shown in Horizon.
   * @default "managed by socle"
   */
  description?: string;
}

/** A least-privilege security group. */
export class RuleSecurityGroup extends pulumi.ComponentResource {
  /** Neutron security group ID. */
  public readonly id: pulumi.Output<string>;
  /** Group name (what servers reference). */
  public readonly groupName: pulumi.Output<string>;
  /** Rule keys created, sorted. */
  public readonly ruleKeys: string[];

  constructor(name: string, args: RuleSecurityGroupArgs, opts?: pulumi.ComponentResourceOptions) {
    super("socle:openstack:RuleSecurityGroup", name, {}, opts);
    const group = new openstack.networking.SecGroup(
      name,
      { name, description: args.description ?? "managed by socle", deleteDefaultRules: true },
      { parent: this },
    );
    const remotes: Record<string, pulumi.Input<string>> = { ...(args.remoteGroups ?? {}), self: group.id };
    for (const rule of args.rules) {
      let remoteGroupId: pulumi.Input<string> | undefined;
      if (rule.remoteGroup !== undefined) {
        remoteGroupId = remotes[rule.remoteGroup];
        if (remoteGroupId === undefined) {
          throw new Error(
            `security group "${name}", rule "${rule.key}": remoteGroup "${rule.remoteGroup}" is unknown; pass it in remoteGroups (known: ${Object.keys(remotes).join(", ")})`,
          );
        }
      }
      const anyProtocol = rule.protocol === "any";
      new openstack.networking.SecGroupRule(
        `${name}-${rule.key}`,
        {
          securityGroupId: group.id,
          direction: rule.direction,
          ethertype: rule.remoteCidr ? ethertypeOf(rule.remoteCidr) : "IPv4",
          protocol: anyProtocol ? undefined : rule.protocol,
          portRangeMin: anyProtocol ? undefined : rule.portMin,
          portRangeMax: anyProtocol ? undefined : rule.portMax,
          remoteIpPrefix: rule.remoteCidr,
          remoteGroupId,
          description: rule.description,
        },
        { parent: this },
      );
    }
    this.id = group.id;
    this.groupName = group.name;
    this.ruleKeys = args.rules.map((r) => r.key).sort();
    this.registerOutputs({ id: this.id, ruleKeys: this.ruleKeys });
  }
}
