// One service in one container, with the platform's secure defaults:
// Deployment, Service, its own service account (no token mounted), probes,
// requests and limits, non-root, read-only root filesystem, no privilege
// escalation, and when asked an Ingress, an autoscaler, a disruption budget
// and the credentials of a shared Redis. planApp decides; App only wires.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { planApp, appSecretName, PORT_NAME, type AppShape } from "./appPlan";
import { KUBERNETES_TYPES, REDIS_DEFAULTS } from "./contract";

/** Arguments of {@link App}. */
export interface AppArgs extends AppShape {
  /** Secret environment variables (values kept as Pulumi secrets, given through a Kubernetes Secret). @default none */
  secretEnv?: Record<string, pulumi.Input<string>>;
  /** Where the shared Redis answers, from SharedRedis's `host` output. @default none (needs `redisName`) */
  redisHost?: pulumi.Input<string>;
  /** The shared Redis's password, from SharedRedis's `password` output (a secret). @default none (needs `redisName`) */
  redisPassword?: pulumi.Input<string>;
  /** Wait for the Ingress controller to give the Ingress an address; false where none runs (a lab). @default true */
  awaitIngressAddress?: boolean;
}

/**
 * One application container with secure defaults (see {@link AppShape} for each
 * default and its escape hatch). Give the Kubernetes provider through the options.
 */
export class App extends pulumi.ComponentResource {
  /** Name of the app's Service (and Deployment, service account). */
  readonly serviceName: pulumi.Output<string>;
  /** In-cluster address of the Service, `<name>.<namespace>.svc`. */
  readonly serviceHost: pulumi.Output<string>;

  constructor(name: string, args: AppArgs, opts?: pulumi.ComponentResourceOptions) {
    super(KUBERNETES_TYPES.app, name, {}, opts);
    const secretEnvNames = [...(args.secretEnvNames ?? []), ...Object.keys(args.secretEnv ?? {})];
    const plan = planApp(name, { ...args, secretEnvNames });
    if (args.redisName !== undefined && (args.redisHost === undefined || args.redisPassword === undefined)) {
      throw new Error(
        `App ${name}: redisName: give redisHost and redisPassword too (SharedRedis's host and password)`,
      );
    }
    const child = { parent: this };
    const metadata = { name, namespace: args.namespace, labels: plan.labels };

    const account = new k8s.core.v1.ServiceAccount(
      `${name}-sa`,
      { metadata, automountServiceAccountToken: args.mountServiceAccountToken ?? false },
      child,
    );
    const dependsOn: pulumi.Resource[] = [account];
    if (plan.hasSecret) {
      const values: Record<string, pulumi.Input<string>> = { ...(args.secretEnv ?? {}) };
      if (args.redisName !== undefined) {
        values.REDIS_HOST = args.redisHost as pulumi.Input<string>;
        values.REDIS_PORT = String(REDIS_DEFAULTS.port);
        values.REDIS_PASSWORD = args.redisPassword as pulumi.Input<string>;
      }
      const secret = new k8s.core.v1.Secret(
        `${name}-env`,
        {
          metadata: { ...metadata, name: appSecretName(name) },
          type: "Opaque",
          stringData: pulumi.secret(pulumi.output(values)),
        },
        child,
      );
      dependsOn.push(secret);
    }
    const deployment = new k8s.apps.v1.Deployment(
      name,
      {
        metadata,
        spec: {
          replicas: plan.replicas,
          selector: { matchLabels: plan.selector },
          strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
          template: { metadata: { labels: plan.podLabels }, spec: plan.podSpec },
        },
      },
      { ...child, dependsOn },
    );
    const service = new k8s.core.v1.Service(
      `${name}-svc`,
      {
        metadata,
        spec: {
          selector: plan.selector,
          ports: [{ name: PORT_NAME, port: plan.servicePort, targetPort: PORT_NAME }],
        },
      },
      child,
    );
    if (plan.autoscaler) {
      new k8s.autoscaling.v2.HorizontalPodAutoscaler(
        `${name}-hpa`,
        {
          metadata,
          spec: {
            scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deployment.metadata.name },
            minReplicas: plan.autoscaler.minReplicas,
            maxReplicas: plan.autoscaler.maxReplicas,
            metrics: [
              {
                type: "Resource",
                resource: {
                  name: "cpu",
                  target: { type: "Utilization", averageUtilization: plan.autoscaler.targetCpuPercent },
                },
              },
            ],
          },
        },
        child,
      );
    }
    if (plan.minAvailable !== null) {
      new k8s.policy.v1.PodDisruptionBudget(
        `${name}-pdb`,
        { metadata, spec: { minAvailable: plan.minAvailable, selector: { matchLabels: plan.selector } } },
        child,
      );
    }
    if (plan.ingress) {
      const skipAwait = args.awaitIngressAddress === false ? { "pulumi.com/skipAwait": "true" } : undefined;
      new k8s.networking.v1.Ingress(
        `${name}-ingress`,
        {
          metadata: { ...metadata, annotations: skipAwait },
          spec: {
            ingressClassName: plan.ingress.className,
            rules: [
              {
                host: plan.ingress.host,
                http: {
                  paths: [
                    {
                      path: "/",
                      pathType: "Prefix",
                      backend: { service: { name: service.metadata.name, port: { name: PORT_NAME } } },
                    },
                  ],
                },
              },
            ],
          },
        },
        child,
      );
    }
    this.serviceName = service.metadata.name;
    this.serviceHost = pulumi.interpolate`${service.metadata.name}.${service.metadata.namespace}.svc`;
    this.registerOutputs({ serviceName: this.serviceName, serviceHost: this.serviceHost });
  }
}
