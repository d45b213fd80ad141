// A team's namespace on the platform: a Pod Security level enforced, owner and
// bubble labels, a quota, traffic from other namespaces refused, and edit rights
// for the team's group. planTeamNamespace decides; TeamNamespace only wires.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { KUBERNETES_TYPES } from "./contract";

/** Pod Security Standard levels a team namespace may enforce ("privileged" is not offered). */
export const POD_SECURITY_LEVELS = ["restricted", "baseline"];

/** Arguments of {@link TeamNamespace}. */
export interface TeamNamespaceArgs {
  /** Namespace name, a DNS label, e.g. "radiologie". */
  name: string;
  /** Team or service that owns the namespace (label `socle-owner`), e.g. "dsi-imagerie". */
  owner: string;
  /** Bubble the namespace belongs to (label `socle-bubble`). @default the namespace name */
  bubble?: string;
  /** Pod Security level enforced: "restricted" or "baseline". @default "restricted" */
  podSecurity?: string;
  /** Group of the identity provider given the `edit` role in the namespace. @default none */
  editorGroup?: string;
  /** CPU cores the namespace's pods may request in all. @default 4 */
  cpuCores?: number;
  /** Memory the namespace's pods may request in all, in GiB. @default 8 */
  memoryGiB?: number;
  /** Pods the namespace may hold at most. @default 50 */
  maxPods?: number;
}

/** What a team namespace holds, decided from its args. */
export interface TeamNamespacePlan {
  /** Labels of the namespace: Pod Security (enforce, audit, warn), owner and bubble. */
  labels: Record<string, string>;
  /** `spec.hard` of the namespace's ResourceQuota. */
  quota: Record<string, string>;
  /** Group bound to the `edit` cluster role; null when none. */
  editorGroup: string | null;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function positive(value: number, field: string): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`${field}: ${value} must be a positive number`);
  }
  return value;
}

/** Decides the namespace's labels, quota and bindings; fails naming the field to fix. */
export function planTeamNamespace(args: TeamNamespaceArgs): TeamNamespacePlan {
  if (!DNS_LABEL.test(args.name)) {
    throw new Error(
      `name: "${args.name}" must be a DNS label (lower-case letters, digits and -, at most 63)`,
    );
  }
  if (!args.owner) throw new Error(`owner: say which team owns namespace "${args.name}"`);
  const level = args.podSecurity ?? "restricted";
  if (!POD_SECURITY_LEVELS.includes(level)) {
    throw new Error(`podSecurity: "${level}" is not allowed; use ${POD_SECURITY_LEVELS.join(" or ")}`);
  }
  const maxPods = positive(args.maxPods ?? 50, "maxPods");
  if (!Number.isInteger(maxPods)) throw new Error(`maxPods: ${maxPods} must be a whole number`);
  return {
    labels: {
      "pod-security.kubernetes.io/enforce": level,
      "pod-security.kubernetes.io/audit": "restricted",
      "pod-security.kubernetes.io/warn": "restricted",
      "socle-owner": args.owner,
      "socle-bubble": args.bubble ?? args.name,
    },
    quota: {
      "requests.cpu": String(positive(args.cpuCores ?? 4, "cpuCores")),
      "requests.memory": `${positive(args.memoryGiB ?? 8, "memoryGiB")}Gi`,
      pods: String(maxPods),
    },
    editorGroup: args.editorGroup ?? null,
  };
}

/**
 * A team's namespace: Pod Security enforced, owner and bubble labels, a quota,
 * ingress from other namespaces denied, and the `edit` role for the team's group.
 * Give the Kubernetes provider through `providers` or `provider` in the options.
 */
export class TeamNamespace extends pulumi.ComponentResource {
  /** The namespace's name, once created. */
  readonly namespaceName: pulumi.Output<string>;

  constructor(name: string, args: TeamNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
    super(KUBERNETES_TYPES.teamNamespace, name, {}, opts);
    const plan = planTeamNamespace(args);
    const child = { parent: this };
    const namespace = new k8s.core.v1.Namespace(
      name,
      { metadata: { name: args.name, labels: plan.labels } },
      child,
    );
    const inNamespace = { namespace: namespace.metadata.name, labels: { "socle-owner": args.owner } };
    new k8s.core.v1.ResourceQuota(
      `${name}-quota`,
      { metadata: { ...inNamespace, name: "team-quota" }, spec: { hard: plan.quota } },
      child,
    );
    // Pods of the namespace talk to each other; nothing from elsewhere gets in unless a policy says so.
    new k8s.networking.v1.NetworkPolicy(
      `${name}-isolation`,
      {
        metadata: { ...inNamespace, name: "same-namespace-only" },
        spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ podSelector: {} }] }] },
      },
      child,
    );
    if (plan.editorGroup) {
      new k8s.rbac.v1.RoleBinding(
        `${name}-editors`,
        {
          metadata: { ...inNamespace, name: "team-editors" },
          roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "edit" },
          subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: plan.editorGroup }],
        },
        child,
      );
    }
    this.namespaceName = namespace.metadata.name;
    this.registerOutputs({ namespaceName: this.namespaceName });
  }
}
