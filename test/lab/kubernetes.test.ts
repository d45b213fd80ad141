// The Kubernetes lab: a real kube-apiserver and controller manager on loopback
// with etcd behind them, and the real engine creating, reading back and
// deleting objects in it through the Kubernetes provider plugin socle builds.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { repoRoot } from "../../lab/engine";
import {
  labDelete,
  labGet,
  labPost,
  readyNodes,
  startKubernetesLab,
  type KubernetesLab,
} from "../../lab/kubernetes";
import { openProgramStack, type ProgramStack } from "../e2e/harness";

describe("Kubernetes lab (real kube-apiserver, controller manager and etcd on loopback)", () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "socle-k8s-"));
  let lab: KubernetesLab;
  let program: ProgramStack;
  let stack: Stack;

  beforeAll(async () => {
    lab = await startKubernetesLab({ dir: path.join(scratch, "lab") });
    program = await openProgramStack(path.join(repoRoot, "test", "e2e", "programs", "lab-namespace"), {
      kubeconfig: { value: lab.kubeconfig, secret: true },
    });
    stack = program.stack;
  });
  afterAll(async () => {
    await program?.dispose();
    await lab?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("answers as Kubernetes 1.34 over TLS its kubeconfig trusts, and refuses a wrong token", async () => {
    const version = await labGet(lab, "/version");
    expect(version.status).toBe(200);
    expect(JSON.parse(version.body)).toMatchObject({ major: "1", minor: "34" });
    const wrong = await labGet({ ...lab, token: "not-the-token" }, "/api/v1/namespaces");
    expect(wrong.status).toBe(401);
  });

  it("up creates the namespace in the API server, a label change is an update, destroy removes it", async () => {
    const up = await stack.up();
    expect(up.summary.result).toBe("succeeded");
    expect(up.summary.resourceChanges).toMatchObject({ create: 3 }); // stack, provider, namespace
    const stored = JSON.parse((await labGet(lab, "/api/v1/namespaces/team-radiologie")).body);
    expect(stored.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");

    expect(Object.keys((await stack.preview()).changeSummary)).toEqual(["same"]);

    await stack.setConfig("level", { value: "baseline" });
    const relabel = await stack.up();
    expect(relabel.summary.resourceChanges).toMatchObject({ update: 1 });
    const updated = JSON.parse((await labGet(lab, "/api/v1/namespaces/team-radiologie")).body);
    expect(updated.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("baseline");

    await stack.destroy();
    const gone = await labGet(lab, "/api/v1/namespaces/team-radiologie");
    // The controller manager finished the deletion the engine waited for.
    expect(gone.status).toBe(404);
  });
});

describe("Kubernetes lab: scheduler and kwok's simulated nodes", () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "socle-k8s-nodes-"));
  let lab: KubernetesLab;
  const read = async (apiPath: string) => JSON.parse((await labGet(lab, apiPath)).body);
  const until = async (check: () => Promise<boolean>, what: string, seconds = 60) => {
    for (let i = 0; i < seconds * 4; i++) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`${what}: not within ${seconds} s`);
  };

  beforeAll(async () => {
    lab = await startKubernetesLab({ dir: path.join(scratch, "lab"), nodes: 2, nodeCpu: 2 });
  });
  afterAll(async () => {
    await lab?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("starts with its nodes Ready, each with the capacity asked for, and records its start time", async () => {
    expect(lab.nodes).toEqual(["lab-node-1", "lab-node-2"]);
    expect((await readyNodes(lab)).sort()).toEqual(lab.nodes);
    const node = await read("/api/v1/nodes/lab-node-1");
    expect(node.status.allocatable).toMatchObject({ cpu: "2", pods: "110" });
    expect(lab.startSec).toBeGreaterThan(0);
  });

  it("schedules a Deployment's pods on the nodes, Running and Ready; an autoscaler raises it to its minimum", async () => {
    const labels = { app: "web" };
    const deployment = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web" },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [{ name: "web", image: "nginx:1.27", resources: { requests: { cpu: "500m" } } }],
          },
        },
      },
    };
    expect((await labPost(lab, "/apis/apps/v1/namespaces/default/deployments", deployment)).status).toBe(201);
    await until(
      async () => (await read("/apis/apps/v1/namespaces/default/deployments/web")).status.readyReplicas === 1,
      "web ready",
    );
    const hpa = {
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: { name: "web" },
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" },
        minReplicas: 3,
        maxReplicas: 5,
        metrics: [
          {
            type: "Resource",
            resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } },
          },
        ],
      },
    };
    expect(
      (await labPost(lab, "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers", hpa)).status,
    ).toBe(201);
    // The controller manager's autoscaler scales the Deployment; the scheduler spreads the pods; kwok runs them.
    await until(
      async () => (await read("/apis/apps/v1/namespaces/default/deployments/web")).status.readyReplicas === 3,
      "scaled to 3",
    );
    const pods = (await read("/api/v1/namespaces/default/pods?labelSelector=app%3Dweb")).items as {
      spec: { nodeName: string };
      status: { phase: string; podIP: string };
    }[];
    expect(pods).toHaveLength(3);
    for (const pod of pods) {
      expect(lab.nodes).toContain(pod.spec.nodeName);
      expect(pod.status.phase).toBe("Running");
      expect(pod.status.podIP).toMatch(/^10\.244\./);
    }
    // 3 pods of 500m on nodes of 2 cores: not all on one node.
    expect(new Set(pods.map((p) => p.spec.nodeName)).size).toBe(2);
  });

  it("a pod runs and a deleted pod goes within seconds: kwok follows pods by watch, not by a later relist", async () => {
    // Before the API server refused watch-list streams (lab/kubernetes: WatchList=false), kwok
    // saw pods only on its next relist: a rollout's old pods lingered up to a minute.
    for (const name of ["brief-1", "brief-2", "brief-3"]) {
      const pod = {
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name },
        spec: { containers: [{ name: "c", image: "busybox", resources: { requests: { cpu: "10m" } } }] },
      };
      expect((await labPost(lab, "/api/v1/namespaces/default/pods", pod)).status).toBe(201);
      const podPath = `/api/v1/namespaces/default/pods/${name}`;
      await until(async () => (await read(podPath)).status.phase === "Running", `${name} running`, 10);
      expect((await labDelete(lab, podPath)).status).toBe(200);
      await until(async () => (await labGet(lab, podPath)).status === 404, `${name} gone`, 10);
    }
  });

  it("a pod too big for every node stays Pending: the scheduler, not kwok, decides", async () => {
    const pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "huge" },
      spec: { containers: [{ name: "huge", image: "busybox", resources: { requests: { cpu: "64" } } }] },
    };
    expect((await labPost(lab, "/api/v1/namespaces/default/pods", pod)).status).toBe(201);
    await until(async () => {
      const stored = await read("/api/v1/namespaces/default/pods/huge");
      return (stored.status.conditions ?? []).some(
        (c: { type: string; reason?: string }) => c.type === "PodScheduled" && c.reason === "Unschedulable",
      );
    }, "huge unschedulable");
    expect((await read("/api/v1/namespaces/default/pods/huge")).status.phase).toBe("Pending");
  });
});

