// ClusterBackups wired under Pulumi mocks: the store's keys travel only as a
// secret, in a Secret of the component's that the chart is pointed at (never
// in the chart's values), and the chart is the pinned upstream one unless a
// local folder is given. The real proof is test/lab/kubernetes-backups.test.ts.
import { beforeAll, describe, expect, it } from "vitest";
import { ClusterBackups } from "../../../components/kubernetes";
import { installMocks, runProgram, type Recorder } from "../openstack/mocks";

const T = {
  secret: "kubernetes:core/v1:Secret",
  namespace: "kubernetes:core/v1:Namespace",
  chart: "kubernetes:helm.sh/v4:Chart",
};

describe("ClusterBackups under mocks", () => {
  let rec: Recorder;
  beforeAll(async () => {
    rec = await installMocks();
    await runProgram(rec, () => {
      new ClusterBackups("backups", {
        bucket: "cd49-backups",
        s3Url: "https://s3.cd49.fr",
        accessKeyId: "AKID-mock",
        secretAccessKey: "s3cret-key",
        teams: [{ namespace: "grist" }, { namespace: "joplin" }],
      });
    });
  });

  it("keeps the keys in its own Secret, as a secret, in the AWS plugin's credentials format", () => {
    const credentials = rec.one(T.secret, "backups-credentials");
    expect(credentials.secretInputs).toContain("stringData");
    expect(credentials.inputs).toMatchObject({
      metadata: { name: "velero-s3-credentials", namespace: "velero" },
      stringData: { cloud: "[default]\naws_access_key_id=AKID-mock\naws_secret_access_key=s3cret-key\n" },
    });
  });

  it("installs the pinned upstream chart with a Schedule per team and no key in its values", () => {
    expect(rec.one(T.namespace, "backups-ns").inputs).toMatchObject({ metadata: { name: "velero" } });
    const chart = rec.one(T.chart, "backups-chart").inputs;
    expect(chart).toMatchObject({
      chart: "velero",
      repositoryOpts: { repo: "https://vmware-tanzu.github.io/helm-charts" },
      version: "12.2.1",
      namespace: "velero",
      values: { credentials: { existingSecret: "velero-s3-credentials" } },
    });
    expect(Object.keys((chart.values as { schedules: object }).schedules)).toEqual([
      "grist-nightly",
      "joplin-nightly",
    ]);
    expect(JSON.stringify(chart)).not.toContain("s3cret-key");
  });

  it("refuses bad arguments at construction, naming the field", () => {
    expect(
      () => new ClusterBackups("bad", { bucket: "b", accessKeyId: "a", secretAccessKey: "s", teams: [] }),
    ).toThrow(/bucket[\s\S]*teams|teams[\s\S]*bucket/);
  });
});
