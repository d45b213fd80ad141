// The platform components wired under Pulumi mocks: which objects each one
// declares, with which inputs, and that secrets stay secrets. The real proof
// is the engine against the lab (test/lab/kubernetes-platform.test.ts).
import { beforeAll, describe, expect, it } from "vitest";
import { App, GitLabRunner, SharedRedis, VulnerabilityScanner } from "../../../components/kubernetes";
import { installMocks, runProgram, type Recorder } from "../openstack/mocks";

const T = {
  deployment: "kubernetes:apps/v1:Deployment",
  secret: "kubernetes:core/v1:Secret",
  hpa: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
  pdb: "kubernetes:policy/v1:PodDisruptionBudget",
  ingress: "kubernetes:networking.k8s.io/v1:Ingress",
  policy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
  role: "kubernetes:rbac.authorization.k8s.io/v1:Role",
  clusterRole: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
  binding: "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
  chart: "kubernetes:helm.sh/v4:Chart",
};

describe("platform components under mocks", () => {
  let rec: Recorder;
  beforeAll(async () => {
    rec = await installMocks();
    await runProgram(rec, () => {
      const redis = new SharedRedis("cache", { namespace: "plateforme", password: "s3cret-redis" });
      new App("grist", {
        namespace: "collaboratif",
        image: "gristlabs/grist:1.2.1",
        containerPort: 8484,
        replicas: 2,
        maxReplicas: 4,
        host: "grist.cd49.lab",
        secretEnv: { GRIST_SESSION_SECRET: "s3cret-session" },
        redisName: "cache",
        redisHost: redis.host,
        redisPassword: redis.password,
      });
      new GitLabRunner("runner", { gitlabUrl: "https://gitlab.cd49.lab", runnerToken: "glrt-s3cret" });
      new VulnerabilityScanner("scanner", {});
    });
  });

  it("an autoscaled app leaves replicas to its autoscaler, keeps a disruption budget and an Ingress", () => {
    const grist = rec.one(T.deployment, "grist").inputs as { spec: { replicas?: number } };
    expect(grist.spec.replicas).toBeUndefined();
    expect(rec.one(T.hpa, "grist-hpa").inputs).toMatchObject({ spec: { minReplicas: 2, maxReplicas: 4 } });
    expect(rec.one(T.pdb, "grist-pdb").inputs).toMatchObject({ spec: { minAvailable: 1 } });
    expect(rec.one(T.ingress, "grist-ingress").inputs).toMatchObject({
      spec: { rules: [{ host: "grist.cd49.lab" }] },
    });
  });

  it("secret values travel only as secrets: the app's Secret carries its variables and the Redis credentials", () => {
    const env = rec.one(T.secret, "grist-env");
    expect(env.secretInputs).toContain("stringData");
    expect(env.inputs.stringData).toEqual({
      GRIST_SESSION_SECRET: "s3cret-session",
      REDIS_HOST: "cache.plateforme.svc",
      REDIS_PORT: "6379",
      REDIS_PASSWORD: "s3cret-redis",
    });
    expect(rec.one(T.secret, "cache-env").secretInputs).toContain("stringData");
    expect(rec.one(T.secret, "runner-token").secretInputs).toContain("stringData");
    for (const d of rec.ofType(T.deployment)) expect(JSON.stringify(d.inputs)).not.toContain("s3cret");
  });

  it("the shared Redis admits only its clients' pods, and the app's pods carry the client label", () => {
    expect(rec.one(T.policy, "cache-clients").inputs).toMatchObject({
      metadata: { namespace: "plateforme" },
      spec: {
        podSelector: { matchLabels: { "app.kubernetes.io/name": "cache" } },
        ingress: [{ from: [{ podSelector: { matchLabels: { "redis.socle.io/cache": "client" } } }] }],
      },
    });
    const grist = rec.one(T.deployment, "grist").inputs as {
      spec: { template: { metadata: { labels: Record<string, string> } } };
    };
    expect(grist.spec.template.metadata.labels["redis.socle.io/cache"]).toBe("client");
  });

  it("the runner gets a Role in its namespace only, bound to its service account, and the chart's RBAC off", () => {
    expect(rec.ofType(T.role).map((r) => r.name)).toEqual(["runner-role"]);
    expect(rec.one(T.binding, "runner-binding").inputs).toMatchObject({
      roleRef: { kind: "Role" },
      subjects: [{ kind: "ServiceAccount", name: "gitlab-runner", namespace: "gitlab-runner" }],
    });
    expect(rec.one(T.chart, "runner-chart").inputs).toMatchObject({
      chart: "gitlab-runner",
      repositoryOpts: { repo: "https://charts.gitlab.io" },
      values: { rbac: { create: false }, serviceAccount: { create: false, name: "gitlab-runner" } },
    });
  });

  it("the scanner's chart keeps reports small, and its reader role aggregates into view", () => {
    expect(rec.one(T.chart, "scanner-chart").inputs).toMatchObject({
      values: {
        operator: { vulnerabilityScannerScanOnlyCurrentRevisions: true, scannerReportTTL: "24h" },
        trivy: { severity: "HIGH,CRITICAL", ignoreUnfixed: true },
      },
    });
    expect(rec.one(T.clusterRole, "scanner-report-readers").inputs).toMatchObject({
      metadata: { labels: { "rbac.authorization.k8s.io/aggregate-to-view": "true" } },
    });
  });
});
