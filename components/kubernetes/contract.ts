// The contract of socle's Kubernetes components, written once: type tokens,
// labels, the secure defaults a workload gets and the values allowed. Plans,
// components, the component package and the tests import it from here.
import type { Failure } from "../../providers/switch/validation";

/** Type tokens (they decide URNs: treat them as a public API). */
export const KUBERNETES_TYPES = {
  /** {@link TeamNamespace}. */
  teamNamespace: "socle:kubernetes:TeamNamespace",
  /** {@link App}. */
  app: "socle:kubernetes:App",
  /** {@link SharedRedis}. */
  sharedRedis: "socle:kubernetes:SharedRedis",
  /** {@link GitLabRunner}. */
  gitlabRunner: "socle:kubernetes:GitLabRunner",
  /** {@link VulnerabilityScanner}. */
  vulnerabilityScanner: "socle:kubernetes:VulnerabilityScanner",
  /** {@link ClusterBackups}. */
  clusterBackups: "socle:kubernetes:ClusterBackups",
} as const;

/** Label naming the app a pod, Service or policy belongs to. */
export const APP_LABEL = "app.kubernetes.io/name";
/** Label saying which tool manages an object. */
export const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
/** Label a client pod of the shared Redis `<name>` carries; its NetworkPolicy admits only those. */
export const redisClientLabel = (redisName: string): string => `redis.socle.io/${redisName}`;

/** How a workload's health is probed. */
export const PROBE_KINDS = ["http", "tcp", "none"];

/** Defaults of an {@link AppArgs} field left out; each doc comment repeats its value. */
export const APP_DEFAULTS = {
  /** Pods when no autoscaler owns the count. */
  replicas: 2,
  /** A user id with no account in the image: never root. */
  runAsUser: 10001,
  /** CPU request, in thousandths of a core. */
  cpuRequestMilli: 100,
  /** Memory request, MiB. */
  memoryRequestMiB: 128,
  /** CPU limit, in thousandths of a core. */
  cpuLimitMilli: 500,
  /** Memory limit, MiB. */
  memoryLimitMiB: 256,
  /** Health probe kind (one of {@link PROBE_KINDS}). */
  probe: "http",
  /** Path of the HTTP health probe. */
  healthPath: "/",
  /** CPU use the autoscaler aims at, percent of the request. */
  targetCpuPercent: 70,
  /** Writable empty directories over the read-only root filesystem. */
  writablePaths: ["/tmp"],
  /** Port of the app's Service. */
  servicePort: 80,
} as const;

/** The Redis server the shared Redis runs (the container image's own user, uid 999). */
export const REDIS_DEFAULTS = {
  /** Container image. */
  image: "redis:7.4-alpine",
  /** Port Redis listens on, and its Service's. */
  port: 6379,
  /** The image's own redis user. */
  runAsUser: 999,
  /** CPU request, in thousandths of a core. */
  cpuRequestMilli: 100,
  /** Memory request, MiB. */
  memoryRequestMiB: 128,
  /** Memory limit, MiB. */
  memoryLimitMiB: 256,
} as const;

/** Adds a failure naming `field` unless `value` is absent or a whole number from `min` to `max`. */
export function checkWholeNumber(
  failures: Failure[],
  field: string,
  value: number | undefined,
  min: number,
  max: number,
): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    failures.push({
      property: field,
      reason: `${value} is not allowed: give a whole number from ${min} to ${max}`,
    });
  }
}

/** Where a platform service's Helm chart comes from, as its args say it. */
export interface ChartSourceArgs {
  /** A local chart folder, used instead of the repository when set. */
  chartPath?: string;
  /** The chart repository. */
  chartRepository?: string;
  /** The chart version. */
  chartVersion?: string;
}

/** A chart as socle pins it upstream. */
export interface PinnedChart {
  /** Chart name. */
  readonly name: string;
  /** Upstream chart repository. */
  readonly repository: string;
  /** Chart version. */
  readonly version: string;
}

/** What a Helm chart resource is given to find its chart. */
export interface ChartSource {
  /** The chart's name in its repository, or a local folder. */
  chart: string;
  /** The repository, for a chart by name. */
  repositoryOpts?: {
    /** Repository URL. */
    repo: string;
  };
  /** The version, for a chart by name. */
  version?: string;
}

/** The Helm chart's source: the local folder when given, else the upstream repository at the pinned version. */
export function chartSource(args: ChartSourceArgs, upstream: PinnedChart): ChartSource {
  if (args.chartPath) return { chart: args.chartPath };
  return {
    chart: upstream.name,
    repositoryOpts: { repo: args.chartRepository ?? upstream.repository },
    version: args.chartVersion ?? upstream.version,
  };
}
