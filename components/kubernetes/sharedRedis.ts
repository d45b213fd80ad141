// One generic Redis that several apps share (one service per container,
// instead of a Redis baked into each app's image): an App running the Redis
// image with a password from a Pulumi secret, and a NetworkPolicy that admits
// only the pods of the apps that reference it (App with `redisName`).
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { GeneratedPassword } from "../../providers/secrets/resources";
import { App } from "./app";
import { APP_LABEL, KUBERNETES_TYPES, MANAGED_BY_LABEL, REDIS_DEFAULTS, redisClientLabel } from "./contract";

/** Arguments of {@link SharedRedis}. */
export interface SharedRedisArgs {
  /** Namespace Redis runs in, e.g. "plateforme". */
  namespace: string;
  /** Password clients give (AUTH); kept as a Pulumi secret. @default a 32-character password is generated */
  password?: pulumi.Input<string>;
  /** Redis container image. @default "redis:7.4-alpine" */
  image?: string;
  /** Memory limit of the Redis pod, in MiB (Redis keeps its data in memory). @default 256 */
  memoryLimitMiB?: number;
}

/** What the NetworkPolicy of a shared Redis admits: pods carrying its client label, from any namespace. */
export function redisPolicySpec(name: string): k8s.types.input.networking.v1.NetworkPolicySpec {
  return {
    podSelector: { matchLabels: { [APP_LABEL]: name } },
    policyTypes: ["Ingress"],
    ingress: [
      {
        from: [
          { namespaceSelector: {}, podSelector: { matchLabels: { [redisClientLabel(name)]: "client" } } },
        ],
        ports: [{ protocol: "TCP", port: REDIS_DEFAULTS.port }],
      },
    ],
  };
}

/**
 * A Redis shared by several apps. Give apps `redisName: <name>`, `redisHost:
 * redis.host` and `redisPassword: redis.password`: they get the client label the
 * policy admits and REDIS_HOST, REDIS_PORT, REDIS_PASSWORD from their own Secret.
 */
export class SharedRedis extends pulumi.ComponentResource {
  /** In-cluster host name of Redis, `<name>.<namespace>.svc`. */
  readonly host: pulumi.Output<string>;
  /** The password (secret). */
  readonly password: pulumi.Output<string>;

  constructor(name: string, args: SharedRedisArgs, opts?: pulumi.ComponentResourceOptions) {
    super(KUBERNETES_TYPES.sharedRedis, name, {}, opts);
    const child = { parent: this };
    const password =
      args.password !== undefined
        ? pulumi.secret(args.password)
        : new GeneratedPassword(`${name}-password`, { length: 32 }, child).result;
    const server = new App(
      name,
      {
        namespace: args.namespace,
        image: args.image ?? REDIS_DEFAULTS.image,
        containerPort: REDIS_DEFAULTS.port,
        servicePort: REDIS_DEFAULTS.port,
        args: ["--requirepass", "$(REDIS_PASSWORD)", "--dir", "/data", "--save", ""],
        replicas: 1,
        probe: "tcp",
        runAsUser: REDIS_DEFAULTS.runAsUser,
        writablePaths: ["/data"],
        cpuRequestMilli: REDIS_DEFAULTS.cpuRequestMilli,
        memoryRequestMiB: REDIS_DEFAULTS.memoryRequestMiB,
        memoryLimitMiB: args.memoryLimitMiB ?? REDIS_DEFAULTS.memoryLimitMiB,
        secretEnv: { REDIS_PASSWORD: password },
      },
      child,
    );
    new k8s.networking.v1.NetworkPolicy(
      `${name}-clients`,
      {
        metadata: {
          name: `${name}-clients-only`,
          namespace: args.namespace,
          labels: { [APP_LABEL]: name, [MANAGED_BY_LABEL]: "socle" },
        },
        spec: redisPolicySpec(name),
      },
      child,
    );
    this.host = server.serviceHost;
    this.password = pulumi.secret(password);
    this.registerOutputs({ host: this.host, password: this.password });
  }
}
