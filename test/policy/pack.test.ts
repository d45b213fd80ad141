// The pack's wiring: levels, suppressions with reasons, and what is reported,
// driven through the same validateResource calls the policy server makes.
import {
  unknownCheckingProxy,
  type ReportViolation,
  type ResourceValidationArgs,
  type ResourceValidationPolicy,
} from "@pulumi/policy";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { describe, expect, it } from "vitest";
import { evaluateResource, readable, soclePolicies, SUPPRESSIONS_POLICY } from "../../policy/pack";
import { UNKNOWN, type PolicyResource } from "../../policy/resource";
import { RULES } from "../../policy/rules";
import { parseSuppressions } from "../../policy/suppressions";

const openSsh: PolicyResource = {
  type: "openstack:networking/secGroupRule:SecGroupRule",
  name: "bastion-ssh",
  urn: "urn:pulumi:prod::socle::openstack:networking/secGroupRule:SecGroupRule::bastion-ssh",
  props: {
    direction: "ingress",
    protocol: "tcp",
    portRangeMin: 22,
    portRangeMax: 22,
    remoteIpPrefix: "0.0.0.0/0",
  },
};
const REASON = "bastion with fail2ban and MFA; approved by the CISO on 2026-11-02 until 2027-03";

/** Runs every policy on one resource, in order, as the policy server does. */
function analyze(resource: PolicyResource, config: Record<string, unknown> = {}) {
  const reports: { policy: string; level: string; message: string }[] = [];
  for (const policy of soclePolicies() as ResourceValidationPolicy[]) {
    const report: ReportViolation = (message) =>
      reports.push({ policy: policy.name, level: policy.enforcementLevel ?? "", message });
    const args = {
      ...resource,
      getConfig: () => config[policy.name] ?? {},
    } as unknown as ResourceValidationArgs;
    const validations = Array.isArray(policy.validateResource)
      ? policy.validateResource
      : [policy.validateResource];
    for (const validate of validations) void validate?.(args, report);
  }
  return reports;
}

describe("the policy pack", () => {
  it("has the suppression reporter first, then one policy per rule with its level", () => {
    const policies = soclePolicies() as ResourceValidationPolicy[];
    expect(policies[0].name).toBe(SUPPRESSIONS_POLICY);
    expect(policies[0].enforcementLevel).toBe("advisory");
    expect(policies.slice(1).map((p) => `${p.name}:${p.enforcementLevel}`)).toEqual(
      RULES.map((r) => `${r.name}:${r.enforcementLevel}`),
    );
    expect(policies.find((p) => p.name === "owner-and-bubble-tags")?.enforcementLevel).toBe("advisory");
    expect(policies.find((p) => p.name === "no-open-admin-ports")?.enforcementLevel).toBe("mandatory");
  });

  it("reports a violation at the rule's level", () => {
    expect(analyze(openSsh)).toEqual([
      {
        policy: "no-open-admin-ports",
        level: "mandatory",
        message: expect.stringContaining('"bastion-ssh" opens 22 (SSH) to 0.0.0.0/0'),
      },
    ]);
  });

  it("a suppression with a reason silences the rule and is reported as advisory with its reason", () => {
    const config = {
      [SUPPRESSIONS_POLICY]: {
        suppressions: [{ policy: "no-open-admin-ports", resource: "bastion-ssh", reason: REASON }],
      },
    };
    const reports = analyze(openSsh, config);
    expect(reports).toHaveLength(1);
    expect(reports[0].policy).toBe(SUPPRESSIONS_POLICY);
    expect(reports[0].level).toBe("advisory");
    expect(reports[0].message).toContain("SUPPRESSED no-open-admin-ports:");
    expect(reports[0].message).toContain(`Reason given: ${REASON}`);
  });

  it("a suppression without a real reason suppresses nothing and says why", () => {
    const config = {
      [SUPPRESSIONS_POLICY]: {
        suppressions: [{ policy: "no-open-admin-ports", resource: "bastion-ssh", reason: "todo" }],
      },
    };
    const reports = analyze(openSsh, config);
    expect(reports.map((r) => r.policy)).toEqual([SUPPRESSIONS_POLICY, "no-open-admin-ports"]);
    expect(reports[0].message).toContain('is ignored: write in "reason" why the exception is acceptable');
  });

  it("suppresses by URN and only the named rule on the named resource", () => {
    const other = { ...openSsh, name: "web-ssh", urn: openSsh.urn.replace("bastion-ssh", "web-ssh") };
    const suppressions = parseSuppressions({
      suppressions: [{ policy: "no-open-admin-ports", resource: openSsh.urn, reason: REASON }],
    }).suppressions;
    expect(evaluateResource(openSsh, suppressions).violations).toEqual([]);
    expect(evaluateResource(other, suppressions).violations).toHaveLength(1);
    const wrongRule = parseSuppressions({
      suppressions: [{ policy: "owner-and-bubble-tags", resource: "bastion-ssh", reason: REASON }],
    }).suppressions;
    expect(evaluateResource(openSsh, wrongRule).violations).toHaveLength(1);
  });

  it("declares a config schema that requires the reason", () => {
    const schema = (soclePolicies()[0] as ResourceValidationPolicy).configSchema;
    const items = (
      schema?.properties.suppressions as {
        items: { required: string[]; properties: { reason: { minLength: number } } };
      }
    ).items;
    expect(items.required).toContain("reason");
    expect(items.properties.reason.minLength).toBeGreaterThanOrEqual(15);
  });

  it("reads values unknown during preview as UNKNOWN, where @pulumi/policy would throw and skip the rule", () => {
    // As the policy server hands them over: the engine's unknown marker behind the SDK's guard.
    const props = unknownCheckingProxy({
      name: "odoo",
      keyPair: unknownValue,
      networks: [{ port: unknownValue }, { uuid: "net-1" }],
      metadata: { "socle-owner": "dsi" },
    }) as Record<string, unknown>;
    expect(() => props.keyPair).toThrow(/can't be known during preview/);
    expect(readable(props)).toEqual({
      name: "odoo",
      keyPair: UNKNOWN,
      networks: [{ port: UNKNOWN }, { uuid: "net-1" }],
      metadata: { "socle-owner": "dsi" },
    });
    // So a server whose keypair is created in the same preview is checked, and passes.
    const server = {
      type: "openstack:compute/instance:Instance",
      name: "odoo",
      urn: "urn:pulumi:prod::socle::openstack:compute/instance:Instance::odoo",
      props,
    };
    expect(analyze(server).filter((r) => r.level === "mandatory")).toEqual([]);
    const withPassword = { ...server, props: unknownCheckingProxy({ adminPass: unknownValue }) };
    expect(analyze(withPassword).map((r) => r.message)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('"odoo" has no keyPair'),
        expect.stringContaining('"odoo" sets adminPass'),
      ]),
    );
  });
});
