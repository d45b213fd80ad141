// The comparison behind the verified restore: a namespace's objects against
// their copies restored into a scratch namespace, every difference named by
// kind, object and field. Fields the API server, the controllers or Velero set
// on their own are left out, so only what a restore could lose or alter counts.

/** A Kubernetes object as the API returns it (JSON). */
export interface KubeObject {
  /** API version, e.g. "apps/v1". */
  apiVersion?: string;
  /** Kind, e.g. "Deployment". */
  kind?: string;
  /** Name, namespace, labels, annotations and the server's own fields. */
  metadata: { name: string; [field: string]: unknown };
  /** The rest: spec, data, rules, ... */
  [field: string]: unknown;
}

/** One difference between a source object and its restored copy. */
export interface RestoreDifference {
  /** Kind of the object, e.g. "ConfigMap". */
  kind: string;
  /** Name of the object. */
  name: string;
  /** Dotted path of the field that differs, or "(object)" when the whole object is missing or extra. */
  field: string;
  /** The value in the source namespace (undefined: absent there). */
  source?: unknown;
  /** The value in the restored copy (undefined: absent there). */
  restored?: unknown;
}

/** Metadata fields the API server sets: never compared. */
const SERVER_METADATA = [
  "uid",
  "resourceVersion",
  "creationTimestamp",
  "managedFields",
  "generation",
  "namespace",
  "selfLink",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "ownerReferences",
];

/** Labels and annotations that Velero, the API server or controllers add on their own. */
const SET_BY_OTHERS = [
  /^velero\.io\//, // velero.io/backup-name, velero.io/restore-name on restored objects
  /^deployment\.kubernetes\.io\/revision$/, // the Deployment controller's counter
  /^pv\.kubernetes\.io\//, // binding bookkeeping of a claim
  /^volume\.(beta\.)?kubernetes\.io\//, // provisioner and selected node of a claim
  /^kubernetes\.io\/service-account\.uid$/,
];

/** Fields per kind that the cluster assigns: a restore gets new values on purpose. */
const ASSIGNED: Record<string, string[][]> = {
  // Velero drops a Service's addresses so the cluster gives new ones (a copy
  // cannot share its source's address), and auto-assigned node ports likewise.
  Service: [
    ["spec", "clusterIP"],
    ["spec", "clusterIPs"],
    ["spec", "healthCheckNodePort"],
  ],
  // A claim is bound afresh; the source's volume stays the source's.
  PersistentVolumeClaim: [["spec", "volumeName"]],
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function deleteAt(target: Record<string, unknown>, fieldPath: string[]): void {
  let at: unknown = target;
  for (const key of fieldPath.slice(0, -1)) at = isRecord(at) ? at[key] : undefined;
  if (isRecord(at)) delete at[fieldPath[fieldPath.length - 1]];
}

function dropSetByOthers(map: unknown): Record<string, unknown> | undefined {
  if (!isRecord(map)) return undefined;
  const kept = Object.fromEntries(
    Object.entries(map).filter(([key]) => !SET_BY_OTHERS.some((re) => re.test(key))),
  );
  return Object.keys(kept).length > 0 ? kept : undefined;
}

/**
 * Replaces the namespace's own name in every field called `namespace` (a
 * RoleBinding's subjects, ...), which Velero remaps to the target namespace.
 * Other values equal to the name (an app label "grist" in namespace grist) stay.
 */
function neutralNamespace(value: unknown, namespace: string): unknown {
  if (Array.isArray(value)) return value.map((item) => neutralNamespace(item, namespace));
  if (!isRecord(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      key === "namespace" && item === namespace ? "<namespace>" : neutralNamespace(item, namespace),
    ]),
  );
}

/**
 * What of an object a restore must keep: the object without status, the
 * server's metadata, Velero's and the controllers' labels and annotations, the
 * fields the cluster assigns afresh, and with its namespace's name neutral.
 */
export function comparable(object: KubeObject, namespace: string): Record<string, unknown> {
  const copy = structuredClone(object) as Record<string, unknown>;
  delete copy.status;
  const metadata = copy.metadata as Record<string, unknown>;
  for (const field of SERVER_METADATA) delete metadata[field];
  for (const map of ["labels", "annotations"]) {
    const kept = dropSetByOthers(metadata[map]);
    if (kept) metadata[map] = kept;
    else delete metadata[map];
  }
  if (object.kind === "Service") {
    const ports = (copy.spec as { ports?: Record<string, unknown>[] } | undefined)?.ports;
    for (const port of ports ?? []) delete port.nodePort;
  }
  for (const fieldPath of ASSIGNED[object.kind ?? ""] ?? []) deleteAt(copy, fieldPath);
  return neutralNamespace(copy, namespace) as Record<string, unknown>;
}

function diffValues(path: string, a: unknown, b: unknown, out: [string, unknown, unknown][]): void {
  if (isRecord(a) && isRecord(b)) {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      diffValues(path ? `${path}.${key}` : key, a[key], b[key], out);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((item, i) => diffValues(`${path}[${i}]`, item, b[i], out));
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push([path, a, b]);
}

/**
 * Every difference between the objects of one kind in the source namespace and
 * in the scratch namespace they were restored into: objects missing from the
 * restore, objects only in the restore, and each field that differs.
 */
export function compareObjects(
  kind: string,
  source: KubeObject[],
  sourceNamespace: string,
  restored: KubeObject[],
  restoredNamespace: string,
): RestoreDifference[] {
  const differences: RestoreDifference[] = [];
  const restoredByName = new Map(restored.map((object) => [object.metadata.name, object]));
  for (const object of source) {
    const name = object.metadata.name;
    const copy = restoredByName.get(name);
    restoredByName.delete(name);
    if (!copy) {
      differences.push({ kind, name, field: "(object)", source: "present", restored: undefined });
      continue;
    }
    const found: [string, unknown, unknown][] = [];
    const withKind = (o: KubeObject) => ({ ...o, kind: o.kind ?? kind });
    diffValues(
      "",
      comparable(withKind(object), sourceNamespace),
      comparable(withKind(copy), restoredNamespace),
      found,
    );
    for (const [field, a, b] of found) {
      // A Secret's values never reach a report: only which key differs.
      const hide = kind === "Secret" && /^(data|stringData)\./.test(field);
      const mask = (value: unknown) => (hide && value !== undefined ? "(secret value)" : value);
      differences.push({ kind, name, field, source: mask(a), restored: mask(b) });
    }
  }
  for (const name of restoredByName.keys()) {
    differences.push({ kind, name, field: "(object)", source: undefined, restored: "present" });
  }
  return differences;
}

/** One line per difference, e.g. `ConfigMap settings: data.mode is "a" in the source, "b" in the restore`. */
export function describeDifference(d: RestoreDifference): string {
  const show = (value: unknown) => (value === undefined ? "absent" : JSON.stringify(value));
  if (d.field === "(object)") {
    return d.restored === undefined
      ? `${d.kind} ${d.name}: missing from the restore`
      : `${d.kind} ${d.name}: in the restore only`;
  }
  return `${d.kind} ${d.name}: ${d.field} is ${show(d.source)} in the source, ${show(d.restored)} in the restore`;
}
