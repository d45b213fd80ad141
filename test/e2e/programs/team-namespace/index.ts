// Two team namespaces made by socle's TeamNamespace in the Kubernetes lab. The
// test copies this program to a temporary directory, so socle is loaded from
// the repository path given in config.
import * as path from "node:path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type * as platform from "../../../../components/kubernetes";

const config = new pulumi.Config();
const socle = require(path.join(config.require("socleRoot"), "components", "kubernetes")) as typeof platform;
const provider = new k8s.Provider("lab", { kubeconfig: config.requireSecret("kubeconfig") });

const radiologie = new socle.TeamNamespace(
  "radiologie",
  { name: "radiologie", owner: "dsi-imagerie", editorGroup: "g-radiologie", memoryGiB: 16 },
  { providers: { kubernetes: provider } },
);
const labo = new socle.TeamNamespace(
  "labo",
  { name: "labo", owner: "biologie", podSecurity: config.get("laboLevel") ?? "baseline" },
  { providers: { kubernetes: provider } },
);
export const namespaces = [radiologie.namespaceName, labo.namespaceName];
