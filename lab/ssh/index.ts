// Simulated hosts for Ansible: one OpenSSH server (Debian's sshd) per host on
// its own 127.0.0.1 port with its own host key, all letting in one throwaway
// user by a key made for the lab. They stand in for VMs, which the OpenStack
// lab's fake driver never boots. The hosts share this machine's file system:
// each gets its own folder (`root`) that playbooks treat as the host's disk.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { promisify } from "node:util";
import { freeLoopbackPort } from "../ports";

const run = promisify(execFile);

/** The system user the lab's hosts let in (created when missing; needs root). */
export const SSH_LAB_USER = "socle-ops";

export interface SshLabHost {
  /** Host name, "host-1", "host-2", ... */
  name: string;
  /** Always 127.0.0.1. */
  address: string;
  port: number;
  /** This host's folder: playbooks write under it as if it were the host's disk. */
  root: string;
}

export interface SshLab {
  hosts: SshLabHost[];
  /** The user to log in as. */
  user: string;
  /** The client's private key (OpenSSH format, no passphrase: a lab key). */
  keyFile: string;
  /** known_hosts naming every host's key, for strict host key checking. */
  knownHostsFile: string;
  /** Stops the servers and removes the lab's folder. */
  close(): Promise<void>;
}

export interface SshLabOptions {
  /** How many hosts (one sshd each). */
  count: number;
  /** Folder for keys, configs and the hosts' folders. @default a new folder under /var/tmp */
  dir?: string;
}

const SSHD = "/usr/sbin/sshd";

async function ensureUser(): Promise<void> {
  const known = await run("id", ["-u", SSH_LAB_USER]).then(
    () => true,
    () => false,
  );
  if (known) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `the SSH lab needs the user ${SSH_LAB_USER}: run as root once, or useradd -m ${SSH_LAB_USER}`,
    );
  }
  // "*" (not "!") as password: no password login, yet the account is not locked for key logins.
  await run("useradd", ["--create-home", "--shell", "/bin/bash", "--password", "*", SSH_LAB_USER]);
}

async function keygen(file: string, comment: string): Promise<string> {
  await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", file]);
  return fs.readFileSync(`${file}.pub`, "utf8").trim();
}

async function waitForBanner(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const banner = await new Promise<string>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("data", (data) => {
        socket.destroy();
        resolve(data.toString());
      });
      socket.once("error", () => resolve(""));
    });
    if (banner.startsWith("SSH-2.0-")) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`sshd on 127.0.0.1:${port} did not answer within ${timeoutMs} ms`);
}

function sshdConfig(port: number, hostKey: string, authorizedKeys: string, pidFile: string): string {
  return [
    `Port ${port}`,
    "ListenAddress 127.0.0.1",
    `HostKey ${hostKey}`,
    `PidFile ${pidFile}`,
    `AuthorizedKeysFile ${authorizedKeys}`,
    `AllowUsers ${SSH_LAB_USER}`,
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    "PermitRootLogin no",
    "UsePAM no",
    // The lab's files live in a temporary folder owned by root.
    "StrictModes no",
    "Subsystem sftp internal-sftp",
    "",
  ].join("\n");
}

export async function startSshLab(options: SshLabOptions): Promise<SshLab> {
  if (!fs.existsSync(SSHD))
    throw new Error(`${SSHD} is missing: run scripts/setup-system.sh (openssh-server)`);
  await ensureUser();
  const dir = options.dir ?? fs.mkdtempSync(path.join("/var/tmp", "socle-ssh-"));
  fs.mkdirSync(dir, { recursive: true });
  // The user reads the authorized keys and writes in its host folders.
  fs.chmodSync(dir, 0o755);
  // sshd's privilege separation directory (absent when the service never ran).
  fs.mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });

  const keyFile = path.join(dir, "client_ed25519");
  const authorizedKeys = path.join(dir, "authorized_keys");
  fs.writeFileSync(authorizedKeys, (await keygen(keyFile, "socle-ssh-lab")) + "\n", { mode: 0o644 });

  const children: ChildProcess[] = [];
  const close = async (): Promise<void> => {
    for (const child of children) child.kill("SIGTERM");
    await Promise.all(
      children.map((child) =>
        child.exitCode === null ? new Promise((resolve) => child.once("exit", resolve)) : undefined,
      ),
    );
    if (!options.dir) fs.rmSync(dir, { recursive: true, force: true });
  };

  const hosts: SshLabHost[] = [];
  const knownHosts: string[] = [];
  try {
    for (let i = 1; i <= options.count; i++) {
      const name = `host-${i}`;
      const hostDir = path.join(dir, name);
      const root = path.join(hostDir, "root");
      fs.mkdirSync(root, { recursive: true });
      await run("chown", [SSH_LAB_USER, root]).catch(() => undefined);
      const hostKey = path.join(hostDir, "ssh_host_ed25519_key");
      const publicKey = await keygen(hostKey, name);
      const port = await freeLoopbackPort();
      const config = path.join(hostDir, "sshd_config");
      fs.writeFileSync(config, sshdConfig(port, hostKey, authorizedKeys, path.join(hostDir, "sshd.pid")));
      const log = fs.openSync(path.join(hostDir, "sshd.log"), "a");
      children.push(spawn(SSHD, ["-D", "-e", "-f", config], { stdio: ["ignore", log, log] }));
      fs.closeSync(log);
      knownHosts.push(`[127.0.0.1]:${port} ${publicKey.split(" ").slice(0, 2).join(" ")}`);
      hosts.push({ name, address: "127.0.0.1", port, root });
    }
    await Promise.all(hosts.map((h) => waitForBanner(h.port, 10_000)));
  } catch (error) {
    await close();
    throw error;
  }
  const knownHostsFile = path.join(dir, "known_hosts");
  fs.writeFileSync(knownHostsFile, knownHosts.join("\n") + "\n");
  return { hosts, user: SSH_LAB_USER, keyFile, knownHostsFile, close };
}
