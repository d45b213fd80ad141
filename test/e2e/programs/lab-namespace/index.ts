// One namespace made with @pulumi/kubernetes alone: the Kubernetes provider
// plugin socle builds, against the Kubernetes lab.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
const provider = new k8s.Provider("lab", { kubeconfig: config.requireSecret("kubeconfig") });
const namespace = new k8s.core.v1.Namespace(
  "team-radiologie",
  {
    metadata: {
      name: "team-radiologie",
      labels: { "pod-security.kubernetes.io/enforce": config.get("level") ?? "restricted" },
    },
  },
  { provider },
);
export const name = namespace.metadata.name;
