// Velero beside the Kubernetes lab: our S3 store (toolchain/velero/s3lab, a
// bucket in a folder on loopback), Velero's CRDs as its own CLI writes them,
// and the Velero server run as a local process against the lab's API server
// (kwok's pods run nothing, so the chart's Deployment could not), with the AWS
// object-store plugin in its plugin folder. All built by setup part `velero`.
import { execFile, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { cacheDir, pinnedVersions, repoRoot } from "../engine";
import { freeLoopbackPort } from "../ports";
import { labGet, labPost, startProcess, stopProcess, waitFor, type KubernetesLab } from "./index";

/** The lab store's throwaway keys: s3lab checks no signature, only Velero's client needs them. */
export const S3LAB_CREDENTIALS = {
  accessKeyId: "socle-lab",
  secretAccessKey: "socle-lab-not-a-secret",
} as const;

/** Where setup part `velero` puts "velero", "s3lab" and the "plugins" folder (keyed like its cache). */
export function veleroToolPath(tool: "velero" | "s3lab" | "plugins"): string {
  const v = pinnedVersions();
  const moduleDir = path.join(repoRoot, "toolchain", "velero");
  const hash = createHash("sha256");
  for (const file of ["go.mod", "go.sum", "tools.go", "s3lab/main.go"]) {
    hash.update(fs.readFileSync(path.join(moduleDir, file)));
  }
  const key = hash.digest("hex").slice(0, 12);
  const folder = `velero-${v.VELERO_VERSION}-aws-${v.VELERO_PLUGIN_AWS_VERSION}-${key}`;
  return path.join(cacheDir(), "toolchain", folder, tool);
}

/** A running S3 store with Velero's CRDs in the lab; the server starts on demand. */
export interface VeleroLab {
  /** URL of the S3 store, `http://127.0.0.1:<port>`. */
  s3Url: string;
  /** The bucket made at start. */
  bucket: string;
  /** The velero command (CLI and server). */
  velero: string;
  /** A kubeconfig file of the lab, for the velero CLI and server. */
  kubeconfigFile: string;
  /** Starts the Velero server for `namespace` (which must exist); resolves once it serves. */
  startServer(namespace?: string): Promise<void>;
  /** Runs the velero CLI against the lab; resolves with its output. */
  cli(args: string[]): Promise<string>;
  /** Stops the server and the store; the store's data stays in the folder. */
  close(): Promise<void>;
}

/** Options of {@link startVeleroLab}. */
export interface VeleroLabOptions {
  /** The Kubernetes lab Velero works against. */
  lab: KubernetesLab;
  /** Folder for the store's data, the logs and the kubeconfig file. */
  dir: string;
  /** Bucket to make. @default "velero" */
  bucket?: string;
  /** Seconds to wait for each part. @default 90 */
  readyTimeoutSec?: number;
}

const run = promisify(execFile);

/** Starts the S3 store and installs Velero's CRDs in the lab; fails naming the missing piece. */
export async function startVeleroLab(options: VeleroLabOptions): Promise<VeleroLab> {
  const [velero, s3lab, pluginDir] = (["velero", "s3lab", "plugins"] as const).map(veleroToolPath);
  for (const tool of [velero, s3lab, path.join(pluginDir, "velero-plugin-for-aws")]) {
    if (!fs.existsSync(tool)) {
      throw new Error(`${path.basename(tool)} is not built in ${tool}: run ./socle setup velero`);
    }
  }
  const dir = path.resolve(options.dir);
  fs.mkdirSync(path.join(dir, "tmp"), { recursive: true });
  const seconds = options.readyTimeoutSec ?? 90;
  const bucket = options.bucket ?? "velero";
  const kubeconfigFile = path.join(dir, "kubeconfig.json");
  fs.writeFileSync(kubeconfigFile, options.lab.kubeconfig, { mode: 0o600 });
  // The CLI and server read $HOME/.config/velero and write credentials under
  // $TMPDIR: both kept in the lab's folder.
  const env = { ...process.env, HOME: dir, TMPDIR: path.join(dir, "tmp"), KUBECONFIG: kubeconfigFile };
  const processes: ChildProcess[] = [];
  const close = async () => {
    for (const child of processes.reverse()) await stopProcess(child);
  };

  try {
    const port = await freeLoopbackPort();
    const s3Log = path.join(dir, "s3lab.log");
    // prettier-ignore
    processes.push(startProcess(s3lab, [
      "--addr", `127.0.0.1:${port}`, "--data", path.join(dir, "s3"), "--bucket", bucket,
    ], s3Log));
    const s3Url = `http://127.0.0.1:${port}`;
    await waitFor(async () => (await fetch(`${s3Url}/`)).ok, "s3lab", seconds, s3Log);

    const cli = async (args: string[]) => (await run(velero, args, { env, maxBuffer: 64 << 20 })).stdout;
    // The CRDs of this very Velero build, as `velero install` would apply them.
    const crds = JSON.parse(await cli(["install", "--crds-only", "--dry-run", "-o", "json"])) as {
      items: { metadata: { name: string } }[];
    };
    for (const crd of crds.items) {
      const made = await labPost(options.lab, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd);
      if (made.status !== 201 && made.status !== 409) {
        throw new Error(`Velero CRD ${crd.metadata.name}: ${made.status} ${made.body.slice(0, 300)}`);
      }
    }
    const established = async (name: string) => {
      const answer = await labGet(
        options.lab,
        `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`,
      );
      const conditions = (
        JSON.parse(answer.body) as { status?: { conditions?: { type: string; status: string }[] } }
      ).status?.conditions;
      return conditions?.some((c) => c.type === "Established" && c.status === "True") ?? false;
    };
    for (const crd of crds.items) {
      await waitFor(() => established(crd.metadata.name), `Velero CRD ${crd.metadata.name}`, seconds, s3Log);
    }

    const startServer = async (namespace = "velero") => {
      const serverLog = path.join(dir, "velero-server.log");
      const [metricsPort, profilerPort] = [await freeLoopbackPort(), await freeLoopbackPort()];
      // prettier-ignore
      processes.push(startProcess(velero, [
        "server", "--kubeconfig", kubeconfigFile, "--namespace", namespace,
        "--plugin-dir", pluginDir,
        // Its listeners on loopback only (the metrics default is every address).
        "--metrics-address", `127.0.0.1:${metricsPort}`, "--profiler-address", `127.0.0.1:${profilerPort}`,
        // Checks the store every 5 s rather than every minute, so tests wait less.
        "--store-validation-frequency", "5s",
        "--log-format", "text",
      ], serverLog, env));
      await waitFor(
        async () => (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).ok,
        "the Velero server",
        seconds,
        serverLog,
      );
    };
    return { s3Url, bucket, velero, kubeconfigFile, startServer, cli, close };
  } catch (error) {
    await close();
    throw error;
  }
}
