// A real Kubernetes control plane on loopback: Debian's etcd as its store, and
// the kube-apiserver, kube-controller-manager and kube-scheduler socle builds
// (scripts/setup-toolchain.sh), with simulated nodes played by kwok: the
// scheduler places pods on them and kwok marks them Running and Ready (its
// stages: kwok-stages.yaml), so Deployments roll out and autoscalers scale.
// No container runs: pods have a status, not a process.
import { spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as https from "node:https";
import * as path from "node:path";
import { httpsRequest } from "../../ops/backup/kubeClient";
import { cacheDir, pinnedVersions } from "../engine";
import { freeLoopbackPort as freePort } from "../ports";

/** A running lab: where the API server answers and how to log in. */
export interface KubernetesLab {
  /** API server URL, `https://127.0.0.1:<port>`. */
  server: string;
  /** Bearer token of the lab administrator (group system:masters). */
  token: string;
  /** Certificate (PEM) the API server presents; its own authority. */
  caPem: string;
  /** A kubeconfig (JSON) for @pulumi/kubernetes providers and kubectl. */
  kubeconfig: string;
  /** Names of the simulated nodes. */
  nodes: string[];
  /** Seconds from the call to a ready lab (etcd, API server, controllers, Ready nodes). */
  startSec: number;
  /** Stops kwok, the scheduler, the controller manager, the API server and etcd; etcd's data stays. */
  close(): Promise<void>;
}

/** Options of {@link startKubernetesLab}. */
export interface KubernetesLabOptions {
  /** Folder for etcd's data, the keys, the certificates and the logs. */
  dir: string;
  /** Port of the API server on 127.0.0.1; a fixed one keeps the kubeconfig the same across restarts. @default a free port */
  apiPort?: number;
  /** Seconds to wait for each part to be ready. @default 90 */
  readyTimeoutSec?: number;
  /** Simulated nodes (kwok) to create, each with `nodeCpu` cores and `nodeMemoryGiB`. @default 3 */
  nodes?: number;
  /** CPU cores of each simulated node. @default 8 */
  nodeCpu?: number;
  /** Memory of each simulated node, in GiB. @default 32 */
  nodeMemoryGiB?: number;
}

/** The annotation kwok manages nodes by. */
export const KWOK_NODE_ANNOTATION = "kwok.x-k8s.io/node";

/** The Node object of one simulated node: schedulable, no taint, its capacity in status. */
export function simulatedNode(name: string, cpu: number, memoryGiB: number): Record<string, unknown> {
  const capacity = { cpu: String(cpu), memory: `${memoryGiB}Gi`, pods: "110" };
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name,
      annotations: { [KWOK_NODE_ANNOTATION]: "fake" },
      labels: { "kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "socle.lab/simulated": "kwok" },
    },
    status: { capacity, allocatable: capacity },
  };
}

/** Where setup-toolchain.sh puts a lab program ("kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok"). */
export function controlPlanePath(program: string): string {
  const versions = pinnedVersions();
  const folder =
    program === "kwok" ? `kwok-${versions.KWOK_VERSION}` : `kubernetes-${versions.KUBERNETES_VERSION}`;
  return path.join(cacheDir(), "toolchain", folder, program);
}

/** Starts a lab program with its output appended to `logFile` (and `env` when given, else ours). */
export function startProcess(
  command: string,
  args: string[],
  logFile: string,
  env?: NodeJS.ProcessEnv,
): ChildProcess {
  const log = fs.openSync(logFile, "a");
  const child = spawn(command, args, { stdio: ["ignore", log, log], env });
  fs.closeSync(log);
  return child;
}

/** Stops a lab program: SIGTERM, then SIGKILL after 10 s. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

function logTail(file: string): string {
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n").slice(-15).join("\n") : "(no log)";
}

/** One HTTPS request with the lab's token; `ca` undefined skips the certificate check (readiness only). */
function request(
  method: string,
  url: string,
  token: string,
  ca: string | undefined,
  body?: unknown,
): Promise<{ status: number; body: string }> {
  const agent = new https.Agent({ ca, rejectUnauthorized: ca !== undefined });
  return httpsRequest(method, url, { agent, token, body, timeoutMs: 5000 });
}

