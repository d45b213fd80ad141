// Team namespaces enforce a Pod Security level; no container runs privileged.
import { asArray, describe, isRecord, type PolicyResource } from "./resource";

export const NAMESPACE = "kubernetes:core/v1:Namespace";
export const ENFORCE_LABEL = "pod-security.kubernetes.io/enforce";
/** Namespaces of Kubernetes itself, which need more than "baseline". */
export const SYSTEM_NAMESPACES = new Set(["kube-system", "kube-public", "kube-node-lease"]);

/** Where each workload kind keeps its pod spec. */
const POD_SPEC_PATHS: Record<string, string[]> = {
  "kubernetes:core/v1:Pod": ["spec"],
  "kubernetes:core/v1:ReplicationController": ["spec", "template", "spec"],
  "kubernetes:apps/v1:Deployment": ["spec", "template", "spec"],
  "kubernetes:apps/v1:StatefulSet": ["spec", "template", "spec"],
  "kubernetes:apps/v1:DaemonSet": ["spec", "template", "spec"],
  "kubernetes:apps/v1:ReplicaSet": ["spec", "template", "spec"],
  "kubernetes:batch/v1:Job": ["spec", "template", "spec"],
  "kubernetes:batch/v1:CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
};

/** Capabilities that amount to running privileged. */
const PRIVILEGED_CAPABILITIES = new Set(["ALL", "SYS_ADMIN"]);

function metadataOf(resource: PolicyResource): Record<string, unknown> {
  return isRecord(resource.props.metadata) ? resource.props.metadata : {};
}

export function checkNamespacePodSecurity(resource: PolicyResource): string[] {
  if (resource.type !== NAMESPACE) return [];
  const metadata = metadataOf(resource);
  const name = typeof metadata.name === "string" ? metadata.name : resource.name;
  if (SYSTEM_NAMESPACES.has(name)) return [];
  const labels = isRecord(metadata.labels) ? metadata.labels : {};
  const level = labels[ENFORCE_LABEL];
  if (level === "baseline" || level === "restricted") return [];
  const found = level === undefined ? "has no" : `has "${String(level)}" as`;
  return [
    `${describe(resource)} ${found} Pod Security level: add the label metadata.labels["${ENFORCE_LABEL}"] = "restricted" (or "baseline" for workloads that need it).`,
  ];
}

export function checkNoPrivilegedContainers(resource: PolicyResource): string[] {
  const path = POD_SPEC_PATHS[resource.type];
  if (!path) return [];
  let spec: unknown = resource.props;
  for (const key of path) spec = isRecord(spec) ? spec[key] : undefined;
  if (!isRecord(spec)) return [];
  const violations: string[] = [];
  for (const list of ["initContainers", "containers", "ephemeralContainers"]) {
    for (const container of asArray(spec[list])) {
      if (!isRecord(container)) continue;
      const label = `${describe(resource)} container "${String(container.name ?? "?")}"`;
      const security = isRecord(container.securityContext) ? container.securityContext : {};
      if (security.privileged === true) {
        violations.push(
          `${label} runs privileged: remove securityContext.privileged and grant only the capabilities it needs.`,
        );
      }
      const capabilities = isRecord(security.capabilities) ? asArray(security.capabilities.add) : [];
      const risky = capabilities.filter((c) => PRIVILEGED_CAPABILITIES.has(String(c).toUpperCase()));
      if (risky.length > 0) {
        violations.push(
          `${label} adds capability ${risky.join(", ")}: that is privileged in all but name; add only the narrow capabilities it needs.`,
        );
      }
    }
  }
  return violations;
}
