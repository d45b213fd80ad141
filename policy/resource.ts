// What a policy check sees of a resource: the same fields @pulumi/policy
// passes to validateResource, as plain data so checks are plain functions.

export interface PolicyResource {
  /** Type token, e.g. "openstack:networking/secGroupRule:SecGroupRule". */
  type: string;
  /** Logical name given in the program. */
  name: string;
  urn: string;
  /** Input properties, SDK names (camelCase). */
  props: Record<string, unknown>;
}

/**
 * What a check reads for a value the engine cannot know during preview (an
 * output of a resource not created yet): it will be set, to a value unknown now.
 */
export const UNKNOWN = "<unknown until the update>";

/** A pure check: the violations of one resource, each naming the resource and the fix. */
export type Check = (resource: PolicyResource) => string[];

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** `type "name"`, how every message starts. */
export function describe(resource: PolicyResource): string {
  return `${resource.type} "${resource.name}"`;
}
