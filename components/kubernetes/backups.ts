// Cluster backups with Velero, installed from its Helm chart: one backup
// storage location on an S3-compatible store, whose keys stay Pulumi secrets
// (a Secret made here, never chart values), and one Schedule per team
// namespace (planSchedules). Whether a backup restores is checked by
// ops/backup/verifyRestore.ts, not assumed.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { assertValid } from "../../providers/switch/validation";
import {
  BACKUP_CREDENTIALS_SECRET,
  backupFailures,
  credentialsFile,
  VELERO_CHART,
  veleroChartValues,
  type TeamBackup,
} from "./backupPlan";
import { chartSource, KUBERNETES_TYPES, MANAGED_BY_LABEL } from "./contract";

/** Arguments of {@link ClusterBackups}. */
export interface ClusterBackupsArgs {
  /** Namespace of Velero; created here. @default "velero" */
  namespace?: string;
  /** Bucket of the S3-compatible store backups go to; it must exist. */
  bucket: string;
  /** Folder in the bucket, so one bucket can serve several clusters. @default none */
  prefix?: string;
  /** URL of an S3-compatible store (MinIO, Ceph RGW, ...); leave out for AWS S3 itself. @default AWS S3 */
  s3Url?: string;
  /** Region of the store (any name for MinIO and the like). @default "us-east-1" */
  region?: string;
  /** Access key id of the store, kept as a Pulumi secret. */
  accessKeyId: pulumi.Input<string>;
  /** Secret access key of the store, kept as a Pulumi secret. */
  secretAccessKey: pulumi.Input<string>;
  /** The team namespaces backed up, one Schedule each. */
  teams: TeamBackup[];
  /** Hours a backup is kept when a team does not say. @default 720 (30 days) */
  ttlHours?: number;
  /** Chart: a local chart folder, used instead of the repository when set. @default the upstream chart from `chartRepository` */
  chartPath?: string;
  /** Chart repository. @default "https://vmware-tanzu.github.io/helm-charts" */
  chartRepository?: string;
  /** Chart version. @default "12.2.1" */
  chartVersion?: string;
}

/**
 * Velero from its chart (see `veleroChartValues`): its namespace, the store's
 * credentials as a Secret fed from Pulumi secrets, the storage location and a
 * nightly Schedule per team namespace.
 */
export class ClusterBackups extends pulumi.ComponentResource {
  /** Namespace of Velero. */
  readonly namespaceName: pulumi.Output<string>;
  /** Names of the Schedules, one per team namespace. */
  readonly scheduleNames: string[];

  constructor(name: string, args: ClusterBackupsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(KUBERNETES_TYPES.clusterBackups, name, {}, opts);
    assertValid(`ClusterBackups ${name}`, backupFailures(args));
    const child = { parent: this };
    const labels = { [MANAGED_BY_LABEL]: "socle", "app.kubernetes.io/name": "velero" };
    const namespace = new k8s.core.v1.Namespace(
      `${name}-ns`,
      { metadata: { name: args.namespace ?? "velero", labels } },
      child,
    );
    const cloud = pulumi
      .all([args.accessKeyId, args.secretAccessKey])
      .apply(([id, key]) => credentialsFile(id, key));
    const credentials = new k8s.core.v1.Secret(
      `${name}-credentials`,
      {
        metadata: { name: BACKUP_CREDENTIALS_SECRET, namespace: namespace.metadata.name, labels },
        type: "Opaque",
        stringData: { cloud: pulumi.secret(cloud) },
      },
      child,
    );
    const values = veleroChartValues(args);
    new k8s.helm.v4.Chart(
      `${name}-chart`,
      { ...chartSource(args, VELERO_CHART), namespace: namespace.metadata.name, values },
      { ...child, dependsOn: [credentials] },
    );
    this.namespaceName = namespace.metadata.name;
    this.scheduleNames = Object.keys(values.schedules);
    this.registerOutputs({ namespaceName: this.namespaceName, scheduleNames: this.scheduleNames });
  }
}
