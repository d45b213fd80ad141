// What one application (one service, one container) gets on the platform,
// decided before any resource exists: its pod template with the secure
// defaults and the escape hatches asked for, its Service, and whether it gets
// an Ingress, an autoscaler and a disruption budget. App only wires the result.
import type * as k8s from "@pulumi/kubernetes";
import { assertValid, type Failure } from "../../providers/switch/validation";
import {
  APP_DEFAULTS,
  APP_LABEL,
  checkWholeNumber,
  MANAGED_BY_LABEL,
  PROBE_KINDS,
  redisClientLabel,
} from "./contract";

/** Arguments of {@link App} that decide its shape (values such as secrets stay in the component). */
export interface AppShape {
  /** Namespace of the app, e.g. a TeamNamespace's name. */
  namespace: string;
  /** Container image, e.g. "gristlabs/grist:1.2.1" (pin a tag or digest). */
  image: string;
  /** Port the container listens on, e.g. 8484. */
  containerPort: number;
  /** Arguments given to the image's entrypoint; `$(VAR)` reads a variable of the container. @default the image's own */
  args?: string[];
  /** Port of the app's Service. @default 80 */
  servicePort?: number;
  /** Pods kept running; the autoscaler's minimum when `maxReplicas` is set. @default 2 */
  replicas?: number;
  /** With a value above `replicas`, a HorizontalPodAutoscaler scales between the two on CPU. @default no autoscaler */
  maxReplicas?: number;
  /** CPU use (percent of the request) the autoscaler aims at. @default 70 */
  targetCpuPercent?: number;
  /** CPU requested per pod, in millicores. @default 100 */
  cpuRequestMilli?: number;
  /** Memory requested per pod, in MiB. @default 128 */
  memoryRequestMiB?: number;
  /** CPU limit per pod, in millicores. @default 500 */
  cpuLimitMilli?: number;
  /** Memory limit per pod, in MiB. @default 256 */
  memoryLimitMiB?: number;
  /** Health probe: "http" (GET `healthPath`), "tcp" (the port opens) or "none". @default "http" */
  probe?: string;
  /** Path of the HTTP health probe. @default "/" */
  healthPath?: string;
  /** Host name of an Ingress to the Service, e.g. "grist.cd49.fr". @default no Ingress */
  host?: string;
  /** IngressClass of that Ingress. @default the cluster's default class */
  ingressClassName?: string;
  /** Plain environment variables of the container. @default none */
  env?: Record<string, string>;
  /** Names of the secret environment variables (their values are given to App). @default none */
  secretEnvNames?: string[];
  /** Name of the shared Redis the app uses (see SharedRedis): its client label and REDIS_* variables. @default none */
  redisName?: string;
  /** User id the container runs as. Escape hatch: an image that needs its own user. @default 10001 */
  runAsUser?: number;
  /** Escape hatch: let the container run as root (uid 0); refused by the "restricted" Pod Security level. @default false */
  allowRoot?: boolean;
  /** Escape hatch: a writable root filesystem, for an image that writes anywhere. @default false (read-only) */
  writableRootFilesystem?: boolean;
  /** Paths given a writable empty directory while the root stays read-only. @default ["/tmp"] */
  writablePaths?: string[];
  /** Escape hatch: allow privilege escalation (setuid binaries); refused by "restricted". @default false */
  allowPrivilegeEscalation?: boolean;
  /** Escape hatch: Linux capabilities added back after dropping all, e.g. ["NET_BIND_SERVICE"]. @default none */
  addCapabilities?: string[];
  /** Escape hatch: mount the service account's token, for an app that calls the Kubernetes API. @default false */
  mountServiceAccountToken?: boolean;
}

