// The rules as @pulumi/policy policies. Thin: the checks decide, this file
// wires them, applies suppressions and reports them.
//
// Suppressions live in the config of the first policy, "socle-suppressions"
// (`pulumi preview --policy-pack-config`), which reports each one in use as an
// advisory violation so it shows in every preview. @pulumi/policy runs a
// pack's policies in order for each resource, so the rules that follow read
// the list it captured. If it is disabled, nothing is suppressed.
import {
  UnknownValueError,
  type Policies,
  type ReportViolation,
  type ResourceValidationArgs,
  type ResourceValidationPolicy,
} from "@pulumi/policy";
import { UNKNOWN, type PolicyResource } from "./resource";
import { RULES, type SocleRule } from "./rules";
import { findSuppression, MIN_REASON_CHARS, parseSuppressions, type Suppression } from "./suppressions";

export const SUPPRESSIONS_POLICY = "socle-suppressions";

export interface Evaluation {
  violations: { policy: string; message: string }[];
  suppressed: { policy: string; message: string; reason: string }[];
}

/** Every rule against one resource, suppressions applied. Pure. */
export function evaluateResource(
  resource: PolicyResource,
  suppressions: Suppression[],
  rules: readonly SocleRule[] = RULES,
): Evaluation {
  const result: Evaluation = { violations: [], suppressed: [] };
  for (const rule of rules) {
    if (rule.types && !rule.types.includes(resource.type)) continue;
    const messages = rule.check(resource);
    const suppression = findSuppression(suppressions, rule.name, resource);
    for (const message of messages) {
      if (suppression) result.suppressed.push({ policy: rule.name, message, reason: suppression.reason });
      else result.violations.push({ policy: rule.name, message });
    }
  }
  return result;
}

function toResource(args: ResourceValidationArgs): PolicyResource {
  return { type: args.type, name: args.name, urn: args.urn, props: readable(args.props) };
}

/**
 * A plain copy of a resource's inputs in which values unknown during preview
 * read as UNKNOWN. @pulumi/policy throws on reading them, and a policy that
 * throws is skipped with an advisory note: a server whose keypair is created
 * in the same preview would never be checked.
 */
export function readable(props: Record<string, unknown>): Record<string, unknown> {
  const copy = (value: unknown): unknown => {
    if (typeof value !== "object" || value === null) return value;
    const source = value as Record<string | number, unknown>;
    const read = (key: string | number): unknown => {
      try {
        return copy(source[key]);
      } catch (err) {
        if (err instanceof UnknownValueError) return UNKNOWN;
        throw err;
      }
    };
    if (Array.isArray(value)) return Array.from({ length: value.length }, (_, index) => read(index));
    return Object.fromEntries(Object.keys(source).map((key) => [key, read(key)]));
  };
  return copy(props) as Record<string, unknown>;
}

/** Builds the pack's policies; each call has its own captured suppression list. */
export function soclePolicies(rules: readonly SocleRule[] = RULES): Policies {
  let active: Suppression[] = [];
  let problemsReported = false;

  const suppressionPolicy: ResourceValidationPolicy = {
    name: SUPPRESSIONS_POLICY,
    description:
      "Lists every suppressed violation with its written reason; rejects suppressions without one.",
    enforcementLevel: "advisory",
    configSchema: {
      properties: {
        suppressions: {
          type: "array",
          items: {
            type: "object",
            properties: {
              policy: { type: "string", enum: rules.map((r) => r.name) },
              resource: { type: "string", minLength: 1 },
              reason: { type: "string", minLength: MIN_REASON_CHARS },
            },
            required: ["policy", "resource", "reason"],
          },
        },
      },
    },
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
      const { suppressions, problems } = parseSuppressions(args.getConfig());
      active = suppressions;
      if (!problemsReported) {
        problemsReported = true;
        for (const problem of problems) reportViolation(problem);
      }
      const resource = toResource(args);
      for (const hit of evaluateResource(resource, suppressions, rules).suppressed) {
        reportViolation(`SUPPRESSED ${hit.policy}: ${hit.message} Reason given: ${hit.reason}`);
      }
    },
  };

  const rulePolicies = rules.map(
    (rule): ResourceValidationPolicy => ({
      name: rule.name,
      description: rule.description,
      enforcementLevel: rule.enforcementLevel,
      validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
        const resource = toResource(args);
        if (rule.types && !rule.types.includes(resource.type)) return;
        if (findSuppression(active, rule.name, resource)) return;
        for (const message of rule.check(resource)) reportViolation(message);
      },
    }),
  );
  return [suppressionPolicy, ...rulePolicies];
}
