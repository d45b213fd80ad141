// GitLab Runner with the Kubernetes executor, in a namespace of its own, with
// a least-privilege service account: it may run job pods (and their exec,
// attach, logs, secrets, config maps and services) in that namespace and
// nothing else, anywhere. The runner itself comes from its Helm chart, with
// the chart's own RBAC turned off so only ours applies.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { assertValid, type Failure } from "../../providers/switch/validation";
import { chartSource, checkWholeNumber, KUBERNETES_TYPES, MANAGED_BY_LABEL } from "./contract";
import { TeamNamespace } from "./teamNamespace";

/** Where the upstream chart lives and the version socle was written against. */
export const GITLAB_RUNNER_CHART = {
  /** Chart name. */
  name: "gitlab-runner",
  /** Upstream chart repository. */
  repository: "https://charts.gitlab.io",
  /** Chart version. */
  version: "0.71.0",
} as const;

/** Arguments of {@link GitLabRunner}. */
export interface GitLabRunnerArgs {
  /** Namespace of the runner and its job pods; created here. @default "gitlab-runner" */
  namespace?: string;
  /** Team owning the runner (label `socle-owner`). @default "gitlab" */
  owner?: string;
  /** Pod Security level of the jobs' namespace: "restricted" or "baseline" (most CI images run as root). @default "baseline" */
  jobPodSecurity?: string;
  /** URL of the GitLab instance, e.g. "https://gitlab.cd49.fr". */
  gitlabUrl: string;
  /** The runner's authentication token (glrt-...), kept as a Pulumi secret. */
  runnerToken: pulumi.Input<string>;
  /** Chart: a local chart folder, used instead of the repository when set (no internet, or a vetted copy). @default the upstream chart from `chartRepository` */
  chartPath?: string;
  /** Chart repository. @default "https://charts.gitlab.io" */
  chartRepository?: string;
  /** Chart version. @default "0.71.0" */
  chartVersion?: string;
  /** Jobs the runner runs at once. @default 4 */
  concurrentJobs?: number;
}

/** One rule of a Role. */
export interface RoleRule {
  /** API groups ("" is the core group). */
  apiGroups: string[];
  /** Resources, e.g. "pods" or "pods/exec". */
  resources: string[];
  /** Verbs allowed on them. */
  verbs: string[];
}

/**
 * What the Kubernetes executor needs in its namespace and no more: job pods
 * and their exec/attach/logs, the secrets and config maps it makes for a
 * job, services for job services. No cluster-wide right at all.
 */
export function runnerRoleRules(): RoleRule[] {
  const crud = ["create", "delete", "get", "list", "watch", "patch", "update"];
  return [
    { apiGroups: [""], resources: ["pods"], verbs: crud },
    { apiGroups: [""], resources: ["pods/exec", "pods/attach"], verbs: ["create", "get", "patch", "delete"] },
    { apiGroups: [""], resources: ["pods/log"], verbs: ["get", "list"] },
    { apiGroups: [""], resources: ["secrets", "configmaps", "services"], verbs: crud },
    { apiGroups: [""], resources: ["serviceaccounts"], verbs: ["get"] },
    { apiGroups: [""], resources: ["events"], verbs: ["list", "watch"] },
  ];
}

/** Every problem of a runner's arguments, each naming the field and the fix. */
export function runnerFailures(args: GitLabRunnerArgs): Failure[] {
  const failures: Failure[] = [];
  if (!/^https?:\/\/[^\s/]+/.test(args.gitlabUrl ?? "")) {
    failures.push({
      property: "gitlabUrl",
      reason: `"${args.gitlabUrl}" is not a URL: give e.g. "https://gitlab.cd49.fr"`,
    });
  }
  checkWholeNumber(failures, "concurrentJobs", args.concurrentJobs, 1, 100);
  return failures;
}

/**
 * The chart's values: socle's service account, the chart's RBAC off, jobs kept in the runner's namespace.
 * @internal the component's wiring, exported for its tests
 */
