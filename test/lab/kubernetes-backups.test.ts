// Velero end to end on the Kubernetes lab: our S3 store, Velero's CRDs and its
// server (built from source, run beside the lab), ClusterBackups under the real
// engine (storage location, credentials Secret, a Schedule per team), a backup
// made from a team's Schedule, and the verified restore: restored into a
// scratch namespace and compared object by object; then shown to catch an
// altered object, a lost one and one made after the backup.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeBinDir, repoRoot } from "../../lab/engine";
import { labGet, labPost, startKubernetesLab, type KubernetesLab } from "../../lab/kubernetes";
import { S3LAB_CREDENTIALS, startVeleroLab, type VeleroLab } from "../../lab/kubernetes/velero";
import { describeDifference } from "../../ops/backup/compare";
import { kubeClient, type KubeClient } from "../../ops/backup/kubeClient";
import { newestBackupOf, verifyRestore } from "../../ops/backup/verifyRestore";
import { openProgramStack, openRepoExample, storedStateText, type ProgramStack } from "../e2e/harness";
import type { ConfigMap } from "@pulumi/pulumi/automation";

/** The configuration that points ClusterBackups at the lab and its S3 store (the keys as secrets). */
function backupsConfig(lab: KubernetesLab, velero: VeleroLab): ConfigMap {
  return {
    kubeconfig: { value: lab.kubeconfig, secret: true },
    bucket: { value: velero.bucket },
    s3Url: { value: velero.s3Url },
    accessKeyId: { value: S3LAB_CREDENTIALS.accessKeyId, secret: true },
    secretAccessKey: { value: S3LAB_CREDENTIALS.secretAccessKey, secret: true },
  };
}

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What a team runs in its namespace: configuration, a secret, access, a workload, a claim. */
function teamObjects(): [string, Record<string, unknown>][] {
  const labels = { "app.kubernetes.io/name": "grist" };
  const core = "/api/v1/namespaces/grist";
  const restricted = {
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  };
  return [
    [
      `${core}/configmaps`,
      { metadata: { name: "settings", labels }, data: { mode: "prod", url: "https://grist" } },
    ],
    [
      `${core}/secrets`,
      { metadata: { name: "db", labels }, type: "Opaque", stringData: { password: "lab-only" } },
    ],
    [`${core}/serviceaccounts`, { metadata: { name: "grist", labels }, automountServiceAccountToken: false }],
    [
      `${core}/services`,
      {
        metadata: { name: "grist", labels },
        spec: { selector: labels, ports: [{ port: 80, targetPort: 8484 }] },
      },
    ],
    [
      `${core}/persistentvolumeclaims`,
      {
        metadata: { name: "data", labels },
        spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
      },
    ],
    [
      "/apis/rbac.authorization.k8s.io/v1/namespaces/grist/roles",
      {
        metadata: { name: "grist" },
        rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get"] }],
      },
    ],
    [
      "/apis/rbac.authorization.k8s.io/v1/namespaces/grist/rolebindings",
      {
        metadata: { name: "grist" },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "grist" },
        subjects: [{ kind: "ServiceAccount", name: "grist", namespace: "grist" }],
      },
    ],
    [
      "/apis/apps/v1/namespaces/grist/deployments",
      {
        metadata: { name: "grist", labels },
        spec: {
          replicas: 1,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              serviceAccountName: "grist",
              containers: [
                {
                  name: "grist",
                  image: "gristlabs/grist:1.1.15",
                  securityContext: restricted,
                  resources: {
                    requests: { cpu: "100m", memory: "256Mi" },
                    limits: { cpu: "500m", memory: "512Mi" },
                  },
                },
              ],
            },
          },
        },
      },
    ],
  ];
}

