// The department's platform (stacks/cd49-platform.ts) under the real engine
// against the Kubernetes lab: real API server, controller manager and
// scheduler, pods on kwok's simulated nodes. What the engine made is read back
// by the API server itself (objects, pod status, SubjectAccessReviews).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { labGet, labPost, startKubernetesLab, type KubernetesLab } from "../../lab/kubernetes";
import {
  changesIn,
  openRepoExample,
  openRepoStack,
  storedStateText,
  type ProgramStack,
} from "../e2e/harness";

interface Pod {
  metadata: { name: string; labels?: Record<string, string> };
  spec: { nodeName?: string; containers: { image: string }[] };
  status: { phase?: string; conditions?: { type: string; status: string }[] };
}

/** Polls `check` every half second until it holds, or fails naming `what`. */
async function waitUntil(check: () => Promise<boolean>, what: string, seconds = 60): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${what}: not within ${seconds} s`);
}

const RUNNER_TOKEN = "glrt-e2e-runner-token-4f1c9a";
const SESSION_SECRET = "grist-e2e-session-7d2be0";

describe("cd49-platform under the engine against the Kubernetes lab", () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "socle-cd49-"));
  let lab: KubernetesLab;
  let program: ProgramStack;

  const read = async (apiPath: string) => {
    const answer = await labGet(lab, apiPath);
    if (answer.status !== 200) throw new Error(`GET ${apiPath}: ${answer.status} ${answer.body}`);
    return JSON.parse(answer.body);
  };
  const podsOf = async (namespace: string, app: string): Promise<Pod[]> =>
    (await read(`/api/v1/namespaces/${namespace}/pods?labelSelector=app.kubernetes.io%2Fname%3D${app}`))
      .items;
  const ready = (pod: Pod) =>
    pod.status.phase === "Running" &&
    (pod.status.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");
  /** Asks the API server whether `user` (with `groups`) may do `verb` on `resource` in `namespace`. */
  const allowed = async (user: string, groups: string[], attributes: Record<string, string>) => {
    const review = {
      apiVersion: "authorization.k8s.io/v1",
      kind: "SubjectAccessReview",
      spec: { user, groups, resourceAttributes: attributes },
    };
    const answer = await labPost(lab, "/apis/authorization.k8s.io/v1/subjectaccessreviews", review);
    expect(answer.status).toBe(201);
    return JSON.parse(answer.body).status.allowed === true;
  };
  const serviceAccount = (namespace: string, name: string): [string, string[]] => [
    `system:serviceaccount:${namespace}:${name}`,
    ["system:serviceaccounts", `system:serviceaccounts:${namespace}`, "system:authenticated"],
  ];

  beforeAll(async () => {
    lab = await startKubernetesLab({ dir: path.join(scratch, "lab") });
    program = await openRepoStack("cd49-platform", {
      "socle:kubeconfig": { value: lab.kubeconfig, secret: true },
      "socle:runnerToken": { value: RUNNER_TOKEN, secret: true },
      "socle:gristSessionSecret": { value: SESSION_SECRET, secret: true },
    });
  }, 120_000);
  afterAll(async () => {
    await program?.stack.destroy().catch(() => undefined);
    await program?.dispose();
    await lab?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("up makes the platform; every app's pods are Running and Ready on the simulated nodes", async () => {
    const up = await program.stack.up();
    expect(up.summary.result).toBe("succeeded");
    for (const [namespace, app, count] of [
      ["collaboratif", "grist", 2],
      ["collaboratif", "joplin", 1],
      ["parapheur", "iparapheur", 2],
      ["plateforme", "cache", 1],
    ] as const) {
      await waitUntil(
        async () => (await podsOf(namespace, app)).filter(ready).length === count,
        `${app} ready`,
      );
      for (const pod of await podsOf(namespace, app)) expect(lab.nodes).toContain(pod.spec.nodeName);
    }
    // The runner, installed from its chart (socle's lab chart) by the provider's Helm.
    const runner = await read("/apis/apps/v1/namespaces/gitlab-runner/deployments");
    expect(runner.items).toHaveLength(1);
    expect(runner.items[0].status.readyReplicas).toBe(1);
    expect(runner.items[0].spec.template.spec.serviceAccountName).toBe("gitlab-runner");
  }, 300_000);

  it("the autoscaler, not the program, set Grist's replicas (the Deployment says none)", async () => {
    const hpa = await read("/apis/autoscaling/v2/namespaces/collaboratif/horizontalpodautoscalers/grist");
    expect(hpa.spec).toMatchObject({ minReplicas: 2, maxReplicas: 4 });
    const deployment = await read("/apis/apps/v1/namespaces/collaboratif/deployments/grist");
    expect(deployment.spec.replicas).toBe(2);
    const managers = (deployment.metadata.managedFields as { manager: string; fieldsV1?: unknown }[])
      .filter((m) => JSON.stringify(m.fieldsV1 ?? {}).includes('"f:replicas"'))
      .map((m) => m.manager);
    expect(managers.some((m) => m.includes("pulumi"))).toBe(false);
  });

  it("a second preview plans nothing and a refresh finds no drift", async () => {
    expect(changesIn((await program.stack.preview()).changeSummary)).toEqual({});
    const refresh = await program.stack.refresh();
    expect(changesIn(refresh.summary.resourceChanges ?? {})).toEqual({});
  }, 180_000);

  it("secrets never reach the stored state in clear", async () => {
    const secret = await read("/api/v1/namespaces/plateforme/secrets/cache-env");
    const redisPassword = Buffer.from(secret.data.REDIS_PASSWORD, "base64").toString();
    expect(redisPassword).toHaveLength(32);
    const client = await read("/api/v1/namespaces/parapheur/secrets/iparapheur-env");
    expect(Buffer.from(client.data.REDIS_PASSWORD, "base64").toString()).toBe(redisPassword);
    const state = storedStateText(program.backendDir);
    for (const value of [redisPassword, RUNNER_TOKEN, SESSION_SECRET, lab.token]) {
      expect(state).not.toContain(value);
    }
  });

  it("the API server refuses a pod that breaks the restricted Pod Security level", async () => {
    const pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "root-shell" },
      spec: {
        containers: [
          {
            name: "sh",
            image: "busybox",
            securityContext: { privileged: true },
            resources: { requests: { cpu: "100m", memory: "64Mi" } },
          },
        ],
      },
    };
    const refused = await labPost(lab, "/api/v1/namespaces/collaboratif/pods", pod);
    expect(refused.status).toBe(403);
    expect(refused.body).toContain('violates PodSecurity \\"restricted:latest\\"');
  });

  it("a team's service account and group cannot read another team's Secrets", async () => {
    const secrets = (namespace: string) => ({ namespace, verb: "get", resource: "secrets" });
    expect(await allowed(...serviceAccount("collaboratif", "grist"), secrets("parapheur"))).toBe(false);
    expect(await allowed(...serviceAccount("collaboratif", "grist"), secrets("collaboratif"))).toBe(false);
    expect(await allowed("alice", ["g-dlsi-swat"], secrets("collaboratif"))).toBe(true);
    expect(await allowed("alice", ["g-dlsi-swat"], secrets("parapheur"))).toBe(false);
    expect(await allowed("bob", ["g-parapheur"], secrets("parapheur"))).toBe(true);
    expect(await allowed("bob", ["g-parapheur"], secrets("plateforme"))).toBe(false);
  });

  it("GitLab Runner's service account runs job pods in its namespace and nothing outside it", async () => {
    const runner = serviceAccount("gitlab-runner", "gitlab-runner");
    const can = (verb: string, resource: string, namespace?: string, subresource?: string) =>
      allowed(...runner, {
        verb,
        resource,
        ...(namespace ? { namespace } : {}),
        ...(subresource ? { subresource } : {}),
      });
    expect(await can("create", "pods", "gitlab-runner")).toBe(true);
    expect(await can("create", "pods", "gitlab-runner", "exec")).toBe(true);
    expect(await can("create", "secrets", "gitlab-runner")).toBe(true);
    expect(await can("create", "pods", "collaboratif")).toBe(false);
    expect(await can("get", "secrets", "collaboratif")).toBe(false);
    expect(await can("list", "pods")).toBe(false); // all namespaces
    expect(await can("list", "nodes")).toBe(false);
    expect(await can("create", "rolebindings", "gitlab-runner")).toBe(false);
    // The job pods' own account has no right at all.
    expect(
      await allowed(...serviceAccount("gitlab-runner", "gitlab-runner-jobs"), {
        verb: "list",
        resource: "pods",
        namespace: "gitlab-runner",
      }),
    ).toBe(false);
  });

  it("teams read trivy's reports in their own namespace only (the reader role aggregated into view)", async () => {
    const reports = (namespace: string) => ({
      namespace,
      verb: "list",
      group: "aquasecurity.github.io",
      resource: "vulnerabilityreports",
    });
    // The controller manager aggregates the rules into `edit`, which the team's group holds.
    await waitUntil(
      async () => allowed("alice", ["g-dlsi-swat"], reports("collaboratif")),
      "aggregation into edit",
      30,
    );
    expect(await allowed("alice", ["g-dlsi-swat"], reports("parapheur"))).toBe(false);
  });

  it("a new image rolls out: new pods Ready, the old ones gone", async () => {
    await program.stack.setConfig("socle:gristImage", { value: "gristlabs/grist:1.2.2" });
    const up = await program.stack.up();
    expect(changesIn(up.summary.resourceChanges ?? {})).toEqual({ update: 1 });
    await waitUntil(async () => {
      const pods = await podsOf("collaboratif", "grist");
      return (
        pods.length === 2 &&
        pods.every((p) => ready(p) && p.spec.containers[0].image === "gristlabs/grist:1.2.2")
      );
    }, "grist 1.2.2 rolled out");
    const deployment = await read("/apis/apps/v1/namespaces/collaboratif/deployments/grist");
    expect(deployment.status).toMatchObject({ updatedReplicas: 2, readyReplicas: 2 });
  }, 180_000);

  it("destroy leaves nothing of ours", async () => {
    await program.stack.destroy();
    for (const namespace of ["plateforme", "collaboratif", "parapheur", "gitlab-runner", "trivy-system"]) {
      expect((await labGet(lab, `/api/v1/namespaces/${namespace}`)).status).toBe(404);
    }
    const roles = await read(
      "/apis/rbac.authorization.k8s.io/v1/clusterroles?labelSelector=app.kubernetes.io%2Fmanaged-by%3Dsocle",
    );
    expect(roles.items).toEqual([]);
    expect((await read("/api/v1/pods")).items.map((p: Pod) => p.metadata.name)).toEqual([]);
  }, 180_000);
});

describe("examples/yaml-apps: the components from Pulumi YAML, through the repository's resource plugin", () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "socle-yaml-apps-"));
  let lab: KubernetesLab;
  let program: ProgramStack;

  beforeAll(async () => {
    lab = await startKubernetesLab({ dir: path.join(scratch, "lab") });
    program = await openRepoExample("yaml-apps", scratch, {
      kubeconfig: { value: lab.kubeconfig, secret: true },
    });
  }, 120_000);
  afterAll(async () => {
    await program?.stack.destroy().catch(() => undefined);
    await program?.dispose();
    await lab?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("up: Grist and Redis Running and Ready, Grist holding Redis's credentials; destroy removes the namespace", async () => {
    const up = await program.stack.up();
    expect(up.summary.result).toBe("succeeded");
    expect(up.outputs.grist.value).toBe("grist.outils.svc");
    const pods = async () =>
      JSON.parse((await labGet(lab, "/api/v1/namespaces/outils/pods")).body).items as Pod[];
    const running = (app: string) => async () =>
      (await pods()).filter(
        (p) => p.metadata.labels?.["app.kubernetes.io/name"] === app && p.status.phase === "Running",
      ).length;
    // One Redis; Grist at the autoscaler's minimum of 2.
    await waitUntil(
      async () => (await running("cache")()) === 1 && (await running("grist")()) === 2,
      "pods Running",
    );
    const secret = JSON.parse((await labGet(lab, "/api/v1/namespaces/outils/secrets/grist-env")).body);
    expect(Buffer.from(secret.data.REDIS_HOST, "base64").toString()).toBe("cache.outils.svc");
    const password = Buffer.from(secret.data.REDIS_PASSWORD, "base64").toString();
    expect(password).toHaveLength(32);
    expect(storedStateText(program.backendDir)).not.toContain(password);

    await program.stack.destroy();
    expect((await labGet(lab, "/api/v1/namespaces/outils")).status).toBe(404);
  }, 300_000);
});
