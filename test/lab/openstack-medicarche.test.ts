// The medicarche stack (seed 002) under the real engine, with our OpenStack
// plugin, against the OpenStack lab, as the cloud admin: it goes up whole, the
// `openstack` CLI checks what was built (servers ACTIVE, the floating IP on the
// proxy's port, exactly the least-privilege rules, users who log in with their
// roles and a reader the API refuses), no secret is stored in clear, a second
// preview and a refresh show nothing, changes made by hand show on refresh, a
// setting change is an update in place, a structural one a replacement that
// protection refuses until it is lifted, and destroy leaves nothing behind.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ensureOpenStackLab,
  openstackCli,
  type LabUser,
  type OpenStackLabManifest,
} from "../../lab/openstack";
import { planBackendRules, planEdgeRules, planEgressRules, type RuleSpec } from "../../components/openstack";
import { MEDICARCHE_APPS } from "../../stacks/medicarche";
import { changesIn, destroyProtected, storedStateText, type ProgramStack } from "../e2e/harness";
import { openLabRepoStack } from "./openstack-stack";

type Row = Record<string, unknown>;
const PREFIX = "e2e-medi";
const ADMIN_CIDR = "192.168.33.0/24";
const CLIENT_CIDR = "10.20.20.0/24";

/** A rule as `openstack security group rule list` shows it, reduced to what a rule means. */
function cliRuleKey(row: Row, groupNames: Map<string, string>): string {
  const range = row["Port Range"] ? String(row["Port Range"]) : "any";
  const remoteGroup = row["Remote Security Group"] ? String(row["Remote Security Group"]) : "";
  const remote = remoteGroup
    ? `group:${groupNames.get(remoteGroup) ?? remoteGroup}`
    : String(row["IP Range"]);
  return `${String(row.Direction)} ${String(row["IP Protocol"] ?? "any")} ${range} ${remote}`;
}

/** The same for a planned rule. */
function plannedRuleKey(rule: RuleSpec, groupName: (symbolic: string) => string): string {
  const range = rule.portMin === undefined ? "any" : `${rule.portMin}:${rule.portMax}`;
  const remote = rule.remoteGroup ? `group:${groupName(rule.remoteGroup)}` : rule.remoteCidr;
  return `${rule.direction} ${rule.protocol === "any" ? "any" : rule.protocol} ${range} ${remote}`;
}

