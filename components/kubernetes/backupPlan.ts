// What ClusterBackups installs, decided from its args without Pulumi: the
// checks (each naming the field and the fix), one Velero Schedule per team
// namespace, and the values of Velero's chart. Table-tested on its own.
import type { Failure } from "../../providers/switch/validation";
import { checkWholeNumber } from "./contract";

/** Where the upstream chart lives and the version socle was written against (its Velero is 1.18). */
export const VELERO_CHART = {
  /** Chart name. */
  name: "velero",
  /** Upstream chart repository. */
  repository: "https://vmware-tanzu.github.io/helm-charts",
  /** Chart version. */
  version: "12.2.1",
} as const;

/** Images the chart runs: Velero and its AWS (S3) object-store plugin, the versions socle builds in its lab. */
export const VELERO_IMAGES = {
  /** Velero's server. */
  velero: "velero/velero:v1.18.3",
  /** The S3 object-store plugin, copied into the server's plugin folder by an init container. */
  awsPlugin: "velero/velero-plugin-for-aws:v1.14.3",
} as const;

/** One team namespace to back up, and when. */
export interface TeamBackup {
  /** The namespace, e.g. "grist". */
  namespace: string;
  /** Cron schedule (5 fields, the Velero server's time zone). @default a nightly time between 01:00 and 04:50, staggered per team */
  schedule?: string;
  /** Hours a backup is kept before Velero deletes it. @default the component's `ttlHours` */
  ttlHours?: number;
}

/** The part of {@link ClusterBackupsArgs} the plan reads. */
export interface BackupPlanArgs {
  /** Namespace of Velero. @default "velero" */
  namespace?: string;
  /** Bucket of the S3-compatible store backups go to. */
  bucket: string;
  /** Folder in the bucket, so one bucket can serve several clusters. @default none */
  prefix?: string;
  /** URL of an S3-compatible store (MinIO, Ceph RGW, ...); leave out for AWS S3 itself. @default AWS S3 */
  s3Url?: string;
  /** Region of the store (any name for MinIO and the like). @default "us-east-1" */
  region?: string;
  /** The namespaces backed up, one Schedule each. */
  teams: TeamBackup[];
  /** Hours a backup is kept when a team does not say. @default 720 (30 days) */
  ttlHours?: number;
}

/** A velero.io/v1 Schedule's content, as the chart's `schedules` value takes it. */
export interface PlannedSchedule {
  /** Cron schedule. */
  schedule: string;
  /** Backups made by the schedule keep no owner reference to it, so deleting a schedule keeps its backups. */
  useOwnerReferencesInBackup: boolean;
  /** The Backup each run makes. */
  template: {
    /** The one namespace backed up. */
    includedNamespaces: string[];
    /** Velero's duration, e.g. "720h0m0s". */
    ttl: string;
    /** The backup storage location. */
    storageLocation: string;
    /** Objects only: volumes need snapshots or a node agent, which this platform does not set up. */
    snapshotVolumes: boolean;
  };
  /** Labels of the Schedule. */
  labels: Record<string, string>;
}

/** Name of the credentials Secret ClusterBackups makes in Velero's namespace (key `cloud`). */
export const BACKUP_CREDENTIALS_SECRET = "velero-s3-credentials";
/** Name of the backup storage location. */
export const BACKUP_LOCATION = "default";

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
// Minute, hour, day of month, month, day of week: each a number, range, list, step or *.
const CRON_FIELD = /^(\*|\d+(-\d+)?)(\/\d+)?(,(\*|\d+(-\d+)?)(\/\d+)?)*$/;

