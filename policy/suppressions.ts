// Suppressing a rule for one resource is allowed only with a written reason,
// and every suppression in use is reported in the preview. Pure.
import type { PolicyResource } from "./resource";

export interface Suppression {
  /** Rule name, e.g. "no-open-admin-ports". */
  policy: string;
  /** Resource logical name or full URN. */
  resource: string;
  /** Why this exception is acceptable, who decided, until when. */
  reason: string;
}

/** Shortest reason accepted: "ok", "temp" or "todo" is not a reason. */
export const MIN_REASON_CHARS = 15;

/**
 * Reads the `suppressions` list of the pack's configuration. Entries without a
 * real reason are rejected with a message; they suppress nothing.
 */
export function parseSuppressions(config: unknown): { suppressions: Suppression[]; problems: string[] } {
  const list = (config as { suppressions?: unknown } | undefined)?.suppressions;
  const suppressions: Suppression[] = [];
  const problems: string[] = [];
  if (list === undefined) return { suppressions, problems };
  if (!Array.isArray(list))
    return { suppressions, problems: ["suppressions must be a list of { policy, resource, reason }"] };
  list.forEach((entry: unknown, index) => {
    const e = (typeof entry === "object" && entry !== null ? entry : {}) as Record<string, unknown>;
    const policy = typeof e.policy === "string" ? e.policy.trim() : "";
    const resource = typeof e.resource === "string" ? e.resource.trim() : "";
    const reason = typeof e.reason === "string" ? e.reason.trim() : "";
    if (!policy || !resource) {
      problems.push(
        `suppressions[${index}] needs "policy" (a rule name) and "resource" (a resource name or URN)`,
      );
    } else if (reason.length < MIN_REASON_CHARS || /^(todo|tbd|temp|n\/a|none)\b/i.test(reason)) {
      problems.push(
        `suppressions[${index}] (${policy} on ${resource}) is ignored: write in "reason" why the exception is acceptable, who decided and until when (at least ${MIN_REASON_CHARS} characters)`,
      );
    } else {
      suppressions.push({ policy, resource, reason });
    }
  });
  return { suppressions, problems };
}

export function findSuppression(
  suppressions: Suppression[],
  policy: string,
  resource: PolicyResource,
): Suppression | undefined {
  return suppressions.find(
    (s) => s.policy === policy && (s.resource === resource.name || s.resource === resource.urn),
  );
}
