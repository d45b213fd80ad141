// The Ansible inventory from real stack state: a program run by the engine
// exports its hosts (the simulated hosts of the SSH lab, real sshd on
// loopback), a switch stack and a secret; the real `ansible-inventory` reads
// it through socle's dynamic inventory script and `ansible -m ping` reaches
// every host over SSH.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../lab/engine";
import { startSshLab, type SshLab } from "../../lab/ssh";
import { ansibleBinDir, ansibleEnv } from "../../ops/ansible";
import { backendEnv, hostsProject, pulumiOk, upHostsStack } from "./cli";

const run = promisify(execFile);
const script = path.join(repoRoot, "ops", "inventory", "socle-inventory");
const secretKey = "lab-private-key not-a-real-key-but-secret-0451";

let lab: SshLab;
let project: string;
let env: Record<string, string>;

async function tool(name: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run(path.join(ansibleBinDir(), name), args, {
      env: { ...process.env, ...env },
      cwd: project,
    });
    return stdout;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${name} ${args.join(" ")} failed: ${e.message}\n${e.stdout ?? ""}\n${e.stderr ?? ""}`);
  }
}

describe("Ansible inventory from stack outputs", () => {
  beforeAll(async () => {
    lab = await startSshLab({ count: 3 });
    const { project: dir, stateUrl } = hostsProject();
    project = dir;
    env = {
      ...backendEnv(stateUrl),
      ...ansibleEnv({
        ANSIBLE_SSH_ARGS: `-o UserKnownHostsFile=${lab.knownHostsFile} -o StrictHostKeyChecking=yes -o ControlMaster=no`,
      }),
      SOCLE_INVENTORY_STACKS: "clinic",
      SOCLE_INVENTORY_PROJECT: project,
      SOCLE_INVENTORY_KEY_FILE: lab.keyFile,
    };
    const hosts = lab.hosts.map((h, i) => ({
      name: `clinic-${h.name}`,
      address: "10.20.0." + (i + 10),
      floatingIp: h.address,
      sshPort: h.port,
      sshUser: lab.user,
      app: i === 0 ? "odoo" : "nextcloud",
      bubble: "client-a",
      role: i === 2 ? "db" : "app",
    }));
    const switches = [{ name: "psv-r1", host: "127.0.0.1", port: 2201, username: "admin" }];
    await upHostsStack(project, env, "clinic", { hosts, switches }, secretKey);
  });

  afterAll(async () => {
    await lab?.close();
    if (project) fs.rmSync(path.dirname(project), { recursive: true, force: true });
  });

  it("ansible-inventory sees the groups per stack, environment, application, bubble, role and switch stack", async () => {
    const listed = JSON.parse(await tool("ansible-inventory", ["-i", script, "--list"])) as Record<
      string,
      { hosts?: string[] }
    > & { _meta: { hostvars: Record<string, Record<string, unknown>> } };
    expect(listed.stack_clinic.hosts).toEqual(["clinic-host-1", "clinic-host-2", "clinic-host-3", "psv-r1"]);
    expect(listed.env_production.hosts).toHaveLength(4);
    expect(listed.app_odoo.hosts).toEqual(["clinic-host-1"]);
    expect(listed.app_nextcloud.hosts).toEqual(["clinic-host-2", "clinic-host-3"]);
    expect(listed.bubble_client_a.hosts).toHaveLength(3);
    expect(listed.role_db.hosts).toEqual(["clinic-host-3"]);
    expect(listed.switch_stack_psv_r1.hosts).toEqual(["psv-r1"]);
    const host1 = listed._meta.hostvars["clinic-host-1"];
    expect(host1).toMatchObject({
      ansible_host: "127.0.0.1",
      ansible_port: lab.hosts[0].port,
      ansible_user: lab.user,
      ansible_ssh_private_key_file: lab.keyFile,
      socle_fixed_address: "10.20.0.10",
    });
    expect(listed._meta.hostvars["psv-r1"]).toMatchObject({
      ansible_connection: "ansible.netcommon.network_cli",
      ansible_network_os: "hpe.comware.comware",
      ansible_port: 2201,
      ansible_user: "admin",
    });
  });

  it("ansible -m ping reaches every host over SSH", async () => {
    const out = await tool("ansible", ["-i", script, "bubble_client_a", "-m", "ansible.builtin.ping", "-o"]);
    for (const h of ["clinic-host-1", "clinic-host-2", "clinic-host-3"]) {
      expect(out).toMatch(new RegExp(`^${h} \\| SUCCESS .*"ping": "pong"`, "m"));
    }
  });

  it("answers --host, and never writes the stack's secret", async () => {
    const host = JSON.parse(
      await tool("ansible-inventory", ["-i", script, "--host", "clinic-host-2"]),
    ) as Record<string, unknown>;
    expect(host.ansible_port).toBe(lab.hosts[1].port);
    const { stdout } = await run(script, ["--list"], { env: { ...process.env, ...env }, cwd: project });
    expect(stdout).not.toContain("not-a-real-key-but-secret-0451");
    expect(stdout).not.toContain("[secret]");
    // The secret is in the state, encrypted.
    const exported = await pulumiOk(project, env, ["stack", "export", "--stack", "clinic"]);
    expect(exported).toContain("ciphertext");
    expect(exported).not.toContain("not-a-real-key-but-secret-0451");
  });
});