/** Every problem of the args, each naming the field and the fix. */
export function backupFailures(args: BackupPlanArgs): Failure[] {
  const failures: Failure[] = [];
  if (!args.bucket || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(args.bucket)) {
    failures.push({
      property: "bucket",
      reason: `"${args.bucket ?? ""}" is not a bucket name: 3-63 lower-case letters, digits, dots and -`,
    });
  }
  if (args.s3Url !== undefined && !/^https?:\/\/[^\s/]+/.test(args.s3Url)) {
    failures.push({
      property: "s3Url",
      reason: `"${args.s3Url}" is not a URL: give e.g. "https://s3.cd49.fr"`,
    });
  }
  checkWholeNumber(failures, "ttlHours", args.ttlHours, 1, 8760);
  if (!args.teams || args.teams.length === 0) {
    failures.push({ property: "teams", reason: "no namespace to back up: list the team namespaces" });
  }
  const seen = new Set<string>();
  (args.teams ?? []).forEach((team, i) => {
    const field = `teams[${i}]`;
    if (!DNS_LABEL.test(team.namespace ?? "")) {
      failures.push({
        property: `${field}.namespace`,
        reason: `"${team.namespace}" is not a namespace name (DNS label)`,
      });
    } else if (seen.has(team.namespace)) {
      failures.push({
        property: `${field}.namespace`,
        reason: `"${team.namespace}" is listed twice: keep one`,
      });
    }
    seen.add(team.namespace);
    if (team.schedule !== undefined) {
      const fields = team.schedule.trim().split(/\s+/);
      if (fields.length !== 5 || !fields.every((f) => CRON_FIELD.test(f))) {
        failures.push({
          property: `${field}.schedule`,
          reason: `"${team.schedule}" is not a 5-field cron schedule: give e.g. "30 2 * * *" (02:30 every night)`,
        });
      }
    }
    checkWholeNumber(failures, `${field}.ttlHours`, team.ttlHours, 1, 8760);
  });
  return failures;
}

/** The nightly default of the i-th team: ten minutes apart from 01:00, so backups do not all start at once. */
export function staggeredSchedule(index: number): string {
  const minutes = (index * 10) % 240; // 01:00 to 04:50, then round again
  return `${minutes % 60} ${1 + Math.floor(minutes / 60)} * * *`;
}

/** One Schedule per team namespace, keyed by its name `<namespace>-nightly`. */
export function planSchedules(args: BackupPlanArgs): Record<string, PlannedSchedule> {
  const schedules: Record<string, PlannedSchedule> = {};
  args.teams.forEach((team, i) => {
    schedules[`${team.namespace}-nightly`] = {
      schedule: team.schedule ?? staggeredSchedule(i),
      useOwnerReferencesInBackup: false,
      template: {
        includedNamespaces: [team.namespace],
        ttl: `${team.ttlHours ?? args.ttlHours ?? 720}h0m0s`,
        storageLocation: BACKUP_LOCATION,
        snapshotVolumes: false,
      },
      labels: { "app.kubernetes.io/managed-by": "socle", "socle.io/backup-of": team.namespace },
    };
  });
  return schedules;
}

/** The backup storage location's `config` for the AWS plugin (S3 and S3-compatible stores). */
export function locationConfig(args: BackupPlanArgs): Record<string, string> {
  const config: Record<string, string> = { region: args.region ?? "us-east-1" };
  if (args.s3Url) {
    // S3-compatible stores want bucket/key paths rather than bucket host names.
    config.s3Url = args.s3Url;
    config.s3ForcePathStyle = "true";
  }
  return config;
}

/**
 * The chart's values: one storage location with the credentials Secret made by
 * the component, the Schedules, no volume snapshots and no node agent.
 * @internal the component's wiring, exported for its tests
 */
export function veleroChartValues(args: BackupPlanArgs) {
  const [veleroRepo, veleroTag] = VELERO_IMAGES.velero.split(":");
  return {
    // Velero looks its own Deployment up by the name "velero" (to restore pods), whatever the release is called.
    fullnameOverride: "velero",
    image: { repository: veleroRepo, tag: veleroTag },
    initContainers: [
      {
        name: "velero-plugin-for-aws",
        image: VELERO_IMAGES.awsPlugin,
        volumeMounts: [{ mountPath: "/target", name: "plugins" }],
      },
    ],
    credentials: { useSecret: true, existingSecret: BACKUP_CREDENTIALS_SECRET },
    configuration: {
      backupStorageLocation: [
        {
          name: BACKUP_LOCATION,
          provider: "aws",
          bucket: args.bucket,
          ...(args.prefix ? { prefix: args.prefix } : {}),
          default: true,
          credential: { name: BACKUP_CREDENTIALS_SECRET, key: "cloud" },
          config: locationConfig(args),
        },
      ],
      volumeSnapshotLocation: [],
    },
    snapshotsEnabled: false,
    deployNodeAgent: false,
    schedules: planSchedules(args),
  };
}

/** The AWS plugin's credentials file (the Secret's `cloud` key) for one access key. */
export function credentialsFile(accessKeyId: string, secretAccessKey: string): string {
  return `[default]\naws_access_key_id=${accessKeyId}\naws_secret_access_key=${secretAccessKey}\n`;
}
