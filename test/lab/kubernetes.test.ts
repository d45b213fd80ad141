// The Kubernetes lab: a real kube-apiserver on loopback with etcd behind it,
// and the real engine creating, reading back and deleting objects in it
// through the Kubernetes provider plugin socle builds.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, type Stack } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { engineEnv, repoRoot, toolchainBinDir } from "../../lab/engine";
import { labGet, startKubernetesLab, type KubernetesLab } from "../../lab/kubernetes";

const PROGRAM = `import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
const config = new pulumi.Config();
const provider = new k8s.Provider("lab", { kubeconfig: config.requireSecret("kubeconfig") });
const ns = new k8s.core.v1.Namespace("team-radiologie", {
  metadata: {
    name: "team-radiologie",
    labels: { "pod-security.kubernetes.io/enforce": config.get("level") ?? "restricted" },
    // The lab runs no controller manager, so nothing would ever finish a deletion.
    annotations: { "pulumi.com/skipAwait": "true" },
  },
}, { provider });
export const namespace = ns.metadata.name;
`;

describe("Kubernetes lab (real kube-apiserver and etcd on loopback)", () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "socle-k8s-"));
  let lab: KubernetesLab;
  let stack: Stack;

  beforeAll(async () => {
    lab = await startKubernetesLab({ dir: path.join(scratch, "lab") });
    const workDir = path.join(scratch, "program");
    fs.mkdirSync(workDir);
    fs.writeFileSync(
      path.join(workDir, "Pulumi.yaml"),
      "name: k8s-lab\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n",
    );
    fs.writeFileSync(path.join(workDir, "index.ts"), PROGRAM);
    fs.symlinkSync(path.join(__dirname, "..", "..", "node_modules"), path.join(workDir, "node_modules"));
    const stateDir = path.join(scratch, "state");
    fs.mkdirSync(stateDir);
    const envVars = engineEnv(stateDir);
    stack = await LocalWorkspace.createOrSelectStack(
      { stackName: "lab", workDir },
      {
        envVars,
        pulumiHome: envVars.PULUMI_HOME,
        pulumiCommand: await PulumiCommand.get({ root: path.dirname(toolchainBinDir()) }),
      },
    );
    await stack.setConfig("kubeconfig", { value: lab.kubeconfig, secret: true });
  });
  afterAll(async () => {
    await lab?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("answers as Kubernetes 1.34 over TLS its kubeconfig trusts, and refuses a wrong token", async () => {
    const version = await labGet(lab, "/version");
    expect(version.status).toBe(200);
    expect(JSON.parse(version.body)).toMatchObject({ major: "1", minor: "34" });
    const wrong = await labGet({ ...lab, token: "not-the-token" }, "/api/v1/namespaces");
    expect(wrong.status).toBe(401);
  });

  it("up creates the namespace in the API server, a label change is an update, destroy removes it", async () => {
    const up = await stack.up();
    expect(up.summary.result).toBe("succeeded");
    expect(up.summary.resourceChanges).toMatchObject({ create: 3 }); // stack, provider, namespace
    const stored = JSON.parse((await labGet(lab, "/api/v1/namespaces/team-radiologie")).body);
    expect(stored.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");

    expect(Object.keys((await stack.preview()).changeSummary)).toEqual(["same"]);

    await stack.setConfig("level", { value: "baseline" });
    const relabel = await stack.up();
    expect(relabel.summary.resourceChanges).toMatchObject({ update: 1 });
    const updated = JSON.parse((await labGet(lab, "/api/v1/namespaces/team-radiologie")).body);
    expect(updated.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("baseline");

    await stack.destroy();
    const gone = await labGet(lab, "/api/v1/namespaces/team-radiologie");
    // Without a controller manager the namespace stays "Terminating" rather than vanishing.
    expect(gone.status === 404 || JSON.parse(gone.body).status?.phase === "Terminating").toBe(true);
  });
});

describe("Kubernetes lab CLI (./socle lab start|stop kubernetes)", () => {
  it("starts in the background with a kubeconfig that logs in, and stops leaving no process", async () => {
    const run = promisify(execFile);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "socle-k8s-cli-"));
    const cli = [path.join(repoRoot, "node_modules", "tsx", "dist", "cli.mjs"), "lab/kubernetes/cli.ts"];
    try {
      const started = await run(process.execPath, [...cli, "start", "--dir", dir, "--detach"], {
        cwd: repoRoot,
      });
      const manifest = JSON.parse(started.stdout) as { server: string; kubeconfig: string; pid: number };
      const kubeconfig = JSON.parse(fs.readFileSync(manifest.kubeconfig, "utf8"));
      expect(fs.statSync(manifest.kubeconfig).mode & 0o077).toBe(0); // the token is for its owner only
      const lab = {
        server: manifest.server,
        token: kubeconfig.users[0].user.token as string,
        caPem: Buffer.from(kubeconfig.clusters[0].cluster["certificate-authority-data"], "base64").toString(),
        kubeconfig: "",
        close: async () => undefined,
      };
      expect((await labGet(lab, "/api/v1/namespaces/default")).status).toBe(200);

      await run(process.execPath, [...cli, "stop", "--dir", dir], { cwd: repoRoot });
      expect(() => process.kill(manifest.pid, 0)).toThrow();
      await expect(labGet(lab, "/version")).rejects.toThrow();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
