// Two team namespaces and Velero's backups of them (ClusterBackups) in the
// Kubernetes lab, its chart from the lab's local stand-in and its store the
// lab's S3 store. The test copies this program to a temporary directory, so
// socle is loaded from the repository path given in config.
import * as path from "node:path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type * as platform from "../../../../components/kubernetes";

const config = new pulumi.Config();
const socleRoot = config.require("socleRoot");
const socle = require(path.join(socleRoot, "components", "kubernetes")) as typeof platform;
const provider = new k8s.Provider("lab", { kubeconfig: config.requireSecret("kubeconfig") });
const opts = { providers: { kubernetes: provider } };

const grist = new socle.TeamNamespace("grist", { name: "grist", owner: "dsi", editorGroup: "g-grist" }, opts);
const joplin = new socle.TeamNamespace("joplin", { name: "joplin", owner: "dsi" }, opts);
const backups = new socle.ClusterBackups(
  "backups",
  {
    bucket: config.require("bucket"),
    s3Url: config.require("s3Url"),
    region: "lab",
    accessKeyId: config.requireSecret("accessKeyId"),
    secretAccessKey: config.requireSecret("secretAccessKey"),
    teams: [{ namespace: "grist" }, { namespace: "joplin", schedule: "30 2 * * *", ttlHours: 48 }],
    chartPath: path.join(socleRoot, "lab", "kubernetes", "charts", "velero"),
  },
  { ...opts, dependsOn: [grist, joplin] },
);
export const veleroNamespace = backups.namespaceName;
export const schedules = backups.scheduleNames;
