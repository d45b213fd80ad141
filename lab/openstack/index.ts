// The OpenStack lab for tests and benches: Debian bookworm's OpenStack Zed
// control plane on 127.0.0.1 (keystone, glance, placement, nova with the fake
// driver, neutron ML2/linuxbridge), run by lab/openstack/start.sh and stop.sh.
// Control plane only: servers reach ACTIVE and floating IPs associate, but no
// instance runs and no packet flows (ports and floating IPs stay DOWN).
import { execFile, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** A keystone user of the lab (user and project in the same domain). */
export interface OpenStackCredentials {
  username: string;
  password: string;
  projectName: string;
  /** Domain name of the user and of the project. */
  domain: string;
}

/** What start.sh writes to `<runDir>/manifest.json` once the lab is ready. */
export interface OpenStackLabManifest {
  /** Keystone v3, `http://127.0.0.1:5000/v3`. */
  authUrl: string;
  region: string;
  /** Endpoint interface to use ("public"). */
  interface: string;
  /** The cloud administrator (project admin). */
  admin: OpenStackCredentials;
  /** An ordinary user, role member on project demo. */
  demo: OpenStackCredentials;
  /** The shared flat network with router:external, for router gateways and floating IPs. Routed nowhere. */
  externalNetwork: { name: string; id: string; subnetId: string; cidr: string };
  /** A small public qcow2 image (empty disk); sha256 is glance's os_hash_value. */
  image: { name: string; id: string; sha256: string; diskFormat: string };
  /** A public flavor: 1 vCPU, 256 MiB, 1 GiB disk. */
  flavor: { name: string; id: string };
  endpoints: { identity: string; image: string; placement: string; compute: string; network: string };
  runDir: string;
  logDir: string;
  /** Shell files to `source` for the `openstack` CLI. */
  openrc: { admin: string; demo: string };
}

/**
 * When set (by the vitest global set-up), the path of a file that
 * {@link ensureOpenStackLab} creates if it started the lab, so that the test
 * run's teardown stops only a lab it started.
 */
export const STARTED_MARKER_ENV = "SOCLE_OSLAB_STARTED_MARKER";

const scriptDir = __dirname;

/** The lab's runtime folder: pid files, logs, manifest (OSLAB_RUN, default /var/tmp/oslab). */
export function labRunDir(): string {
  return process.env.OSLAB_RUN ?? "/var/tmp/oslab";
}

function tail(file: string, lines = 25): string {
  return fs.existsSync(file)
    ? fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n")
    : "";
}

/** Runs a lab script as a child, its output appended to `logFile`; rejects with the log's tail. */
function runScript(script: string, logFile: string, timeoutMs: number): Promise<void> {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const out = fs.openSync(logFile, "a");
  const child = spawn("bash", [path.join(scriptDir, script)], { stdio: ["ignore", out, out] });
  fs.closeSync(out);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill("SIGTERM"), timeoutMs);
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve();
      const why = signal
        ? `was stopped (${signal}${signal === "SIGTERM" ? ", timed out" : ""})`
        : `exited ${code}`;
      reject(new Error(`lab/openstack/${script} ${why}; see ${logFile}:\n${tail(logFile)}`));
    });
  });
}

/** Reads and checks the manifest of a running lab. */
export function readOpenStackManifest(runDir = labRunDir()): OpenStackLabManifest {
  const file = path.join(runDir, "manifest.json");
  if (!fs.existsSync(file)) throw new Error(`no ${file}: the OpenStack lab is not running`);
  const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as OpenStackLabManifest;
  for (const [field, value] of Object.entries({
    authUrl: manifest.authUrl,
    "externalNetwork.id": manifest.externalNetwork?.id,
    "image.id": manifest.image?.id,
    "image.sha256": manifest.image?.sha256,
    "flavor.id": manifest.flavor?.id,
  })) {
    if (typeof value !== "string" || value === "") throw new Error(`${file} has no ${field}`);
  }
  return manifest;
}

/**
 * Starts the lab unless it is already running and healthy (then this takes a
 * fraction of a second), and returns its manifest. The first start on a machine
 * installs the Debian packages and initialises the databases (about 2.5 min);
 * later starts take about 20 s. Throws with the log path if it cannot start.
 */
export async function ensureOpenStackLab(
  options: { timeoutSec?: number } = {},
): Promise<OpenStackLabManifest> {
  const runDir = labRunDir();
  const logFile = path.join(runDir, "logs", "start.log");
  await runScript("start.sh", logFile, (options.timeoutSec ?? 1200) * 1000);
  const last = JSON.parse(fs.readFileSync(path.join(runDir, "last-start.json"), "utf8")) as { kind: string };
  const marker = process.env[STARTED_MARKER_ENV];
  if (marker && last.kind !== "already-running") fs.writeFileSync(marker, `${runDir}\n`);
  return readOpenStackManifest(runDir);
}

/** Stops the lab (its data stays; the next start takes about 20 s). */
export async function stopOpenStackLab(): Promise<void> {
  await runScript("stop.sh", path.join(labRunDir(), "logs", "stop.log"), 120_000);
}

/** A lab user: the admin, the demo member, or anyone a test made (with a project by name or ID). */
export type LabUser = "admin" | "demo" | (OpenStackCredentials & { projectId?: string });

/** The `OS_*` environment of the `openstack` CLI (and of Pulumi's OpenStack provider) for one lab user. */
export function openStackEnv(manifest: OpenStackLabManifest, who: LabUser): Record<string, string> {
  const user = typeof who === "string" ? manifest[who] : who;
  const project: Record<string, string> =
    typeof who !== "string" && who.projectId
      ? { OS_PROJECT_ID: who.projectId }
      : { OS_PROJECT_NAME: user.projectName };
  return {
    ...project,
    OS_AUTH_URL: manifest.authUrl,
    OS_IDENTITY_API_VERSION: "3",
    OS_USERNAME: user.username,
    OS_PASSWORD: user.password,
    OS_USER_DOMAIN_NAME: user.domain,
    OS_PROJECT_DOMAIN_NAME: user.domain,
    OS_REGION_NAME: manifest.region,
    OS_INTERFACE: manifest.interface,
  };
}

/**
 * Runs the real `openstack` CLI as `who` and returns its standard output
 * (add `-f json` and parse it for structured results). Rejects with the CLI's error.
 */
export function openstackCli(
  manifest: OpenStackLabManifest,
  who: LabUser,
  args: string[],
  timeoutMs = 180_000,
): Promise<string> {
  // Debian's openstack uses /usr/bin/python3 and must not see another Python's settings.
  const env = {
    PATH: "/usr/local/bin:/usr/bin:/bin",
    HOME: process.env.HOME ?? "/root",
    ...openStackEnv(manifest, who),
  };
  return new Promise((resolve, reject) => {
    execFile(
      "openstack",
      args,
      { env, timeout: timeoutMs, maxBuffer: 16 * 2 ** 20 },
      (error, stdout, stderr) => {
        if (error)
          reject(
            new Error(
              `openstack ${args.join(" ")} (as ${typeof who === "string" ? who : who.username}) failed: ${stderr.trim() || error.message}`,
            ),
          );
        else resolve(stdout);
      },
    );
  });
}
