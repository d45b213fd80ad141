// The comparison behind the verified restore: server-set fields, Velero's own
// labels and the addresses a restore gets afresh are not differences; a lost
// key, an altered value, a missing or an extra object are, each named.
import { describe, expect, it } from "vitest";
import { compareObjects, comparable, describeDifference, type KubeObject } from "../../../ops/backup/compare";

const server = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  uid: `uid-${Math.random()}`,
  resourceVersion: String(Math.floor(Math.random() * 1000)),
  creationTimestamp: new Date().toISOString(),
  managedFields: [{ manager: "kubectl" }],
  ...extra,
});

const configMap = (
  namespace: string,
  data: Record<string, string>,
  labels: Record<string, string> = {},
): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: server("settings", { namespace, labels: { app: "grist", ...labels } }),
  data,
});

describe("restore comparison", () => {
  it("finds nothing between an object and its restored copy (new uid, Velero's labels, other namespace)", () => {
    const source = [configMap("grist", { mode: "prod" })];
    const restored = [
      configMap(
        "grist-check",
        { mode: "prod" },
        { "velero.io/backup-name": "b1", "velero.io/restore-name": "r1" },
      ),
    ];
    expect(compareObjects("ConfigMap", source, "grist", restored, "grist-check")).toEqual([]);
  });

  it("ignores a Service's new cluster address and node port, and status", () => {
    const service = (namespace: string, ip: string, nodePort: number): KubeObject => ({
      kind: "Service",
      metadata: server("web", { namespace }),
      spec: {
        clusterIP: ip,
        clusterIPs: [ip],
        ports: [{ port: 80, targetPort: 8080, nodePort }],
        type: "NodePort",
      },
      status: { loadBalancer: {} },
    });
    expect(
      compareObjects(
        "Service",
        [service("a", "10.96.0.10", 30001)],
        "a",
        [service("b", "10.96.0.99", 30002)],
        "b",
      ),
    ).toEqual([]);
  });

  it("takes RoleBinding subjects in the restored namespace as the same subjects", () => {
    const binding = (namespace: string): KubeObject => ({
      kind: "RoleBinding",
      metadata: server("app", { namespace }),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "app" },
      subjects: [{ kind: "ServiceAccount", name: "app", namespace }],
    });
    expect(
      compareObjects("RoleBinding", [binding("grist")], "grist", [binding("grist-check")], "grist-check"),
    ).toEqual([]);
    const other = binding("grist-check");
    (other.subjects as { namespace: string }[])[0].namespace = "elsewhere";
    expect(compareObjects("RoleBinding", [binding("grist")], "grist", [other], "grist-check")).toEqual([
      {
        kind: "RoleBinding",
        name: "app",
        field: "subjects[0].namespace",
        source: "<namespace>",
        restored: "elsewhere",
      },
    ]);
  });

  it("names an altered value, a lost key, a lost label, a missing and an extra object", () => {
    const source = [configMap("a", { mode: "prod", url: "https://grist" }, { tier: "web" })];
    source.push({ ...configMap("a", {}), metadata: server("gone", { namespace: "a" }) });
    const restored = [configMap("b", { mode: "test" })];
    restored.push({ ...configMap("b", {}), metadata: server("new", { namespace: "b" }) });
    const differences = compareObjects("ConfigMap", source, "a", restored, "b");
    expect(differences.map(describeDifference)).toEqual([
      'ConfigMap settings: data.mode is "prod" in the source, "test" in the restore',
      'ConfigMap settings: data.url is "https://grist" in the source, absent in the restore',
      'ConfigMap settings: metadata.labels.tier is "web" in the source, absent in the restore',
      "ConfigMap gone: missing from the restore",
      "ConfigMap new: in the restore only",
    ]);
  });

  it("never shows a Secret's values, only which key differs", () => {
    const secret = (namespace: string, value: string): KubeObject => ({
      kind: "Secret",
      metadata: server("db", { namespace }),
      type: "Opaque",
      data: { password: Buffer.from(value).toString("base64") },
    });
    const [difference] = compareObjects(
      "Secret",
      [secret("a", "hunter2")],
      "a",
      [secret("b", "changed")],
      "b",
    );
    expect(difference).toEqual({
      kind: "Secret",
      name: "db",
      field: "data.password",
      source: "(secret value)",
      restored: "(secret value)",
    });
    expect(describeDifference(difference)).not.toContain(Buffer.from("hunter2").toString("base64"));
  });

  it("drops server metadata and keeps what the user wrote", () => {
    const object = configMap("a", { k: "v" }, { "velero.io/restore-name": "r" });
    (object.metadata as Record<string, unknown>).annotations = {
      "deployment.kubernetes.io/revision": "3",
      note: "kept",
    };
    expect(comparable(object, "a")).toEqual({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "settings", labels: { app: "grist" }, annotations: { note: "kept" } },
      data: { k: "v" },
    });
  });
});
