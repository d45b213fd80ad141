// A real Kubernetes control plane on loopback: Debian's etcd as its store, and
// the kube-apiserver and kube-controller-manager socle builds
// (scripts/setup-toolchain.sh). There are no nodes: objects are validated,
// admitted, stored and reconciled (namespaces, quotas, service accounts), but
// no pod ever runs, which is what namespace-level platform pieces need.
import { spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as https from "node:https";
import * as net from "node:net";
import * as path from "node:path";
import { cacheDir, pinnedVersions } from "../engine";

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
  /** Stops the API server and etcd; their data stays in the lab's folder. */
  close(): Promise<void>;
}

/** Options of {@link startKubernetesLab}. */
export interface KubernetesLabOptions {
  /** Folder for etcd's data, the keys, the certificates and the logs. */
  dir: string;
  /** Seconds to wait for the API server to be ready. @default 90 */
  readyTimeoutSec?: number;
}

/** Where setup-toolchain.sh puts a control-plane program ("kube-apiserver", "kube-controller-manager"). */
export function controlPlanePath(program: string): string {
  return path.join(cacheDir(), "toolchain", `kubernetes-${pinnedVersions().KUBERNETES_VERSION}`, program);
}

/** A free TCP port on 127.0.0.1. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function startProcess(command: string, args: string[], logFile: string): ChildProcess {
  const log = fs.openSync(logFile, "a");
  const child = spawn(command, args, { stdio: ["ignore", log, log] });
  fs.closeSync(log);
  return child;
}

async function stopProcess(child: ChildProcess): Promise<void> {
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
  body?: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const req = https.request(
      url,
      { method, headers, ca, rejectUnauthorized: ca !== undefined, timeout: 5000 },
      (response) => {
        let text = "";
        response.on("data", (chunk: Buffer) => (text += chunk.toString()));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }));
      },
    );
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", reject);
    req.end(body);
  });
}

/** Polls until `check` is true, or fails with `what` and the log's tail. */
async function waitFor(
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
  const [apiserver, controllerManager] = ["kube-apiserver", "kube-controller-manager"].map(controlPlanePath);
  for (const program of [apiserver, controllerManager]) {
    if (!fs.existsSync(program)) {
      throw new Error(
        `${path.basename(program)} is not built in ${program}: run ./socle setup (scripts/setup-toolchain.sh)`,
      );
    }
  }
  const dir = path.resolve(options.dir);
  fs.mkdirSync(dir, { recursive: true });
  const seconds = options.readyTimeoutSec ?? 90;

  const [clientPort, peerPort, apiPort] = [await freePort(), await freePort(), await freePort()];
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

    // Service-account keys and an admin token of the lab's own, made on each start.
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const keyFile = path.join(dir, "service-account.key");
    fs.writeFileSync(keyFile, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
    fs.writeFileSync(
      path.join(dir, "service-account.pub"),
      publicKey.export({ type: "spki", format: "pem" }),
    );
    const token = randomBytes(24).toString("base64url");
    const tokenFile = path.join(dir, "tokens.csv");
    fs.writeFileSync(tokenFile, `${token},lab-admin,lab-admin,"system:masters"\n`, { mode: 0o600 });

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
    ], controllerLog));
    // Ready once it has given the default namespace its service account.
    const defaultAccount = `${server}/api/v1/namespaces/default/serviceaccounts/default`;
    await waitFor(
      async () => (await request("GET", defaultAccount, token, caPem)).status === 200,
      "kube-controller-manager",
      seconds,
      controllerLog,
    );
    return { server, token, caPem, kubeconfig, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** GET a path of the lab's API with its token, verifying its certificate. */
export async function labGet(lab: KubernetesLab, apiPath: string): Promise<{ status: number; body: string }> {
  return request("GET", `${lab.server}${apiPath}`, lab.token, lab.caPem);
}

/** POST a JSON object to a path of the lab's API with its token, verifying its certificate. */
export async function labPost(
  lab: KubernetesLab,
  apiPath: string,
  body: unknown,
): Promise<{ status: number; body: string }> {
  return request("POST", `${lab.server}${apiPath}`, lab.token, lab.caPem, JSON.stringify(body));
}
