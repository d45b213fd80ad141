// A security group whose rules come from a planning function (rules.ts).
// Neutron's default allow-all egress rules are deleted: what is not listed is
// denied. Each rule is its own resource named by its stable key; Neutron
// rules are immutable, so changing one rule replaces that rule only — the
// group and the servers using it are untouched. A drift guard child makes a
// rule added by hand show on refresh and go on up: the set is exclusive.
import * as openstack from "@pulumi/openstack";
import * as pulumi from "@pulumi/pulumi";
import { SecurityGroupRulesGuard, type GuardRuleArgs } from "../../providers/openstack";
import { guardAuthOf } from "./driftGuard";
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
  /**
   * Guard the group against rules added by hand: `pulumi refresh` shows them
   * (an update of the `<name>-guard` child) and `pulumi up` deletes them.
   * @default true
   */
  guardDrift?: boolean;
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
    const expectedRules: GuardRuleArgs[] = [];
    const ruleResources: openstack.networking.SecGroupRule[] = [];
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
      const fields = ruleFields(rule, remoteGroupId);
      expectedRules.push(fields);
      ruleResources.push(
        new openstack.networking.SecGroupRule(
          `${name}-${rule.key}`,
          { securityGroupId: group.id, ...fields, description: rule.description },
          { parent: this },
        ),
      );
    }
    if (args.guardDrift ?? true) {
      new SecurityGroupRulesGuard(
        `${name}-guard`,
        { securityGroupId: group.id, expectedRules, ...guardAuthOf(this) },
        // After the rules, so that what it reads back holds them all.
        { parent: this, dependsOn: ruleResources },
      );
    }
    this.id = group.id;
    this.groupName = group.name;
    this.ruleKeys = args.rules.map((r) => r.key).sort();
    this.registerOutputs({ id: this.id, ruleKeys: this.ruleKeys });
  }
}

/** What makes a rule in Neutron, as SecGroupRule inputs (and so as the guard expects it). */
function ruleFields(rule: RuleSpec, remoteGroupId: pulumi.Input<string> | undefined): GuardRuleArgs {
  const anyProtocol = rule.protocol === "any";
  return {
    direction: rule.direction,
    ethertype: rule.remoteCidr ? ethertypeOf(rule.remoteCidr) : "IPv4",
    protocol: anyProtocol ? undefined : rule.protocol,
    portRangeMin: anyProtocol ? undefined : rule.portMin,
    portRangeMax: anyProtocol ? undefined : rule.portMax,
    remoteIpPrefix: rule.remoteCidr,
    remoteGroupId,
  };
}