describe("medicarche under the engine against the OpenStack lab (as admin)", () => {
  let lab: OpenStackLabManifest;
  let program: ProgramStack;
  let stack: Stack;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "socle-medi-"));
  const cli = async (who: LabUser, ...args: string[]): Promise<unknown> =>
    JSON.parse(await openstackCli(lab, who, [...args, "-f", "json"]));
  const admin = (...args: string[]) => cli("admin", ...args) as Promise<Row>;
  const adminList = (...args: string[]) => cli("admin", ...args) as Promise<Row[]>;
  const ours = (rows: Row[]) => rows.filter((r) => String(r.Name ?? "").startsWith(`${PREFIX}-`));
  let projectId = "";

  beforeAll(async () => {
    lab = await ensureOpenStackLab();
    program = await openLabRepoStack(lab, "medicarche", scratch, { "socle:prefix": { value: PREFIX } });
    stack = program.stack;
    projectId = String((await admin("project", "show", lab.admin.projectName)).id);
  });

  afterAll(async () => {
    // A run that failed half-way: the old key (so up only lifts protection), then tear down.
    await destroyProtected(program, {
      "socle:protectData": { value: "false" },
      "socle:sshKeyRotation": { value: "" },
    });
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("goes up whole: servers ACTIVE, the floating IP on the proxy's port", async () => {
    const up = await stack.up();
    expect(up.summary.result).toBe("succeeded");

    const servers = ours(await adminList("server", "list", "--all-projects", "--long"));
    expect(servers.map((s) => s.Name).sort()).toEqual(
      [...MEDICARCHE_APPS, "proxy"].map((app) => `${PREFIX}-${app}`).sort(),
    );
    for (const server of servers) expect(server.Status, String(server.Name)).toBe("ACTIVE");

    const proxyAddress = String(up.outputs.proxyAddress.value);
    expect(proxyAddress).toMatch(/^203\.0\.113\.\d+$/); // from the lab's external subnet
    const fip = await admin("floating", "ip", "show", proxyAddress);
    const proxyPort = await admin("port", "show", String(fip.port_id));
    const proxy = servers.find((s) => s.Name === `${PREFIX}-proxy`);
    expect(proxyPort.device_id).toBe(proxy?.ID);
  });

  it("security groups hold exactly the derived least-privilege rules", async () => {
    const egress = planEgressRules(["0.0.0.0/0"]);
    const edgeName = `${PREFIX}-edge`;
    const appsName = `${PREFIX}-apps`;
    const groupIds = new Map<string, string>();
    for (const name of [edgeName, appsName])
      groupIds.set(String((await admin("security", "group", "show", name)).id), name);
    const planned: Record<string, RuleSpec[]> = {
      [edgeName]: [
        ...planEdgeRules({
          apps: MEDICARCHE_APPS,
          adminCidr: ADMIN_CIDR,
          clientCidr: CLIENT_CIDR,
          http: true,
          https: true,
        }),
        ...egress,
      ],
      [appsName]: [
        ...planBackendRules({ apps: MEDICARCHE_APPS, adminCidr: ADMIN_CIDR, proxyGroup: "proxy" }),
        ...egress,
      ],
    };
    for (const [group, rules] of Object.entries(planned)) {
      const actual = (await adminList("security", "group", "rule", "list", group, "--long")).map((r) =>
        cliRuleKey(r, groupIds),
      );
      const expected = rules.map((r) => plannedRuleKey(r, (g) => (g === "proxy" ? edgeName : group)));
      expect(actual.sort(), group).toEqual(expected.sort());
      // Nothing reachable from the whole Internet but what the edge publishes on purpose.
      expect(actual.filter((k) => k.startsWith("ingress") && k.endsWith(" 0.0.0.0/0"))).toEqual([]);
    }
  });

  it("users log in with their roles; the reader reads but the API refuses it a server", async () => {
    const outputs = await stack.outputs();
    const passwords = outputs.userPasswords.value as Record<string, string>;
    expect(outputs.userPasswords.secret).toBe(true);
    const as = (role: string): LabUser => {
      const username = `${PREFIX}-${role}`;
      return { username, password: passwords[username], projectName: "", projectId, domain: "Default" };
    };
    const roles = async (who: LabUser) => {
      const user = typeof who === "string" ? who : who.username;
      const rows = (await adminList(
        "role",
        "assignment",
        "list",
        "--user",
        user,
        "--project",
        projectId,
        "--names",
      )) as Row[];
      return rows.map((r) => r.Role).sort();
    };
    expect(await roles(as("dsi-admin"))).toEqual(["admin"]);
    expect(await roles(as("dsi-member"))).toEqual(["member"]);
    expect(await roles(as("audit-reader"))).toEqual(["reader"]);

    for (const role of ["dsi-admin", "dsi-member", "audit-reader"]) {
      const token = (await cli(as(role), "token", "issue")) as Row;
      expect(token.project_id, role).toBe(projectId);
    }
    const seen = ours((await cli(as("audit-reader"), "server", "list")) as Row[]);
    expect(seen.length).toBe(MEDICARCHE_APPS.length + 1);
    const refused = openstackCli(lab, as("audit-reader"), [
      "server",
      "create",
      "--flavor",
      lab.flavor.name,
      "--image",
      lab.image.name,
      "--network",
      `${PREFIX}-private`,
      `${PREFIX}-reader-probe`,
    ]);
    await expect(refused).rejects.toThrow(/403|not allowed|Forbidden|not authorized/i);
    const after = ours((await adminList("server", "list", "--all-projects")) as Row[]);
    expect(after.map((s) => s.Name)).not.toContain(`${PREFIX}-reader-probe`);
  });

  it("stores no password, private key or credential secret in clear", async () => {
    const outputs = await stack.outputs();
    const secrets = [
      ...Object.values(outputs.userPasswords.value as Record<string, string>),
      ...Object.values(outputs.dbPasswords.value as Record<string, string>),
      ...String(outputs.sshPrivateKey.value)
        .split("\n")
        .filter((line) => line.length > 40),
    ];
    expect(secrets.length).toBeGreaterThan(6);
    const state = storedStateText(program.backendDir);
    expect(state.length).toBeGreaterThan(10_000);
    for (const secret of secrets) expect(state.includes(secret)).toBe(false);
  });

  it("a second preview shows no change and refresh no drift", async () => {
    expect(changesIn((await stack.preview()).changeSummary)).toEqual({});
    const refresh = await stack.refresh();
    expect(changesIn(refresh.summary.resourceChanges ?? {})).toEqual({});
  });

  it("changes made by hand with the openstack CLI show on refresh, and up puts things back", async () => {
    await openstackCli(lab, "admin", ["server", "set", "--property", "changed-by=hand", `${PREFIX}-odoo`]);
    const sshRule = (await adminList("security", "group", "rule", "list", `${PREFIX}-edge`, "--long")).find(
      (r) => r["Port Range"] === "22:22",
    );
    expect(sshRule).toBeDefined();
    await openstackCli(lab, "admin", ["security", "group", "rule", "delete", String(sshRule?.ID)]);

    // Updates: the drift guards of odoo's metadata and of the edge group's rules; the rule itself is deleted.
    const refresh = await stack.refresh();
    expect(changesIn(refresh.summary.resourceChanges ?? {})).toMatchObject({ update: 2, delete: 1 });
    const up = await stack.up();
    expect(changesIn(up.summary.resourceChanges ?? {})).toMatchObject({ update: 2, create: 1 });
    const odoo = await admin("server", "show", `${PREFIX}-odoo`);
    expect(JSON.stringify(odoo.properties)).not.toContain("changed-by");
    expect(changesIn((await stack.preview()).changeSummary)).toEqual({});
  });

  it("a setting change updates in place; a structural one is a replacement protection refuses until lifted", async () => {
    const odooId = String((await admin("server", "show", `${PREFIX}-odoo`)).id);
    await stack.setConfig("socle:odooWorkers", { value: "4" });
    const settings = await stack.preview();
    // The server (its user-data hash in metadata) and its metadata guard.
    expect(changesIn(settings.changeSummary)).toEqual({ update: 2 });
    await stack.up();
    expect((await admin("server", "show", `${PREFIX}-odoo`)).id).toBe(odooId);

    // A new admin key: Nova cannot change a server's keypair, so every server is replaced.
    await stack.setConfig("socle:sshKeyRotation", { value: "2027-01" });
    // The engine's own preview names the replacement and refuses it on the protected servers.
    const refused = await stack.preview().then(
      () => "the preview passed",
      (error: Error) => error.message,
    );
    // The new key replaces the keypair, and with it (deleted first) the servers using it.
    expect(refused).toMatch(/e2e-medi-admin replace \[diff: ~rotation\]/);
    expect(refused).toMatch(/unable to replace resource "[^"]*Instance::e2e-medi-odoo" as part of replacing/);
    expect((await admin("server", "show", `${PREFIX}-odoo`)).id).toBe(odooId);

    // Lifting protection on purpose is its own step (the engine judges a
    // replacement by the protection in state): protectData off, up, then the new key.
    await stack.removeConfig("socle:sshKeyRotation");
    await stack.setConfig("socle:protectData", { value: "false" });
    await stack.up();
    expect((await admin("server", "show", `${PREFIX}-odoo`)).id).toBe(odooId);
    await stack.setConfig("socle:sshKeyRotation", { value: "2027-01" });
    const replaced = await stack.up();
    expect(replaced.summary.resourceChanges?.replace ?? 0).toBeGreaterThan(0);
    const odoo = await admin("server", "show", `${PREFIX}-odoo`);
    expect(odoo.id).not.toBe(odooId);
    expect(odoo.key_name).toBe(`${PREFIX}-admin-2027-01`);
    expect(odoo.status).toBe("ACTIVE");
  });

  it("destroy leaves nothing of the tenant behind", async () => {
    await stack.destroy();
    expect(ours(await adminList("server", "list", "--all-projects"))).toEqual([]);
    expect(ours(await adminList("network", "list"))).toEqual([]);
    expect(ours(await adminList("security", "group", "list"))).toEqual([]);
    expect(ours(await adminList("user", "list"))).toEqual([]);
    expect(ours(await adminList("flavor", "list", "--all"))).toEqual([]);
    expect(ours(await adminList("keypair", "list"))).toEqual([]);
    const ports = (await adminList("port", "list", "--long")).filter((p) =>
      String(p.Name).startsWith(PREFIX),
    );
    expect(ports).toEqual([]);
  });
});