export function runnerChartValues(args: GitLabRunnerArgs, namespace: string, tokenSecret: string) {
  return {
    gitlabUrl: args.gitlabUrl,
    concurrent: args.concurrentJobs ?? 4,
    rbac: { create: false },
    serviceAccount: { create: false, name: "gitlab-runner" },
    runners: {
      secret: tokenSecret,
      config: [
        "[[runners]]",
        '  executor = "kubernetes"',
        "  [runners.kubernetes]",
        `    namespace = "${namespace}"`,
        '    service_account = "gitlab-runner-jobs"',
        "    privileged = false",
        "    allow_privilege_escalation = false",
        // The namespace's quota asks every pod to say what it requests.
        '    cpu_request = "100m"',
        '    memory_request = "128Mi"',
        '    helper_cpu_request = "50m"',
        '    helper_memory_request = "64Mi"',
        '    service_cpu_request = "100m"',
        '    service_memory_request = "128Mi"',
      ].join("\n"),
    },
    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
    securityContext: {
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: false,
      capabilities: { drop: ["ALL"] },
    },
    podSecurityContext: { runAsUser: 100, fsGroup: 65533, seccompProfile: { type: "RuntimeDefault" } },
  };
}

/**
 * GitLab Runner, Kubernetes executor: its namespace (a TeamNamespace), a
 * service account bound to {@link runnerRoleRules} there only, a service
 * account for the job pods with no right at all, the token as a Secret, and
 * the chart.
 */
export class GitLabRunner extends pulumi.ComponentResource {
  /** Namespace of the runner and its jobs. */
  readonly namespaceName: pulumi.Output<string>;
  /** Name of the runner's service account. */
  readonly serviceAccountName: pulumi.Output<string>;

  constructor(name: string, args: GitLabRunnerArgs, opts?: pulumi.ComponentResourceOptions) {
    super(KUBERNETES_TYPES.gitlabRunner, name, {}, opts);
    assertValid(`GitLabRunner ${name}`, runnerFailures(args));
    const child = { parent: this };
    const namespace = args.namespace ?? "gitlab-runner";
    const space = new TeamNamespace(
      `${name}-ns`,
      { name: namespace, owner: args.owner ?? "gitlab", podSecurity: args.jobPodSecurity ?? "baseline" },
      child,
    );
    const labels = { [MANAGED_BY_LABEL]: "socle", "app.kubernetes.io/name": "gitlab-runner" };
    const meta = (objectName: string) => ({ name: objectName, namespace: space.namespaceName, labels });
    const account = new k8s.core.v1.ServiceAccount(
      `${name}-sa`,
      { metadata: meta("gitlab-runner"), automountServiceAccountToken: true },
      child,
    );
    // Job pods run as this account, which has no right: a job cannot drive the API with it.
    new k8s.core.v1.ServiceAccount(
      `${name}-jobs-sa`,
      { metadata: meta("gitlab-runner-jobs"), automountServiceAccountToken: false },
      child,
    );
    const role = new k8s.rbac.v1.Role(
      `${name}-role`,
      { metadata: meta("gitlab-runner-executor"), rules: runnerRoleRules() },
      child,
    );
    const binding = new k8s.rbac.v1.RoleBinding(
      `${name}-binding`,
      {
        metadata: meta("gitlab-runner-executor"),
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
        subjects: [{ kind: "ServiceAccount", name: account.metadata.name, namespace: space.namespaceName }],
      },
      child,
    );
    const tokenSecret = "gitlab-runner-token";
    const token = new k8s.core.v1.Secret(
      `${name}-token`,
      {
        metadata: meta(tokenSecret),
        type: "Opaque",
        stringData: { "runner-token": pulumi.secret(args.runnerToken), "runner-registration-token": "" },
      },
      child,
    );
    new k8s.helm.v4.Chart(
      `${name}-chart`,
      {
        ...chartSource(args, GITLAB_RUNNER_CHART),
        namespace: space.namespaceName,
        values: runnerChartValues(args, namespace, tokenSecret),
      },
      { ...child, dependsOn: [binding, token] },
    );
    this.namespaceName = space.namespaceName;
    this.serviceAccountName = account.metadata.name;
    this.registerOutputs({ namespaceName: this.namespaceName, serviceAccountName: this.serviceAccountName });
  }
}