describe("Velero backups with a verified restore, on the Kubernetes lab", () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "socle-backups-"));
  let lab: KubernetesLab;
  let velero: VeleroLab;
  let program: ProgramStack;
  let client: KubeClient;
  const read = async (apiPath: string) => JSON.parse((await labGet(lab, apiPath)).body);
  const until = async (check: () => Promise<boolean>, what: string, seconds = 90) => {
    for (const end = Date.now() + seconds * 1000; Date.now() < end; await sleep(250)) {
      if (await check().catch(() => false)) return;
    }
    throw new Error(
      `${what}: not within ${seconds} s; see ${path.join(scratch, "velero", "velero-server.log")}`,
    );
  };
  const backupsApi = "/apis/velero.io/v1/namespaces/velero";
  /** A failed restore's error with Velero's own account of it (the restore's details from the store). */
  const explained = async (error: Error): Promise<never> => {
    const name = /Restore (\S+)/.exec(error.message)?.[1];
    const details = name
      ? await velero.cli(["restore", "describe", name, "--details", "-n", "velero"]).catch(String)
      : "";
    throw new Error(`${error.message}\n${details}`);
  };

  beforeAll(async () => {
    lab = await startKubernetesLab({ dir: path.join(scratch, "lab"), nodes: 1 });
    velero = await startVeleroLab({ lab, dir: path.join(scratch, "velero") });
    client = kubeClient(lab.kubeconfig);
    program = await openProgramStack(path.join(repoRoot, "test", "e2e", "programs", "cluster-backups"), {
      socleRoot: { value: repoRoot },
      ...backupsConfig(lab, velero),
    });
  }, 180_000);
  afterAll(async () => {
    await program?.dispose();
    await velero?.close();
    await lab?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("up installs the storage location, the S3 keys as a Secret (secret in the state) and a Schedule per team", async () => {
    const up = await program.stack.up();
    expect(up.summary.result).toBe("succeeded");
    expect(up.outputs.schedules.value).toEqual(["grist-nightly", "joplin-nightly"]);
    const location = await read(`${backupsApi}/backupstoragelocations/default`);
    expect(location.spec).toMatchObject({
      provider: "aws",
      default: true,
      objectStorage: { bucket: "velero" },
      credential: { name: "velero-s3-credentials", key: "cloud" },
      config: { s3Url: velero.s3Url, s3ForcePathStyle: "true", region: "lab" },
    });
    const joplin = await read(`${backupsApi}/schedules/joplin-nightly`);
    expect(joplin.spec).toMatchObject({
      schedule: "30 2 * * *",
      template: { includedNamespaces: ["joplin"], ttl: "48h0m0s", storageLocation: "default" },
    });
    // The server's Deployment carries the name Velero looks itself up by, and its image.
    const server = await read("/apis/apps/v1/namespaces/velero/deployments/velero");
    expect(server.spec.template.spec.containers[0].image).toBe("velero/velero:v1.18.3");
    const state = JSON.stringify((await program.stack.exportStack()).deployment);
    expect(state).not.toContain(S3LAB_CREDENTIALS.secretAccessKey);
    expect(state).toContain("4dabf18193072939515e22adb298388d"); // Pulumi's secret signature
  }, 240_000);

  it("the Velero server finds the store Available and enables both Schedules", async () => {
    await velero.startServer("velero");
    await until(
      async () => (await read(`${backupsApi}/backupstoragelocations/default`)).status?.phase === "Available",
      "storage location Available",
    );
    for (const name of ["grist-nightly", "joplin-nightly"]) {
      await until(
        async () => (await read(`${backupsApi}/schedules/${name}`)).status?.phase === "Enabled",
        `${name} Enabled`,
      );
    }
  }, 180_000);

  it("a backup from grist's Schedule completes and lands in the S3 store", async () => {
    for (const [apiPath, object] of teamObjects()) {
      const made = await labPost(lab, apiPath, object);
      expect(made.status, `${apiPath}: ${made.body}`).toBe(201);
    }
    const began = Date.now();
    await velero.cli([
      "backup",
      "create",
      "grist-1",
      "--from-schedule",
      "grist-nightly",
      "-n",
      "velero",
      "--wait",
    ]);
    const backup = await read(`${backupsApi}/backups/grist-1`);
    console.log(`backup of grist from its Schedule: ${((Date.now() - began) / 1000).toFixed(1)} s`);
    expect(backup.status.phase).toBe("Completed");
    expect(backup.spec.includedNamespaces).toEqual(["grist"]);
    expect(backup.metadata.labels["velero.io/schedule-name"]).toBe("grist-nightly");
    const listing = await (await fetch(`${velero.s3Url}/velero?prefix=backups/grist-1/`)).text();
    expect(listing).toContain("backups/grist-1/grist-1.tar.gz");
    expect(await newestBackupOf(client, "grist")).toBe("grist-1");
    expect(await newestBackupOf(client, "joplin")).toBeUndefined();
  }, 180_000);

  it("the verified restore: restored into a scratch namespace, every object the same, scratch deleted", async () => {
    const began = Date.now();
    const result = await verifyRestore(client, {
      namespace: "grist",
      backupName: "grist-1",
      timeoutSec: 120,
    }).catch(explained);
    console.log(
      `verified restore of grist-1: restore ${result.restoreSec.toFixed(1)} s, scratch namespace deleted in ${result.cleanupSec.toFixed(1)} s, whole check ${((Date.now() - began) / 1000).toFixed(1)} s`,
    );
    expect(result.differences.map(describeDifference)).toEqual([]);
    expect(result.compared).toEqual({
      ConfigMap: 2, // settings and the cluster's kube-root-ca.crt
      Secret: 1,
      Service: 1,
      ServiceAccount: 2, // grist and default
      PersistentVolumeClaim: 1,
      Deployment: 1,
      Role: 1,
      RoleBinding: 2, // grist and the TeamNamespace's editors
      NetworkPolicy: 1,
      ResourceQuota: 1,
    });
    expect((await labGet(lab, "/api/v1/namespaces/grist-restore-check")).status).toBe(404);
  }, 240_000);

  it("the check names an altered object, a lost one and one made after the backup", async () => {
    const made = await labPost(lab, "/api/v1/namespaces/grist/configmaps", {
      metadata: { name: "after-backup" },
      data: { k: "v" },
    });
    expect(made.status).toBe(201);
    const result = await verifyRestore(client, {
      namespace: "grist",
      backupName: "grist-1",
      scratchNamespace: "grist-tampered",
      timeoutSec: 120,
      async beforeCompare(copy) {
        const settings = await client.getJson<{ data: Record<string, string> }>(
          `/api/v1/namespaces/${copy}/configmaps/settings`,
        );
        settings.data.mode = "test";
        expect(
          (await client.request("PUT", `/api/v1/namespaces/${copy}/configmaps/settings`, settings)).status,
        ).toBe(200);
        expect((await client.request("DELETE", `/api/v1/namespaces/${copy}/secrets/db`)).status).toBe(200);
      },
    }).catch(explained);
    expect(result.differences.map(describeDifference).sort()).toEqual([
      "ConfigMap after-backup: missing from the restore",
      'ConfigMap settings: data.mode is "prod" in the source, "test" in the restore',
      "Secret db: missing from the restore",
    ]);
    expect((await labGet(lab, "/api/v1/namespaces/grist-tampered")).status).toBe(404);
  }, 240_000);

  it("./socle backup verify's command finds grist's newest backup and exits 1 on the difference", async () => {
    const kubeconfigFile = path.join(scratch, "kubeconfig.json");
    fs.writeFileSync(kubeconfigFile, lab.kubeconfig, { mode: 0o600 });
    const tsx = path.join(repoRoot, "node_modules", ".bin", "tsx");
    const env = { ...process.env, PATH: `${nodeBinDir()}:${process.env.PATH ?? ""}` };
    const failed = await run(tsx, ["ops/backup/cli.ts", "verify", "grist", "--kubeconfig", kubeconfigFile], {
      cwd: repoRoot,
      env,
    }).then(
      () => undefined,
      (error: { code: number; stdout: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stdout).toContain("backup grist-1 of grist: restored into grist-restore-check");
    expect(failed?.stdout).toContain("ConfigMap after-backup: missing from the restore");
    expect(failed?.stdout).toContain("NOT VERIFIED: 1 difference(s)");
  }, 240_000);
});

describe("examples/yaml-backups: ClusterBackups from Pulumi YAML, through the repository's resource plugin", () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "socle-yaml-backups-"));
  let lab: KubernetesLab;
  let velero: VeleroLab;
  let program: ProgramStack;
  const read = async (apiPath: string) => JSON.parse((await labGet(lab, apiPath)).body);

  beforeAll(async () => {
    lab = await startKubernetesLab({ dir: path.join(scratch, "lab"), nodes: 1 });
    velero = await startVeleroLab({ lab, dir: path.join(scratch, "velero") });
    program = await openRepoExample("yaml-backups", scratch, {
      ...backupsConfig(lab, velero),
      chartPath: { value: path.join(repoRoot, "lab", "kubernetes", "charts", "velero") },
    });
  }, 180_000);
  afterAll(async () => {
    await program?.dispose();
    await velero?.close();
    await lab?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("up: the location and radiologie's Schedule made, the keys secret in the state; the server enables the Schedule", async () => {
    const up = await program.stack.up();
    expect(up.summary.result).toBe("succeeded");
    expect(up.outputs.schedules.value).toEqual(["radiologie-nightly"]);
    const schedule = await read("/apis/velero.io/v1/namespaces/velero/schedules/radiologie-nightly");
    expect(schedule.spec).toMatchObject({
      schedule: "30 2 * * *",
      template: { includedNamespaces: ["radiologie"], ttl: "168h0m0s" },
    });
    expect(storedStateText(program.backendDir)).not.toContain(S3LAB_CREDENTIALS.secretAccessKey);

    await velero.startServer("velero");
    for (let i = 0; i < 360; i++) {
      const location = await read("/apis/velero.io/v1/namespaces/velero/backupstoragelocations/default");
      const enabled = await read("/apis/velero.io/v1/namespaces/velero/schedules/radiologie-nightly");
      if (location.status?.phase === "Available" && enabled.status?.phase === "Enabled") return;
      await sleep(250);
    }
    throw new Error("the Velero server did not find the store Available and enable the Schedule within 90 s");
  }, 300_000);
});
