// The contract of socle's Kubernetes components, written once: type tokens,
// labels, the secure defaults a workload gets and the values allowed. Plans,
// components, the component package and the tests import it from here.
import type { Failure } from "../../providers/switch/validation";

/** Type tokens (they decide URNs: treat them as a public API). */
export const KUBERNETES_TYPES = {
  teamNamespace: "socle:kubernetes:TeamNamespace",
  app: "socle:kubernetes:App",
  sharedRedis: "socle:kubernetes:SharedRedis",
  gitlabRunner: "socle:kubernetes:GitLabRunner",
  vulnerabilityScanner: "socle:kubernetes:VulnerabilityScanner",
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
  replicas: 2,
  /** A user id with no account in the image: never root. */
  runAsUser: 10001,
  cpuRequestMilli: 100,
  memoryRequestMiB: 128,
  cpuLimitMilli: 500,
  memoryLimitMiB: 256,
  probe: "http",
  healthPath: "/",
  targetCpuPercent: 70,
  writablePaths: ["/tmp"],
  servicePort: 80,
} as const;

/** The Redis server the shared Redis runs (the container image's own user, uid 999). */
export const REDIS_DEFAULTS = {
  image: "redis:7.4-alpine",
  port: 6379,
  runAsUser: 999,
  cpuRequestMilli: 100,
  memoryRequestMiB: 128,
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
