// ClusterBackups' decisions as plain functions: one Schedule per team
// namespace, staggered, kept for the TTL asked; the storage location for an
// S3-compatible store; every bad argument named with its fix.
import { describe, expect, it } from "vitest";
import {
  backupFailures,
  credentialsFile,
  locationConfig,
  planSchedules,
  staggeredSchedule,
  veleroChartValues,
  type BackupPlanArgs,
} from "../../../components/kubernetes";

const base: BackupPlanArgs = {
  bucket: "cd49-backups",
  teams: [{ namespace: "grist" }, { namespace: "joplin" }],
};

describe("ClusterBackups plan", () => {
  it.each([
    [0, "0 1 * * *"],
    [1, "10 1 * * *"],
    [6, "0 2 * * *"],
    [23, "50 4 * * *"],
    [24, "0 1 * * *"],
  ])("team %i backs up at %s by default (ten minutes apart from 01:00)", (index, cron) => {
    expect(staggeredSchedule(index)).toBe(cron);
  });

  it("makes one Schedule per team namespace, backing up that namespace only, objects only", () => {
    const schedules = planSchedules({
      ...base,
      ttlHours: 168,
      teams: [{ namespace: "grist", schedule: "30 22 * * 1-5", ttlHours: 48 }, { namespace: "joplin" }],
    });
    expect(Object.keys(schedules)).toEqual(["grist-nightly", "joplin-nightly"]);
    expect(schedules["grist-nightly"]).toMatchObject({
      schedule: "30 22 * * 1-5",
      useOwnerReferencesInBackup: false,
      template: {
        includedNamespaces: ["grist"],
        ttl: "48h0m0s",
        storageLocation: "default",
        snapshotVolumes: false,
      },
      labels: { "socle.io/backup-of": "grist" },
    });
    expect(schedules["joplin-nightly"].schedule).toBe("10 1 * * *");
    expect(schedules["joplin-nightly"].template.ttl).toBe("168h0m0s");
    expect(planSchedules(base)["grist-nightly"].template.ttl).toBe("720h0m0s");
  });

  it("points the storage location at an S3-compatible store by path, or at AWS S3 without a URL", () => {
    expect(locationConfig({ ...base, s3Url: "http://127.0.0.1:9000", region: "minio" })).toEqual({
      region: "minio",
      s3Url: "http://127.0.0.1:9000",
      s3ForcePathStyle: "true",
    });
    expect(locationConfig(base)).toEqual({ region: "us-east-1" });
  });

  it("gives the chart the component's credentials Secret, never the keys, and no snapshots or node agent", () => {
    const values = veleroChartValues({ ...base, prefix: "cluster-a" });
    expect(values.credentials).toEqual({ useSecret: true, existingSecret: "velero-s3-credentials" });
    expect(values.configuration.backupStorageLocation[0]).toMatchObject({
      name: "default",
      provider: "aws",
      bucket: "cd49-backups",
      prefix: "cluster-a",
      default: true,
      credential: { name: "velero-s3-credentials", key: "cloud" },
    });
    expect(JSON.stringify(values)).not.toMatch(/aws_secret_access_key/);
    expect(values).toMatchObject({
      snapshotsEnabled: false,
      deployNodeAgent: false,
      fullnameOverride: "velero",
    });
    expect(values.initContainers[0].image).toBe("velero/velero-plugin-for-aws:v1.14.3");
    expect(credentialsFile("AK", "SK")).toBe("[default]\naws_access_key_id=AK\naws_secret_access_key=SK\n");
  });

  it.each<[string, Partial<BackupPlanArgs>, string, RegExp]>([
    ["a bucket with capitals", { bucket: "CD49" }, "bucket", /bucket name/],
    ["no team", { teams: [] }, "teams", /list the team namespaces/],
    [
      "a namespace that is no DNS label",
      { teams: [{ namespace: "Grist_1" }] },
      "teams[0].namespace",
      /DNS label/,
    ],
    ["a namespace twice", { teams: [{ namespace: "a" }, { namespace: "a" }] }, "teams[1].namespace", /twice/],
    [
      "a 6-field cron",
      { teams: [{ namespace: "a", schedule: "0 0 2 * * *" }] },
      "teams[0].schedule",
      /5-field/,
    ],
    ["a cron with words", { teams: [{ namespace: "a", schedule: "daily" }] }, "teams[0].schedule", /30 2/],
    ["a TTL of 0", { ttlHours: 0 }, "ttlHours", /whole number from 1/],
    [
      "a team TTL of 1.5",
      { teams: [{ namespace: "a", ttlHours: 1.5 }] },
      "teams[0].ttlHours",
      /whole number/,
    ],
    ["an S3 URL without scheme", { s3Url: "s3.cd49.fr" }, "s3Url", /https:\/\/s3/],
  ])("refuses %s, naming %s", (_case, change, property, reason) => {
    const failures = backupFailures({ ...base, ...change });
    expect(failures).toHaveLength(1);
    expect(failures[0].property).toBe(property);
    expect(failures[0].reason).toMatch(reason);
  });

  it("accepts cron ranges, lists and steps", () => {
    expect(backupFailures({ ...base, teams: [{ namespace: "a", schedule: "*/15 1-5 * * 1,3,5" }] })).toEqual(
      [],
    );
  });
});
