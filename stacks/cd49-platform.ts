// The Kubernetes platform of the Maine-et-Loire department (seed 001): the
// twenty hand-run containers move to team namespaces, one service per
// container (Grist, Joplin, the iParapheur document-signing service), a
// generic shared Redis instead of one baked into each image (seed 004),
// GitLab Runner with the Kubernetes executor, vulnerability scanning, and
// nightly Velero backups of every team namespace when the stack names a store.
import * as fs from "node:fs";
import * as path from "node:path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  App,
  ClusterBackups,
  GitLabRunner,
  SharedRedis,
  TeamNamespace,
  VulnerabilityScanner,
} from "../components/kubernetes";

/** One team of the platform in the stack config. */
export interface TeamConfig {
  name: string;
  owner: string;
  editorGroup?: string;
  cpuCores?: number;
  memoryGiB?: number;
}

/** Reads the cluster's kubeconfig: the `kubeconfig` secret, else the file at `kubeconfigPath` (relative to the repository). */
function clusterKubeconfig(config: pulumi.Config): pulumi.Output<string> {
  const given = config.getSecret("kubeconfig");
  if (given) return given;
  const file = path.resolve(__dirname, "..", config.require("kubeconfigPath"));
  if (!fs.existsSync(file)) {
    throw new Error(
      `kubeconfigPath: ${file} does not exist; start the lab (./socle lab start kubernetes) or set kubeconfig`,
    );
  }
  return pulumi.secret(fs.readFileSync(file, "utf8"));
}

/** A chart folder of the repository when the config names one (no chart repository reachable), else the upstream chart. */
function chartPath(config: pulumi.Config, key: string): string | undefined {
  const relative = config.get(key);
  return relative ? path.resolve(__dirname, "..", relative) : undefined;
}

/** Declares the platform; returns the stack outputs. */
export default function cd49Platform(): Record<string, pulumi.Input<unknown>> {
  const config = new pulumi.Config();
  const cluster = new k8s.Provider("cd49", { kubeconfig: clusterKubeconfig(config) });
  const opts = { providers: { kubernetes: cluster } };
  const domain = config.get("domain") ?? "cd49.lab";
  // Where no Ingress controller runs (the lab), Ingresses get no address to wait for.
  const awaitIngressAddress = config.getBoolean("ingressController") ?? true;

  const teams = config.requireObject<TeamConfig[]>("teams");
  const spaces = Object.fromEntries(teams.map((t) => [t.name, new TeamNamespace(t.name, t, opts)]));
  const namespaceOf = (team: string): string => {
    if (!spaces[team])
      throw new Error(`teams: no team "${team}"; the apps need it (have: ${Object.keys(spaces).join(", ")})`);
    return team;
  };
  const inTeam = (team: string) => ({ ...opts, dependsOn: [spaces[namespaceOf(team)]] });

  const redis = new SharedRedis("cache", { namespace: namespaceOf("plateforme") }, inTeam("plateforme"));
  const redisClient = { redisName: "cache", redisHost: redis.host, redisPassword: redis.password };

  const grist = new App(
    "grist",
    {
      namespace: namespaceOf("collaboratif"),
      image: config.get("gristImage") ?? "gristlabs/grist:1.2.1",
      containerPort: 8484,
      healthPath: "/status",
      replicas: 2,
      maxReplicas: 4,
      host: `grist.${domain}`,
      awaitIngressAddress,
      env: { APP_HOME_URL: `https://grist.${domain}` },
      secretEnv: { GRIST_SESSION_SECRET: config.requireSecret("gristSessionSecret") },
      ...redisClient,
    },
    inTeam("collaboratif"),
  );
  const joplin = new App(
    "joplin",
    {
      namespace: namespaceOf("collaboratif"),
      image: "joplin/server:3.0.1-beta",
      containerPort: 22300,
      healthPath: "/api/ping",
      replicas: 1,
      host: `joplin.${domain}`,
      awaitIngressAddress,
      env: { APP_BASE_URL: `https://joplin.${domain}`, APP_PORT: "22300" },
    },
    inTeam("collaboratif"),
  );
  const parapheur = new App(
    "iparapheur",
    {
      namespace: namespaceOf("parapheur"),
      image: "libriciel/iparapheur-core:5.1.0",
      containerPort: 8080,
      healthPath: "/actuator/health",
      replicas: 2,
      memoryRequestMiB: 512,
      memoryLimitMiB: 1024,
      host: `parapheur.${domain}`,
      awaitIngressAddress,
      ...redisClient,
    },
    inTeam("parapheur"),
  );

  const runner = new GitLabRunner(
    "runner",
    {
      gitlabUrl: config.get("gitlabUrl") ?? "https://gitlab.cd49.lab",
      runnerToken: config.requireSecret("runnerToken"),
      chartPath: chartPath(config, "gitlabRunnerChartPath"),
    },
    opts,
  );
  const scanner = new VulnerabilityScanner(
    "scanner",
    {
      installChart: config.getBoolean("installScanner") ?? true,
      chartPath: chartPath(config, "trivyChartPath"),
    },
    opts,
  );

  // Velero, when the config names the S3 store (`backups: {bucket, s3Url, region}`
  // and the secrets backupAccessKeyId, backupSecretAccessKey): one Schedule per
  // team. Not in the lab stack: its Velero server runs only beside the backups
  // test (test/lab/kubernetes-backups.test.ts), which installs ClusterBackups itself.
  const store = config.getObject<{ bucket: string; s3Url?: string; region?: string; prefix?: string }>(
    "backups",
  );
  const backups =
    store &&
    new ClusterBackups(
      "backups",
      {
        ...store,
        accessKeyId: config.requireSecret("backupAccessKeyId"),
        secretAccessKey: config.requireSecret("backupSecretAccessKey"),
        teams: teams.map((t) => ({ namespace: t.name })),
        chartPath: chartPath(config, "veleroChartPath"),
      },
      { ...opts, dependsOn: Object.values(spaces) },
    );

  return {
    ...(backups ? { backupSchedules: backups.scheduleNames } : {}),
    namespaces: Object.values(spaces).map((s) => s.namespaceName),
    services: { grist: grist.serviceHost, joplin: joplin.serviceHost, iparapheur: parapheur.serviceHost },
    redisHost: redis.host,
    runnerNamespace: runner.namespaceName,
    runnerServiceAccount: runner.serviceAccountName,
    scannerNamespace: scanner.namespaceName,
  };
}