/** Polls until `check` is true, or fails with `what` and the log's tail. */
export async function waitFor(
  check: () => Promise<boolean>,
  what: string,
  seconds: number,
  log: string,
): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${what} was not ready after ${seconds} s; last lines of ${log}:\n${logTail(log)}`);
}

/** Starts etcd and the API server on free loopback ports; resolves once the API server is ready. */
export async function startKubernetesLab(options: KubernetesLabOptions): Promise<KubernetesLab> {
  const began = Date.now();
  const programs = ["kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok"].map(
    controlPlanePath,
  );
  const [apiserver, controllerManager, scheduler, kwok] = programs;
  for (const program of programs) {
    if (!fs.existsSync(program)) {
      throw new Error(
        `${path.basename(program)} is not built in ${program}: run ./socle setup (scripts/setup-toolchain.sh)`,
      );
    }
  }
  const dir = path.resolve(options.dir);
  fs.mkdirSync(dir, { recursive: true });
  const seconds = options.readyTimeoutSec ?? 90;

  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const apiPort = options.apiPort ?? (await freePort());
  const etcdLog = path.join(dir, "etcd.log");
  const etcdUrl = `http://127.0.0.1:${clientPort}`;
  const peerUrl = `http://127.0.0.1:${peerPort}`;
  // prettier-ignore
  const etcd = startProcess("etcd", [
    "--data-dir", path.join(dir, "etcd"),
    "--listen-client-urls", etcdUrl, "--advertise-client-urls", etcdUrl,
    "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
    "--initial-cluster", `default=${peerUrl}`,
  ], etcdLog);
  const processes = [etcd];
  const close = async () => {
    for (const child of processes.reverse()) await stopProcess(child);
  };
  etcd.once("error", () => undefined); // reported by waitFor through the log

  try {
    await waitFor(
      async () => (await fetch(`${etcdUrl}/health`)).ok,
      "etcd (is etcd-server installed? ./socle test installs it)",
      seconds,
      etcdLog,
    );

    // Service-account keys and an admin token of the lab's own, made on the
    // first start in this folder and kept (with the API server's certificate),
    // so a restarted lab keeps the same kubeconfig.
    const keyFile = path.join(dir, "service-account.key");
    if (!fs.existsSync(keyFile)) {
      const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
      fs.writeFileSync(
        path.join(dir, "service-account.pub"),
        publicKey.export({ type: "spki", format: "pem" }),
      );
      fs.writeFileSync(keyFile, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
    }
    const tokenFile = path.join(dir, "tokens.csv");
    if (!fs.existsSync(tokenFile)) {
      const fresh = randomBytes(24).toString("base64url");
      fs.writeFileSync(tokenFile, `${fresh},lab-admin,lab-admin,"system:masters"\n`, { mode: 0o600 });
    }
    const token = fs.readFileSync(tokenFile, "utf8").split(",")[0];

    const apiLog = path.join(dir, "apiserver.log");
    const certDir = path.join(dir, "certs");
    // prettier-ignore
    processes.push(startProcess(apiserver, [
      "--etcd-servers", etcdUrl,
      "--bind-address", "127.0.0.1", "--advertise-address", "127.0.0.1", "--secure-port", String(apiPort),
      "--cert-dir", certDir,
      "--token-auth-file", tokenFile,
      "--authorization-mode", "RBAC",
      // As kubeadm sets it: whether a pod may run privileged is Pod Security's decision.
      "--allow-privileged=true",
      "--service-account-issuer", "https://kubernetes.default.svc",
      "--service-account-key-file", path.join(dir, "service-account.pub"),
      "--service-account-signing-key-file", keyFile,
      // Only an address plan for Services; nothing routes it.
      "--service-cluster-ip-range", "10.96.0.0/24",
      // No endpoints for the API server's own Service: its loopback address is not a valid one.
      "--endpoint-reconciler-type", "none",
      // Watch-list streams need etcd's RequestWatchProgress, which Debian's etcd 3.4
      // lacks: the server then answered them with a failing watch, and clients that ask
      // for them (kwok's client-go 0.36) saw pods only on a later relist, up to a minute
      // late (a rollout's old pods lingered, destroy took 100 s). Refused up front, they
      // fall back to list and watch at once.
      "--feature-gates", "WatchList=false",
    ], apiLog));

    const server = `https://127.0.0.1:${apiPort}`;
    const certFile = path.join(certDir, "apiserver.crt");
    await waitFor(
      async () =>
        fs.existsSync(certFile) &&
        (await request("GET", `${server}/readyz`, token, undefined)).status === 200,
      "kube-apiserver",
      seconds,
      apiLog,
    );
    const caPem = fs.readFileSync(certFile, "utf8");
    const kubeconfig = JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      "current-context": "lab",
      clusters: [
        {
          name: "lab",
          cluster: { server, "certificate-authority-data": Buffer.from(caPem).toString("base64") },
        },
      ],
      contexts: [{ name: "lab", context: { cluster: "lab", user: "lab-admin" } }],
      users: [{ name: "lab-admin", user: { token } }],
    });
    const kubeconfigFile = path.join(dir, "controller-manager.kubeconfig");
    fs.writeFileSync(kubeconfigFile, kubeconfig, { mode: 0o600 });
    const controllerLog = path.join(dir, "controller-manager.log");
    // prettier-ignore
    processes.push(startProcess(controllerManager, [
      "--kubeconfig", kubeconfigFile,
      "--leader-elect=false",
      "--bind-address", "127.0.0.1", "--secure-port", "0",
      "--service-account-private-key-file", keyFile,
      "--root-ca-file", certFile,
      // Autoscalers look every 5 s rather than 15 s, so tests see them act sooner.
      "--horizontal-pod-autoscaler-sync-period", "5s",
    ], controllerLog));
    // Ready once it has given the default namespace its service account.
    const defaultAccount = `${server}/api/v1/namespaces/default/serviceaccounts/default`;
    await waitFor(
      async () => (await request("GET", defaultAccount, token, caPem)).status === 200,
      "kube-controller-manager",
      seconds,
      controllerLog,
    );
    const lab = { server, token, caPem, kubeconfig, nodes: [] as string[], startSec: 0, close };

    const schedulerLog = path.join(dir, "scheduler.log");
    // prettier-ignore
    processes.push(startProcess(scheduler, [
      "--kubeconfig", kubeconfigFile,
      "--leader-elect=false",
      "--bind-address", "127.0.0.1", "--secure-port", "0",
    ], schedulerLog));
    const kwokLog = path.join(dir, "kwok.log");
    // prettier-ignore
    processes.push(startProcess(kwok, [
      "--kubeconfig", kubeconfigFile,
      "--config", path.join(__dirname, "kwok-stages.yaml"),
      "--manage-all-nodes=false",
      "--manage-nodes-with-annotation-selector", `${KWOK_NODE_ANNOTATION}=fake`,
      // Addresses on record only: nothing listens on them.
      "--node-ip", "127.0.0.1", "--cidr", "10.244.0.0/16",
    ], kwokLog));

    const count = options.nodes ?? 3;
    for (let i = 1; i <= count; i++) {
      const name = `lab-node-${i}`;
      const node = simulatedNode(name, options.nodeCpu ?? 8, options.nodeMemoryGiB ?? 32);
      const created = await labPost(lab, "/api/v1/nodes", node);
      if (created.status !== 201 && created.status !== 409) {
        throw new Error(`could not create node ${name}: ${created.status} ${created.body}`);
      }
      lab.nodes.push(name);
    }
    await waitFor(
      async () => (await readyNodes(lab)).length >= count,
      `kwok's ${count} simulated nodes`,
      seconds,
      kwokLog,
    );
    lab.startSec = (Date.now() - began) / 1000;
    return lab;
  } catch (error) {
    await close();
    throw error;
  }
}