/** Labels and objects of one app, as plain data. */
export interface AppPlan {
  /** Labels of every object of the app, and of its pods. */
  labels: Record<string, string>;
  /** Labels selecting the app's pods. */
  selector: Record<string, string>;
  /** Labels of the pods: the app's, and the shared Redis client label when it uses one. */
  podLabels: Record<string, string>;
  /** `spec.replicas` of the Deployment; undefined when the autoscaler owns it. */
  replicas: number | undefined;
  /** Pod template spec (no secret values: those come through `envFrom` of the app's Secret). */
  podSpec: PodSpec;
  /** Service port and container port. */
  servicePort: number;
  /** Port the container listens on. */
  containerPort: number;
  /** HorizontalPodAutoscaler bounds, or null. */
  autoscaler: {
    /** Fewest pods. */
    minReplicas: number;
    /** Most pods. */
    maxReplicas: number;
    /** CPU use aimed at, percent of the request. */
    targetCpuPercent: number;
  } | null;
  /** `minAvailable` of the PodDisruptionBudget, or null for a single pod. */
  minAvailable: number | null;
  /** Ingress host and class, or null. */
  ingress: {
    /** Host name the Ingress answers. */
    host: string;
    /** Ingress class, or the cluster's default. */
    className: string | undefined;
  } | null;
  /** Whether the app has a Secret of its own (secret variables or Redis credentials). */
  hasSecret: boolean;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const HOST_NAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Name of the container's port, which the Service and the probes target. */
export const PORT_NAME = "service";

/** The name of the Secret holding an app's secret variables. */
export const appSecretName = (name: string): string => `${name}-env`;

/** Every problem of an app's arguments, each naming the field and the fix. */
export function appFailures(name: string, args: AppShape): Failure[] {
  const failures: Failure[] = [];
  const fail = (property: string, reason: string) => failures.push({ property, reason });
  if (!DNS_LABEL.test(name)) fail("name", `"${name}" must be a DNS label (a-z, 0-9 and -, at most 63)`);
  if (!DNS_LABEL.test(args.namespace ?? "")) fail("namespace", `"${args.namespace}" must be a DNS label`);
  if (!args.image || /\s/.test(args.image))
    fail("image", `"${args.image}" is not an image: give e.g. "gristlabs/grist:1.2.1"`);
  checkWholeNumber(failures, "containerPort", args.containerPort, 1, 65535);
  if (args.containerPort === undefined)
    fail("containerPort", "is required: give the port the container listens on");
  checkWholeNumber(failures, "servicePort", args.servicePort, 1, 65535);
  checkWholeNumber(failures, "replicas", args.replicas, 1, 100);
  checkWholeNumber(failures, "maxReplicas", args.maxReplicas, 1, 100);
  const replicas = args.replicas ?? APP_DEFAULTS.replicas;
  if (args.maxReplicas !== undefined && args.maxReplicas < replicas) {
    fail(
      "maxReplicas",
      `${args.maxReplicas} is below replicas (${replicas}): give ${replicas} or more, or leave it out`,
    );
  }
  checkWholeNumber(failures, "targetCpuPercent", args.targetCpuPercent, 1, 100);
  checkWholeNumber(failures, "cpuRequestMilli", args.cpuRequestMilli, 1, 64_000);
  checkWholeNumber(failures, "memoryRequestMiB", args.memoryRequestMiB, 1, 512_000);
  checkWholeNumber(failures, "cpuLimitMilli", args.cpuLimitMilli, 1, 64_000);
  checkWholeNumber(failures, "memoryLimitMiB", args.memoryLimitMiB, 1, 512_000);
  const cpu = [
    args.cpuRequestMilli ?? APP_DEFAULTS.cpuRequestMilli,
    args.cpuLimitMilli ?? APP_DEFAULTS.cpuLimitMilli,
  ];
  if (cpu[1] < cpu[0])
    fail(
      "cpuLimitMilli",
      `${cpu[1]} is below the request (${cpu[0]}): raise the limit or lower cpuRequestMilli`,
    );
  const memory = [
    args.memoryRequestMiB ?? APP_DEFAULTS.memoryRequestMiB,
    args.memoryLimitMiB ?? APP_DEFAULTS.memoryLimitMiB,
  ];
  if (memory[1] < memory[0]) {
    fail(
      "memoryLimitMiB",
      `${memory[1]} is below the request (${memory[0]}): raise the limit or lower memoryRequestMiB`,
    );
  }
  if (args.probe !== undefined && !PROBE_KINDS.includes(args.probe)) {
    fail("probe", `"${args.probe}" is not allowed; use ${PROBE_KINDS.join(", ")}`);
  }
  if (args.healthPath !== undefined && !args.healthPath.startsWith("/")) {
    fail("healthPath", `"${args.healthPath}" must start with "/"`);
  }
  if (args.host !== undefined && !HOST_NAME.test(args.host))
    fail("host", `"${args.host}" is not a host name`);
  for (const key of [...Object.keys(args.env ?? {}), ...(args.secretEnvNames ?? [])]) {
    if (!ENV_NAME.test(key))
      fail("env", `"${key}" is not a variable name: letters, digits and _, not first a digit`);
  }
  const both = (args.secretEnvNames ?? []).filter((key) => key in (args.env ?? {}));
  if (both.length > 0) fail("secretEnvNames", `${both.join(", ")} also in env: give each variable once`);
  if (args.redisName !== undefined && !DNS_LABEL.test(args.redisName)) {
    fail("redisName", `"${args.redisName}" must be the name of a SharedRedis (a DNS label)`);
  }
  checkWholeNumber(failures, "runAsUser", args.runAsUser, 0, 2_147_483_647);
  if (args.runAsUser === 0 && !args.allowRoot)
    fail("runAsUser", "0 is root: set allowRoot: true as well if the image really needs it");
  for (const p of args.writablePaths ?? []) {
    if (!p.startsWith("/")) fail("writablePaths", `"${p}" must be an absolute path`);
  }
  for (const c of args.addCapabilities ?? []) {
    if (!/^[A-Z_]+$/.test(c))
      fail("addCapabilities", `"${c}" is not a capability name such as NET_BIND_SERVICE`);
  }
  return failures;
}

type PodSpec = k8s.types.input.core.v1.PodSpec;
type Container = k8s.types.input.core.v1.Container;
type Probe = k8s.types.input.core.v1.Probe;

function probeOf(args: AppShape): Probe | undefined {
  const kind = args.probe ?? APP_DEFAULTS.probe;
  if (kind === "none") return undefined;
  const check =
    kind === "http"
      ? { httpGet: { path: args.healthPath ?? APP_DEFAULTS.healthPath, port: PORT_NAME } }
      : { tcpSocket: { port: PORT_NAME } };
  return check;
}

/** Decides an app's objects; fails listing every problem of its arguments. */
export function planApp(name: string, args: AppShape): AppPlan {
  assertValid(`App ${name}`, appFailures(name, args));
  const selector = { [APP_LABEL]: name };
  const labels = { ...selector, [MANAGED_BY_LABEL]: "socle" };
  const podLabels = args.redisName ? { ...labels, [redisClientLabel(args.redisName)]: "client" } : labels;
  const replicas = args.replicas ?? APP_DEFAULTS.replicas;
  const autoscaled = args.maxReplicas !== undefined && args.maxReplicas > replicas;
  const writablePaths = args.writableRootFilesystem
    ? []
    : (args.writablePaths ?? [...APP_DEFAULTS.writablePaths]);
  const volumes = writablePaths.map((_, i) => ({ name: `writable-${i}`, emptyDir: {} }));
  const probe = probeOf(args);
  const hasSecret = (args.secretEnvNames ?? []).length > 0 || args.redisName !== undefined;
  const env = Object.entries(args.env ?? {}).map(([key, value]) => ({ name: key, value }));

  const container: Container = {
    name,
    image: args.image,
    ...(args.args ? { args: args.args } : {}),
    ports: [{ name: PORT_NAME, containerPort: args.containerPort }],
    env,
    envFrom: hasSecret ? [{ secretRef: { name: appSecretName(name) } }] : [],
    resources: {
      requests: {
        cpu: `${args.cpuRequestMilli ?? APP_DEFAULTS.cpuRequestMilli}m`,
        memory: `${args.memoryRequestMiB ?? APP_DEFAULTS.memoryRequestMiB}Mi`,
      },
      limits: {
        cpu: `${args.cpuLimitMilli ?? APP_DEFAULTS.cpuLimitMilli}m`,
        memory: `${args.memoryLimitMiB ?? APP_DEFAULTS.memoryLimitMiB}Mi`,
      },
    },
    securityContext: {
      runAsNonRoot: !args.allowRoot,
      allowPrivilegeEscalation: args.allowPrivilegeEscalation ?? false,
      readOnlyRootFilesystem: !args.writableRootFilesystem,
      capabilities: { drop: ["ALL"], add: args.addCapabilities ?? [] },
    },
    volumeMounts: writablePaths.map((mountPath, i) => ({ name: `writable-${i}`, mountPath })),
  };
  if (probe) {
    container.readinessProbe = { ...probe, periodSeconds: 10 };
    container.livenessProbe = { ...probe, periodSeconds: 20, failureThreshold: 3 };
  }
  return {
    labels,
    selector,
    replicas: autoscaled ? undefined : replicas,
    podSpec: {
      serviceAccountName: name,
      automountServiceAccountToken: args.mountServiceAccountToken ?? false,
      securityContext: {
        runAsUser: args.runAsUser ?? APP_DEFAULTS.runAsUser,
        runAsGroup: args.runAsUser ?? APP_DEFAULTS.runAsUser,
        fsGroup: args.runAsUser ?? APP_DEFAULTS.runAsUser,
        runAsNonRoot: !args.allowRoot,
        seccompProfile: { type: "RuntimeDefault" },
      },
      containers: [container],
      volumes,
    },
    podLabels,
    servicePort: args.servicePort ?? APP_DEFAULTS.servicePort,
    containerPort: args.containerPort,
    autoscaler: autoscaled
      ? {
          minReplicas: replicas,
          maxReplicas: args.maxReplicas as number,
          targetCpuPercent: args.targetCpuPercent ?? APP_DEFAULTS.targetCpuPercent,
        }
      : null,
    minAvailable: replicas >= 2 ? replicas - 1 : null,
    ingress: args.host ? { host: args.host, className: args.ingressClassName } : null,
    hasSecret,
  };
}
