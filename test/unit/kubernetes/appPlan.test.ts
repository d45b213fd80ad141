// What an app gets, decided before any resource exists: secure defaults, each
// escape hatch, autoscaler and disruption budget, and every bad argument named.
import type * as k8s from "@pulumi/kubernetes";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { appFailures, planApp, type AppPlan, type AppShape } from "../../../components/kubernetes/appPlan";

type Container = k8s.types.input.core.v1.Container;
type PodSecurity = k8s.types.input.core.v1.PodSecurityContext;
type ContainerSecurity = k8s.types.input.core.v1.SecurityContext;
const containerOf = (plan: AppPlan) => (plan.podSpec.containers as Container[])[0];
const securityOf = (plan: AppPlan) => containerOf(plan).securityContext as ContainerSecurity;
const podSecurityOf = (plan: AppPlan) => plan.podSpec.securityContext as PodSecurity;

const grist: AppShape = { namespace: "collaboratif", image: "gristlabs/grist:1.2.1", containerPort: 8484 };

describe("planApp: secure defaults", () => {
  const plan = planApp("grist", grist);

  it("runs as a non-root user with a read-only root, no escalation, no capability, RuntimeDefault seccomp", () => {
    expect(containerOf(plan).securityContext).toEqual({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"], add: [] },
    });
    expect(podSecurityOf(plan)).toMatchObject({
      runAsUser: 10001,
      runAsNonRoot: true,
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(containerOf(plan).volumeMounts).toEqual([{ name: "writable-0", mountPath: "/tmp" }]);
  });

  it("has its own service account without a mounted token, requests and limits, and HTTP probes", () => {
    expect(plan.podSpec.serviceAccountName).toBe("grist");
    expect(plan.podSpec.automountServiceAccountToken).toBe(false);
    expect(containerOf(plan).resources).toEqual({
      requests: { cpu: "100m", memory: "128Mi" },
      limits: { cpu: "500m", memory: "256Mi" },
    });
    expect(containerOf(plan).readinessProbe).toMatchObject({ httpGet: { path: "/", port: "service" } });
    expect(containerOf(plan).livenessProbe).toMatchObject({ httpGet: { path: "/", port: "service" } });
  });

  it("keeps 2 pods, at least 1 available in a disruption, no autoscaler, no Ingress, no Secret", () => {
    expect(plan.replicas).toBe(2);
    expect(plan.minAvailable).toBe(1);
    expect(plan.autoscaler).toBeNull();
    expect(plan.ingress).toBeNull();
    expect(plan.hasSecret).toBe(false);
    expect(plan.servicePort).toBe(80);
  });
});

describe("planApp: each escape hatch opens only its own door", () => {
  // [field, value, what changes]
  const hatches: [Partial<AppShape>, (plan: AppPlan) => unknown, unknown][] = [
    [{ runAsUser: 1000 }, (p) => podSecurityOf(p).runAsUser, 1000],
    [{ runAsUser: 0, allowRoot: true }, (p) => securityOf(p).runAsNonRoot, false],
    [{ writableRootFilesystem: true }, (p) => securityOf(p).readOnlyRootFilesystem, false],
    [
      { writablePaths: ["/data", "/tmp"] },
      (p) => containerOf(p).volumeMounts,
      [
        { name: "writable-0", mountPath: "/data" },
        { name: "writable-1", mountPath: "/tmp" },
      ],
    ],
    [{ allowPrivilegeEscalation: true }, (p) => securityOf(p).allowPrivilegeEscalation, true],
    [
      { addCapabilities: ["NET_BIND_SERVICE"] },
      (p) => securityOf(p).capabilities,
      {
        drop: ["ALL"],
        add: ["NET_BIND_SERVICE"],
      },
    ],
    [{ mountServiceAccountToken: true }, (p) => p.podSpec.automountServiceAccountToken, true],
    [
      { probe: "tcp" },
      (p) => containerOf(p).readinessProbe,
      { tcpSocket: { port: "service" }, periodSeconds: 10 },
    ],
    [{ probe: "none" }, (p) => containerOf(p).livenessProbe, undefined],
  ];
  it.each(hatches)("%j", (extra, read, expected) => {
    const plan = planApp("grist", { ...grist, ...extra });
    expect(read(plan)).toEqual(expected);
    // Everything else stays as the defaults have it.
    const defaults = planApp("grist", grist);
    const others = (p: AppPlan) => ({ ...securityOf(p), ...podSecurityOf(p) });
    const changed = Object.entries(others(plan)).filter(
      ([key, value]) =>
        JSON.stringify(value) !== JSON.stringify((others(defaults) as Record<string, unknown>)[key]),
    );
    expect(changed.length).toBeLessThanOrEqual(4); // runAsUser moves runAsGroup and fsGroup with it
  });
});

describe("planApp: scaling, Ingress, Redis", () => {
  it("hands replicas to an autoscaler when maxReplicas is above them", () => {
    const plan = planApp("joplin", { ...grist, replicas: 2, maxReplicas: 5, targetCpuPercent: 60 });
    expect(plan.replicas).toBeUndefined();
    expect(plan.autoscaler).toEqual({ minReplicas: 2, maxReplicas: 5, targetCpuPercent: 60 });
  });

  it("one pod has no disruption budget; an Ingress gets its host and class", () => {
    const plan = planApp("sign", {
      ...grist,
      replicas: 1,
      host: "parapheur.cd49.fr",
      ingressClassName: "nginx",
    });
    expect(plan.minAvailable).toBeNull();
    expect(plan.ingress).toEqual({ host: "parapheur.cd49.fr", className: "nginx" });
  });

  it("a Redis client gets the client label and the app's Secret", () => {
    const plan = planApp("grist", { ...grist, redisName: "cache" });
    expect(plan.podLabels).toMatchObject({ "redis.socle.io/cache": "client" });
    expect(plan.selector).toEqual({ "app.kubernetes.io/name": "grist" });
    expect(plan.hasSecret).toBe(true);
    expect(containerOf(plan).envFrom).toEqual([{ secretRef: { name: "grist-env" } }]);
  });
});

describe("appFailures: every problem at once, naming the field and the fix", () => {
  const table: [Partial<AppShape> & { name?: string }, string, RegExp][] = [
    [{ name: "Grist_1" }, "name", /must be a DNS label/],
    [{ namespace: "" }, "namespace", /must be a DNS label/],
    [{ image: "grist latest" }, "image", /is not an image/],
    [{ containerPort: 70000 }, "containerPort", /from 1 to 65535/],
    [{ replicas: 0 }, "replicas", /from 1 to 100/],
    [{ replicas: 3, maxReplicas: 2 }, "maxReplicas", /below replicas \(3\)/],
    [{ cpuRequestMilli: 600 }, "cpuLimitMilli", /below the request \(600\)/],
    [{ memoryLimitMiB: 64 }, "memoryLimitMiB", /below the request \(128\)/],
    [{ probe: "exec" }, "probe", /use http, tcp, none/],
    [{ healthPath: "health" }, "healthPath", /must start with/],
    [{ host: "Grist CD49" }, "host", /not a host name/],
    [{ env: { "1X": "a" } }, "env", /not a variable name/],
    [{ env: { TOKEN: "a" }, secretEnvNames: ["TOKEN"] }, "secretEnvNames", /give each variable once/],
    [{ runAsUser: 0 }, "runAsUser", /set allowRoot: true/],
    [{ writablePaths: ["tmp"] }, "writablePaths", /absolute path/],
    [{ addCapabilities: ["net_admin"] }, "addCapabilities", /capability name/],
  ];
  it.each(table)("%j -> %s", ({ name, ...extra }, property, reason) => {
    const failures = appFailures(name ?? "grist", { ...grist, ...extra });
    expect(failures).toEqual([expect.objectContaining({ property, reason: expect.stringMatching(reason) })]);
  });

  it("collects them all in one error", () => {
    expect(() => planApp("grist", { ...grist, replicas: 0, probe: "exec", image: "" })).toThrow(
      /App grist: image .*; replicas .*; probe /,
    );
  });
});

describe("planApp: properties over any valid arguments", () => {
  const shapes = fc.record({
    replicas: fc.integer({ min: 1, max: 10 }),
    extra: fc.integer({ min: -2, max: 10 }),
    cpuRequestMilli: fc.integer({ min: 1, max: 4000 }),
    cpuHeadroom: fc.integer({ min: 0, max: 4000 }),
    memoryRequestMiB: fc.integer({ min: 1, max: 8192 }),
    memoryHeadroom: fc.integer({ min: 0, max: 8192 }),
    probe: fc.constantFrom("http", "tcp", "none"),
    redis: fc.boolean(),
  });

  it("never gives root, escalation, a writable root or a mounted token without an escape hatch", () => {
    fc.assert(
      fc.property(shapes, (s) => {
        const maxReplicas = s.extra >= 0 ? s.replicas + s.extra : undefined;
        const plan = planApp("app", {
          ...grist,
          replicas: s.replicas,
          maxReplicas,
          cpuRequestMilli: s.cpuRequestMilli,
          cpuLimitMilli: s.cpuRequestMilli + s.cpuHeadroom,
          memoryRequestMiB: s.memoryRequestMiB,
          memoryLimitMiB: s.memoryRequestMiB + s.memoryHeadroom,
          probe: s.probe,
          redisName: s.redis ? "cache" : undefined,
        });
        const security = containerOf(plan).securityContext;
        expect(security).toMatchObject({
          runAsNonRoot: true,
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ["ALL"], add: [] },
        });
        expect(plan.podSpec.automountServiceAccountToken).toBe(false);
        // Either the Deployment or the autoscaler owns the replica count, never both.
        expect(plan.replicas === undefined).toBe(plan.autoscaler !== null);
        if (plan.autoscaler) expect(plan.autoscaler.maxReplicas).toBeGreaterThan(plan.autoscaler.minReplicas);
        // A disruption budget never blocks every pod.
        if (plan.minAvailable !== null) expect(plan.minAvailable).toBeLessThan(s.replicas);
        // The pods always carry the selector's labels.
        expect(plan.podLabels).toMatchObject(plan.selector);
      }),
    );
  });
});
