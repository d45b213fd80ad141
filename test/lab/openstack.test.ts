// The OpenStack lab: Debian's Zed control plane on loopback, checked with the
// real `openstack` CLI, first as admin (catalog, compute, agent, the seed),
// then as the demo project's member through the whole tenant path: network,
// subnet, router with a gateway on `external`, security group, keypair, a
// server reaching ACTIVE (fake driver), a floating IP on its port, and all of
// it deleted again. The lab starts once per test run (test/global/openstack-lab.ts).
import { createHash, generateKeyPairSync, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureOpenStackLab, openstackCli, type OpenStackLabManifest } from "../../lab/openstack";

type Row = Record<string, unknown>;

/** An OpenSSH public key line of a fresh ed25519 key (nova only stores it). */
function sshPublicKey(): string {
  const { publicKey } = generateKeyPairSync("ed25519");
  const raw = Buffer.from(publicKey.export({ format: "jwk" }).x as string, "base64url");
  const str = (b: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length, 0);
    return Buffer.concat([len, b]);
  };
  return `ssh-ed25519 ${Buffer.concat([str(Buffer.from("ssh-ed25519")), str(raw)]).toString("base64")} socle-test`;
}

describe("OpenStack lab (Debian Zed on loopback, openstack CLI)", () => {
  let lab: OpenStackLabManifest;
  const admin = async (...args: string[]) =>
    JSON.parse(await openstackCli(lab, "admin", [...args, "-f", "json"]));
  const demo = async (...args: string[]) =>
    JSON.parse(await openstackCli(lab, "demo", [...args, "-f", "json"]));
  const demoRun = (...args: string[]) => openstackCli(lab, "demo", args);
  // Names unique to this run, so a leftover of an earlier failed run never matches.
  const n = `t${randomBytes(3).toString("hex")}`;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "socle-oslab-test-"));

  beforeAll(async () => {
    lab = await ensureOpenStackLab();
  });

  let cleaned = false;
  let serverId = "";
  let portId = "";
  let fipId = "";

  afterAll(async () => {
    fs.rmSync(scratch, { recursive: true, force: true });
    if (cleaned || !lab) return;
    // Best effort, in dependency order, for a run that failed half-way.
    const quiet = (...args: string[]) => demoRun(...args).catch(() => "");
    if (fipId) await quiet("floating", "ip", "delete", fipId);
    await quiet("server", "delete", "--wait", `${n}-server`);
    await quiet("router", "remove", "subnet", `${n}-router`, `${n}-subnet`);
    for (const what of ["router", "network", "security group", "keypair"]) {
      await quiet(...what.split(" "), "delete", `${n}-${what.split(" ").pop()}`);
    }
  });

  it("catalog has the five services; hypervisor, compute and linuxbridge agent are up", async () => {
    const catalog = (await admin("catalog", "list")) as Row[];
    expect(catalog.map((s) => s.Type).sort()).toEqual([
      "compute",
      "identity",
      "image",
      "network",
      "placement",
    ]);
    for (const service of catalog) {
      expect(JSON.stringify(service.Endpoints)).toContain("127.0.0.1");
    }
    const hypervisors = (await admin("hypervisor", "list")) as Row[];
    expect(hypervisors).toEqual([expect.objectContaining({ "Hypervisor Hostname": "oslab", State: "up" })]);
    const computes = (await admin("compute", "service", "list", "--service", "nova-compute")) as Row[];
    expect(computes).toEqual([expect.objectContaining({ Host: "oslab", State: "up", Status: "enabled" })]);
    const agents = (await admin("network", "agent", "list", "--agent-type", "linux-bridge")) as Row[];
    expect(agents).toEqual([expect.objectContaining({ Host: "oslab", Alive: true, State: true })]);
  });

  it("the seed: shared external network and an active public image whose bytes match its sha256", async () => {
    const network = (await admin("network", "show", lab.externalNetwork.name)) as Row;
    expect(network).toMatchObject({
      id: lab.externalNetwork.id,
      "router:external": true,
      shared: true,
      "provider:network_type": "flat",
      "provider:physical_network": "external",
    });
    const subnet = (await admin("subnet", "show", lab.externalNetwork.subnetId)) as Row;
    expect(subnet).toMatchObject({ cidr: lab.externalNetwork.cidr, network_id: lab.externalNetwork.id });

    const image = (await admin("image", "show", lab.image.name)) as Row;
    expect(image).toMatchObject({
      id: lab.image.id,
      status: "active",
      visibility: "public",
      disk_format: "qcow2",
      virtual_size: 16 * 2 ** 20,
      properties: expect.objectContaining({ os_hash_algo: "sha256", os_hash_value: lab.image.sha256 }),
    });
    const file = path.join(scratch, "image.qcow2");
    await openstackCli(lab, "demo", ["image", "save", "--file", file, lab.image.id]);
    expect(createHash("sha256").update(fs.readFileSync(file)).digest("hex")).toBe(lab.image.sha256);
    expect(fs.readFileSync(file).subarray(0, 4).toString("latin1")).toBe("QFI\xfb"); // qcow2 magic
  });

  it("project quotas set through the API are enforced by nova and neutron", async () => {
    const project = `${n}-quota`;
    await admin("project", "create", "--domain", "default", project);
    try {
      await openstackCli(lab, "admin", ["role", "add", "--project", project, "--user", "admin", "member"]);
      await openstackCli(lab, "admin", ["quota", "set", "--instances", "0", "--networks", "0", project]);
      const inProject = (...args: string[]) =>
        openstackCli(lab, "admin", ["--os-project-name", project, ...args]);
      await expect(inProject("network", "create", `${n}-refused`)).rejects.toThrow(/Quota exceeded/);
      // prettier-ignore
      await expect(inProject(
        "server", "create", "--flavor", lab.flavor.name, "--image", lab.image.name,
        "--network", lab.externalNetwork.name, `${n}-refused`,
      )).rejects.toThrow(/Quota exceeded for instances/);
    } finally {
      await openstackCli(lab, "admin", ["project", "delete", project]);
    }
  });

  it("as demo (member): network, router on external, security group, keypair, ACTIVE server, floating IP", async () => {
    const network = (await demo("network", "create", `${n}-network`)) as Row;
    const subnet = (await demo(
      "subnet",
      "create",
      "--network",
      String(network.id),
      "--subnet-range",
      "10.20.30.0/24",
      `${n}-subnet`,
    )) as Row;
    expect(subnet.cidr).toBe("10.20.30.0/24");

    await demo("router", "create", `${n}-router`);
    await demoRun("router", "set", "--external-gateway", lab.externalNetwork.name, `${n}-router`);
    await demoRun("router", "add", "subnet", `${n}-router`, `${n}-subnet`);
    const router = (await demo("router", "show", `${n}-router`)) as Row;
    expect(JSON.stringify(router.external_gateway_info)).toContain(lab.externalNetwork.id);
    expect(JSON.stringify(router.interfaces_info)).toContain(String(subnet.id));

    const group = (await demo("security", "group", "create", `${n}-group`)) as Row;
    await demo(
      "security",
      "group",
      "rule",
      "create",
      "--protocol",
      "tcp",
      "--dst-port",
      "22",
      String(group.id),
    );
    const rules = (await demo("security", "group", "rule", "list", String(group.id))) as Row[];
    expect(rules.some((r) => r["IP Protocol"] === "tcp" && r["Port Range"] === "22:22")).toBe(true);

    fs.writeFileSync(path.join(scratch, "key.pub"), sshPublicKey() + "\n");
    const key = (await demo(
      "keypair",
      "create",
      "--public-key",
      path.join(scratch, "key.pub"),
      `${n}-keypair`,
    )) as Row;
    expect(key.name).toBe(`${n}-keypair`);

    // prettier-ignore
    const server = (await demo(
      "server", "create", "--flavor", lab.flavor.name, "--image", lab.image.name, "--network", String(network.id),
      "--security-group", String(group.id), "--key-name", `${n}-keypair`, "--wait", `${n}-server`,
    )) as Row;
    serverId = String(server.id);
    const shown = (await demo("server", "show", serverId)) as Row;
    expect(shown.status).toBe("ACTIVE");
    expect(JSON.stringify(shown.addresses)).toMatch(/10\.20\.30\.\d+/);
    expect(shown.key_name).toBe(`${n}-keypair`);

    const ports = (await demo("port", "list", "--server", serverId)) as Row[];
    expect(ports).toHaveLength(1);
    portId = String(ports[0].ID);
    const fip = (await demo("floating", "ip", "create", lab.externalNetwork.name)) as Row;
    fipId = String(fip.id);
    expect(String(fip.floating_ip_address)).toMatch(/^203\.0\.113\.\d+$/);
    await demoRun("floating", "ip", "set", "--port", portId, fipId);
    const associated = (await demo("floating", "ip", "show", fipId)) as Row;
    expect(associated.port_id).toBe(portId);
    expect(String(associated.fixed_ip_address)).toMatch(/^10\.20\.30\.\d+$/);
    expect(associated.router_id).toBe(router.id);
  });

  it("as demo: deleting everything leaves nothing behind", async () => {
    expect(fipId && serverId && portId).toBeTruthy();
    await demoRun("floating", "ip", "delete", fipId);
    await demoRun("server", "delete", "--wait", serverId);
    await demoRun("router", "remove", "subnet", `${n}-router`, `${n}-subnet`);
    await demoRun("router", "delete", `${n}-router`);
    await demoRun("network", "delete", `${n}-network`);
    await demoRun("security", "group", "delete", `${n}-group`);
    await demoRun("keypair", "delete", `${n}-keypair`);

    // Only what this test made is checked: other tests may use the demo project too.
    const names = async (...what: string[]) =>
      ((await demo(...what, "list")) as Row[]).map((r) => String(r.Name));
    for (const what of [["server"], ["router"], ["network"], ["security", "group"], ["keypair"]]) {
      expect(
        (await names(...what)).filter((name) => name.startsWith(n)),
        what.join(" "),
      ).toEqual([]);
    }
    const fips = (await demo("floating", "ip", "list")) as Row[];
    expect(fips.filter((f) => f.ID === fipId)).toEqual([]);
    const ports = JSON.stringify(await demo("port", "list"));
    expect(ports).not.toContain(portId);
    expect(ports).not.toContain("10.20.30.");
    cleaned = true;
  });
});
