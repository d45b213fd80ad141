// The verified restore: a namespace's backup restored by Velero into a scratch
// namespace (a namespace mapping), its objects compared with the namespace's
// own, every difference reported, the scratch namespace deleted. A backup is
// trusted once this passes, not because Velero said "Completed".
import { compareObjects, type KubeObject, type RestoreDifference } from "./compare";
import type { KubeClient } from "./kubeClient";

/** A kind the check compares, and where its objects are listed. */
export interface ComparedKind {
  /** Kind, e.g. "ConfigMap". */
  kind: string;
  /** API prefix, e.g. "/api/v1" or "/apis/apps/v1". */
  api: string;
  /** Resource (plural), e.g. "configmaps". */
  resource: string;
}

/** The kinds that make up a team's application: configuration, access, workloads, claims, policies. */
export const COMPARED_KINDS: ComparedKind[] = [
  { kind: "ConfigMap", api: "/api/v1", resource: "configmaps" },
  { kind: "Secret", api: "/api/v1", resource: "secrets" },
  { kind: "Service", api: "/api/v1", resource: "services" },
  { kind: "ServiceAccount", api: "/api/v1", resource: "serviceaccounts" },
  { kind: "PersistentVolumeClaim", api: "/api/v1", resource: "persistentvolumeclaims" },
  { kind: "ResourceQuota", api: "/api/v1", resource: "resourcequotas" },
  { kind: "LimitRange", api: "/api/v1", resource: "limitranges" },
  { kind: "Deployment", api: "/apis/apps/v1", resource: "deployments" },
  { kind: "StatefulSet", api: "/apis/apps/v1", resource: "statefulsets" },
  { kind: "DaemonSet", api: "/apis/apps/v1", resource: "daemonsets" },
  { kind: "CronJob", api: "/apis/batch/v1", resource: "cronjobs" },
  { kind: "Role", api: "/apis/rbac.authorization.k8s.io/v1", resource: "roles" },
  { kind: "RoleBinding", api: "/apis/rbac.authorization.k8s.io/v1", resource: "rolebindings" },
  { kind: "NetworkPolicy", api: "/apis/networking.k8s.io/v1", resource: "networkpolicies" },
  { kind: "Ingress", api: "/apis/networking.k8s.io/v1", resource: "ingresses" },
  { kind: "HorizontalPodAutoscaler", api: "/apis/autoscaling/v2", resource: "horizontalpodautoscalers" },
  { kind: "PodDisruptionBudget", api: "/apis/policy/v1", resource: "poddisruptionbudgets" },
];

/** Options of {@link verifyRestore}. */
export interface VerifyRestoreOptions {
  /** The namespace whose backup is checked. */
  namespace: string;
  /** The Velero backup to restore from (it must include `namespace`). */
  backupName: string;
  /** Velero's namespace. @default "velero" */
  veleroNamespace?: string;
  /** The scratch namespace; it must not exist. @default "<namespace>-restore-check" */
  scratchNamespace?: string;
  /** Name of the Restore object. @default "<backupName>-check-<time>" */
  restoreName?: string;
  /** Seconds to wait for the restore, then for the scratch namespace to go. @default 300 */
  timeoutSec?: number;
  /** Keep the scratch namespace afterwards (to look at it). @default false */
  keepScratch?: boolean;
  /** Called with the scratch namespace restored, before the comparison (tests alter it here). */
  beforeCompare?: (scratchNamespace: string) => Promise<void>;
}