/** Names of the lab's nodes whose Ready condition is True. */
export async function readyNodes(lab: KubernetesLab): Promise<string[]> {
  const answer = await labGet(lab, "/api/v1/nodes");
  if (answer.status !== 200) throw new Error(`listing nodes: ${answer.status} ${answer.body}`);
  const list = JSON.parse(answer.body) as {
    items: { metadata: { name: string }; status?: { conditions?: { type: string; status: string }[] } }[];
  };
  return list.items
    .filter((node) => node.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"))
    .map((node) => node.metadata.name);
}

/** GET a path of the lab's API with its token, verifying its certificate. */
export async function labGet(lab: KubernetesLab, apiPath: string): Promise<{ status: number; body: string }> {
  return request("GET", `${lab.server}${apiPath}`, lab.token, lab.caPem);
}

/** DELETE a path of the lab's API with its token (a pod: the graceful deletion a user asks for). */
export async function labDelete(
  lab: KubernetesLab,
  apiPath: string,
): Promise<{ status: number; body: string }> {
  return request("DELETE", `${lab.server}${apiPath}`, lab.token, lab.caPem);
}

/** POST a JSON object to a path of the lab's API with its token, verifying its certificate. */
export async function labPost(
  lab: KubernetesLab,
  apiPath: string,
  body: unknown,
): Promise<{ status: number; body: string }> {
  return request("POST", `${lab.server}${apiPath}`, lab.token, lab.caPem, body);
}