describe("TeamNamespace in the Kubernetes lab, under the real engine", () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "socle-team-ns-"));
  let lab: KubernetesLab;
  let program: ProgramStack;
  const read = async (apiPath: string) => JSON.parse((await labGet(lab, apiPath)).body);

  beforeAll(async () => {
    lab = await startKubernetesLab({ dir: path.join(scratch, "lab") });
    program = await openProgramStack(path.join(repoRoot, "test", "e2e", "programs", "team-namespace"), {
      socleRoot: { value: repoRoot },
      kubeconfig: { value: lab.kubeconfig, secret: true },
    });
  });
  afterAll(async () => {
    await program?.dispose();
    await lab?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("up creates each namespace with its labels, quota, isolation and editors", async () => {
    const up = await program.stack.up();
    expect(up.summary.result).toBe("succeeded");
    expect(up.outputs.namespaces.value).toEqual(["radiologie", "labo"]);

    const radiologie = await read("/api/v1/namespaces/radiologie");
    expect(radiologie.metadata.labels).toMatchObject({
      "pod-security.kubernetes.io/enforce": "restricted",
      "socle-owner": "dsi-imagerie",
      "socle-bubble": "radiologie",
    });
    const quota = await read("/api/v1/namespaces/radiologie/resourcequotas/team-quota");
    expect(quota.spec.hard).toEqual({ "requests.cpu": "4", "requests.memory": "16Gi", pods: "50" });
    const isolation = await read(
      "/apis/networking.k8s.io/v1/namespaces/radiologie/networkpolicies/same-namespace-only",
    );
    expect(isolation.spec.policyTypes).toEqual(["Ingress"]);
    const editors = await read(
      "/apis/rbac.authorization.k8s.io/v1/namespaces/radiologie/rolebindings/team-editors",
    );
    expect(editors.subjects).toEqual([
      { apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "g-radiologie" },
    ]);
    expect(editors.roleRef.name).toBe("edit");

    const labo = await read("/api/v1/namespaces/labo");
    expect(labo.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("baseline");
    expect(
      (await labGet(lab, "/apis/rbac.authorization.k8s.io/v1/namespaces/labo/rolebindings/team-editors"))
        .status,
    ).toBe(404);
  });

  it("the API server enforces each namespace's level on pods (dry run)", async () => {
    const pod = (securityContext: Record<string, unknown>) => ({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "debug" },
      spec: {
        containers: [
          {
            name: "sh",
            image: "busybox",
            securityContext,
            resources: { requests: { cpu: "100m", memory: "64Mi" } },
          },
        ],
      },
    });
    const refused = await labPost(
      lab,
      "/api/v1/namespaces/radiologie/pods?dryRun=All",
      pod({ privileged: true }),
    );
    expect(refused.status).toBe(403);
    expect(refused.body).toContain('violates PodSecurity \\"restricted:latest\\"');
    // The quota asks every pod to say what it requests.
    const unsized = { ...pod({}), spec: { containers: [{ name: "sh", image: "busybox" }] } };
    const noRequests = await labPost(lab, "/api/v1/namespaces/labo/pods?dryRun=All", unsized);
    expect(noRequests.status).toBe(403);
    expect(noRequests.body).toContain("must specify requests.cpu");
    // An ordinary pod passes "baseline" (labo) but not "restricted" (radiologie).
    expect((await labPost(lab, "/api/v1/namespaces/labo/pods?dryRun=All", pod({}))).status).toBe(201);
    expect((await labPost(lab, "/api/v1/namespaces/radiologie/pods?dryRun=All", pod({}))).status).toBe(403);
  });

  it("a second preview plans nothing, and raising a level is an in-place update", async () => {
    expect(Object.keys((await program.stack.preview()).changeSummary)).toEqual(["same"]);
    await program.stack.setConfig("laboLevel", { value: "restricted" });
    const up = await program.stack.up();
    expect(up.summary.resourceChanges).toMatchObject({ update: 1 });
    expect(
      (await read("/api/v1/namespaces/labo")).metadata.labels["pod-security.kubernetes.io/enforce"],
    ).toBe("restricted");
  });

  it("destroy removes the namespaces with everything in them", async () => {
    await program.stack.destroy();
    for (const name of ["radiologie", "labo"]) {
      expect((await labGet(lab, `/api/v1/namespaces/${name}`)).status).toBe(404);
    }
  });
});