/** What {@link verifyRestore} found. */
export interface RestoreVerification {
  /** The Restore object made. */
  restoreName: string;
  /** The scratch namespace the backup was restored into. */
  scratchNamespace: string;
  /** Velero's warnings and errors counts for the restore. */
  veleroWarnings: number;
  /** Objects compared per kind (source namespace). */
  compared: Record<string, number>;
  /** Every difference; empty means the restore is faithful for the compared kinds. */
  differences: RestoreDifference[];
  /** Seconds from the Restore's creation to its completion. */
  restoreSec: number;
  /** Seconds deleting the scratch namespace took (0 when kept). */
  cleanupSec: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Phased {
  status?: {
    phase?: string;
    warnings?: number;
    errors?: number;
    failureReason?: string;
    validationErrors?: string[];
  };
}

async function listKind(client: KubeClient, kind: ComparedKind, namespace: string): Promise<KubeObject[]> {
  const answer = await client.request("GET", `${kind.api}/namespaces/${namespace}/${kind.resource}`);
  // An API group the cluster does not serve has nothing to compare.
  if (answer.status === 404) return [];
  if (answer.status !== 200) {
    throw new Error(
      `listing ${kind.resource} in ${namespace}: ${answer.status} ${answer.body.slice(0, 300)}`,
    );
  }
  return (JSON.parse(answer.body) as { items: KubeObject[] }).items;
}

async function waitGone(client: KubeClient, apiPath: string, deadline: number): Promise<boolean> {
  while (Date.now() < deadline) {
    if ((await client.request("GET", apiPath)).status === 404) return true;
    await sleep(500);
  }
  return false;
}

/**
 * Restores `backupName`'s copy of `namespace` into a scratch namespace, waits
 * for Velero to finish, compares every object of {@link COMPARED_KINDS} with
 * the namespace's own, and deletes the scratch namespace. Throws when the
 * restore itself fails; returns the differences otherwise.
 */
export async function verifyRestore(
  client: KubeClient,
  options: VerifyRestoreOptions,
): Promise<RestoreVerification> {
  const { namespace, backupName } = options;
  const velero = options.veleroNamespace ?? "velero";
  const scratch = options.scratchNamespace ?? `${namespace}-restore-check`;
  const restoreName = options.restoreName ?? `${backupName}-check-${Date.now().toString(36)}`.slice(0, 63);
  const deadline = () => Date.now() + (options.timeoutSec ?? 300) * 1000;
  const veleroApi = `/apis/velero.io/v1/namespaces/${velero}`;

  const backup = await client.request("GET", `${veleroApi}/backups/${backupName}`);
  if (backup.status !== 200) {
    throw new Error(
      `backup "${backupName}" is not in namespace ${velero} (${backup.status}): list them with velero backup get`,
    );
  }
  const backupPhase = (JSON.parse(backup.body) as Phased).status?.phase;
  if (backupPhase !== "Completed") {
    throw new Error(
      `backup "${backupName}" is ${backupPhase ?? "not started"}, not Completed: nothing to verify yet`,
    );
  }
  if ((await client.request("GET", `/api/v1/namespaces/${scratch}`)).status !== 404) {
    throw new Error(
      `the scratch namespace "${scratch}" exists: delete it, or name another (scratchNamespace)`,
    );
  }

  const began = Date.now();
  const restore = {
    apiVersion: "velero.io/v1",
    kind: "Restore",
    metadata: { name: restoreName, namespace: velero, labels: { "socle.io/restore-check": namespace } },
    spec: {
      backupName,
      includedNamespaces: [namespace],
      namespaceMapping: { [namespace]: scratch },
      // Objects only: a check must not touch volumes or their snapshots.
      restorePVs: false,
    },
  };
  const created = await client.request("POST", `${veleroApi}/restores`, restore);
  if (created.status !== 201) {
    throw new Error(`creating Restore ${restoreName}: ${created.status} ${created.body.slice(0, 300)}`);
  }
  let outcome: Omit<RestoreVerification, "cleanupSec"> | undefined;
  let failure: unknown;
  try {
    outcome = await awaitAndCompare(client, options, restoreName, scratch, began, deadline());
  } catch (error) {
    failure = error;
  }
  // The scratch namespace goes whatever happened, unless asked to stay.
  const cleanupBegan = Date.now();
  if (!options.keepScratch) {
    await client.request("DELETE", `/api/v1/namespaces/${scratch}`);
    if (!(await waitGone(client, `/api/v1/namespaces/${scratch}`, deadline()))) {
      failure ??= new Error(`the scratch namespace "${scratch}" was not deleted in time: delete it by hand`);
    }
  }
  if (failure !== undefined || !outcome) throw failure;
  return { ...outcome, cleanupSec: (Date.now() - cleanupBegan) / 1000 };
}

const UNFINISHED = ["New", "InProgress", "WaitingForPluginOperations", "Finalizing"];

/** Waits for the Restore to finish, then compares the two namespaces. */
async function awaitAndCompare(
  client: KubeClient,
  options: VerifyRestoreOptions,
  restoreName: string,
  scratch: string,
  began: number,
  until: number,
): Promise<Omit<RestoreVerification, "cleanupSec">> {
  const { namespace } = options;
  const restorePath = `/apis/velero.io/v1/namespaces/${options.veleroNamespace ?? "velero"}/restores/${restoreName}`;
  let status: Phased["status"] = {};
  for (; Date.now() < until; await sleep(500)) {
    status = (await client.getJson<Phased>(restorePath)).status ?? {};
    if (status.phase && !UNFINISHED.includes(status.phase)) break;
  }
  if (!status.phase || UNFINISHED.includes(status.phase)) {
    throw new Error(
      `Restore ${restoreName} did not finish in ${options.timeoutSec ?? 300} s (${status.phase ?? "not started"}): is the Velero server running?`,
    );
  }
  if (status.phase !== "Completed") {
    const why = [status.failureReason, ...(status.validationErrors ?? [])].filter(Boolean).join("; ");
    throw new Error(
      `Restore ${restoreName} ended ${status.phase} (errors: ${status.errors ?? 0}${why ? `; ${why}` : ""}): ` +
        `see velero restore describe ${restoreName} --details`,
    );
  }
  const restoreSec = (Date.now() - began) / 1000;
  if (options.beforeCompare) await options.beforeCompare(scratch);

  const compared: Record<string, number> = {};
  const differences: RestoreDifference[] = [];
  for (const kind of COMPARED_KINDS) {
    const source = await listKind(client, kind, namespace);
    const restored = await listKind(client, kind, scratch);
    if (source.length > 0) compared[kind.kind] = source.length;
    differences.push(...compareObjects(kind.kind, source, namespace, restored, scratch));
  }
  return {
    restoreName,
    scratchNamespace: scratch,
    veleroWarnings: status.warnings ?? 0,
    compared,
    differences,
    restoreSec,
  };
}

/** The newest Completed Velero backup that includes `namespace` (by name or "*"), or undefined. */
export async function newestBackupOf(
  client: KubeClient,
  namespace: string,
  veleroNamespace = "velero",
): Promise<string | undefined> {
  interface Backup extends Phased {
    metadata: { name: string };
    spec?: { includedNamespaces?: string[] };
    status?: Phased["status"] & { completionTimestamp?: string };
  }
  const list = await client.getJson<{ items: Backup[] }>(
    `/apis/velero.io/v1/namespaces/${veleroNamespace}/backups`,
  );
  return list.items
    .filter((b) => b.status?.phase === "Completed")
    .filter((b) => {
      const included = b.spec?.includedNamespaces ?? ["*"];
      return included.includes(namespace) || included.includes("*") || included.length === 0;
    })
    .sort((a, b) =>
      (b.status?.completionTimestamp ?? "").localeCompare(a.status?.completionTimestamp ?? ""),
    )[0]?.metadata.name;
}