describe("Kubernetes lab CLI (./socle lab start|stop kubernetes)", () => {
  it("starts in the background with a kubeconfig that logs in, and stops leaving no process", async () => {
    const run = promisify(execFile);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "socle-k8s-cli-"));
    const cli = [path.join(repoRoot, "node_modules", "tsx", "dist", "cli.mjs"), "lab/kubernetes/cli.ts"];
    try {
      const started = await run(process.execPath, [...cli, "start", "--dir", dir, "--detach"], {
        cwd: repoRoot,
      });
      const manifest = JSON.parse(started.stdout) as {
        server: string;
        kubeconfig: string;
        nodes: string[];
        startSec: number;
        pid: number;
      };
      const kubeconfig = JSON.parse(fs.readFileSync(manifest.kubeconfig, "utf8"));
      expect(fs.statSync(manifest.kubeconfig).mode & 0o077).toBe(0); // the token is for its owner only
      const lab = {
        server: manifest.server,
        token: kubeconfig.users[0].user.token as string,
        caPem: Buffer.from(kubeconfig.clusters[0].cluster["certificate-authority-data"], "base64").toString(),
        kubeconfig: "",
        nodes: manifest.nodes,
        startSec: manifest.startSec,
        close: async () => undefined,
      };
      expect((await labGet(lab, "/api/v1/namespaces/default")).status).toBe(200);

      await run(process.execPath, [...cli, "stop", "--dir", dir], { cwd: repoRoot });
      expect(() => process.kill(manifest.pid, 0)).toThrow();
      await expect(labGet(lab, "/version")).rejects.toThrow();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
