// The chu-bubbles stack (seed 003) under the real engine, with our OpenStack
// plugin, against the OpenStack lab. Its names are prefixed so that it never
// meets a person's `./socle up chu-bubbles` on the same lab.
//
// A) Bubbles against a real Keystone: each bubble's operator, logged in with
//    its generated password, sees only its own servers, networks (and the
//    shared external one) and ports; the API refuses it the other bubble's
//    network, to read or to attach a port to; Nova and Neutron themselves
//    enforce the planned quotas.
// B) The fault: a bubble whose quota limit is too small for its templates
//    fails before anything is made, naming the bubble and the quota; raising
//    the limit converges, a re-run has nothing to do, and nothing is left half
//    made or made twice.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { parse as parseYaml } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProjectRole, type BubbleQuotas } from "../../components/openstack";
import { repoRoot } from "../../lab/engine";
import {
  ensureOpenStackLab,
  openstackCli,
  type LabUser,
  type OpenStackLabManifest,
} from "../../lab/openstack";
import type { BubbleConfig } from "../../stacks/chu-bubbles";
import { changesIn, destroyProtected, resourceCount, type ProgramStack } from "../e2e/harness";
import { openLabRepoStack } from "./openstack-stack";

type Row = Record<string, unknown>;
interface Checklist {
  items: { item: string; done: boolean }[];
  servers: { name: string }[];
  quotas: BubbleQuotas;
}

const PREFIX = "e2e-chu";
/** The repository's bubbles, every name prefixed. */
const BASE: BubbleConfig[] = (() => {
  const file = path.join(repoRoot, "stacks", "Pulumi.chu-bubbles.yaml");
  const config = (parseYaml(fs.readFileSync(file, "utf8")) as { config: Record<string, unknown> }).config;
  return (config["socle:bubbles"] as BubbleConfig[]).map((b) => ({
    ...b,
    name: `${PREFIX}-${b.name}`,
    users: (b.users ?? []).map((u) => ({ ...u, name: `${PREFIX}-${u.name}` })),
  }));
})();
const [SUD, NORD] = BASE.map((b) => b.name) as [string, string];
const TIGHT = `${PREFIX}-tight`;

/** A bubble of one Odoo (two servers) whose instances quota is limited. */
function tightBubble(
  instances: number,
  templates = [{ name: "erp", template: "odoo+postgres" }],
): BubbleConfig {
  return {
    name: TIGHT,
    subnetCidr: "10.20.3.0/24",
    templates,
    users: [{ name: `${TIGHT}-admin`, role: ProjectRole.Admin }],
    quotaLimits: { instances },
  };
}

/** `openstack quota show` field of each planned quota. */
const CLI_QUOTA: Record<keyof BubbleQuotas, string> = {
  instances: "instances",
  cores: "cores",
  ramMiB: "ram",
  keyPairs: "key-pairs",
  networks: "networks",
  subnets: "subnets",
  ports: "ports",
  routers: "routers",
  floatingIps: "floating-ips",
  securityGroups: "secgroups",
  securityGroupRules: "secgroup-rules",
};

describe("chu-bubbles under the engine against the OpenStack lab", () => {
  let lab: OpenStackLabManifest;
  let program: ProgramStack;
  let stack: Stack;
  // The last bubbles an up was run with (in part made, if it failed): afterAll tears those down.
  let upBubbles: BubbleConfig[] = BASE;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "socle-chu-"));
  const cli = async (who: LabUser, ...args: string[]): Promise<unknown> =>
    JSON.parse(await openstackCli(lab, who, [...args, "-f", "json"]));
  const list = (who: LabUser, ...args: string[]) => cli(who, ...args) as Promise<Row[]>;
  const show = (who: LabUser, ...args: string[]) => cli(who, ...args) as Promise<Row>;
  const ids = (rows: Row[]) => rows.map((r) => String(r.ID)).sort();
  const names = (rows: Row[]) => rows.map((r) => String(r.Name)).sort();

  async function upWith(bubbles: BubbleConfig[]) {
    await stack.setConfig("socle:bubbles", { value: JSON.stringify(bubbles) });
    upBubbles = bubbles;
    return stack.up();
  }

  async function outputs() {
    const out = await stack.outputs();
    return {
      checklists: out.checklists?.value as Record<string, Checklist>,
      projects: out.projects?.value as Record<string, string>,
      passwords: out.operatorPasswords?.value as Record<string, string>,
    };
  }

  /** The operator of a bubble, logged in to the bubble's project. */
  async function operator(bubble: string): Promise<LabUser> {
    const { projects, passwords } = await outputs();
    return {
      username: `${bubble}-operator`,
      password: String(passwords[bubble]),
      projectName: "",
      projectId: String(projects[bubble]),
      domain: "Default",
    };
  }

  beforeAll(async () => {
    lab = await ensureOpenStackLab();
    program = await openLabRepoStack(lab, "chu-bubbles", scratch, {
      "socle:prefix": { value: PREFIX },
      "socle:bubbles": { value: JSON.stringify(BASE) },
    });
    stack = program.stack;
  });

  afterAll(async () => {
    // Lift protection on what last went up, then tear everything down.
    await destroyProtected(program, {
      "socle:bubbles": { value: JSON.stringify(upBubbles) },
      "socle:protectData": { value: "false" },
    });
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("goes up: two bubbles, every delivery check-list item done", async () => {
    const up = await upWith(BASE);
    expect(up.summary.result).toBe("succeeded");
    const { checklists, passwords } = await outputs();
    expect(Object.keys(checklists).sort()).toEqual([SUD, NORD].sort());
    for (const [bubble, list] of Object.entries(checklists)) {
      expect(
        list.items.filter((i) => !i.done).map((i) => i.item),
        bubble,
      ).toEqual([]);
    }
    expect((await stack.outputs()).operatorPasswords?.secret).toBe(true);
    expect(Object.keys(passwords).sort()).toEqual([SUD, NORD].sort());
  });

  it("each operator sees only its own servers, networks (and the external one) and ports", async () => {
    const { checklists, projects } = await outputs();
    const shared = ids([
      ...(await list("admin", "network", "list", "--external")),
      ...(await list("admin", "network", "list", "--share")),
    ]);
    for (const [bubble, other] of [
      [SUD, NORD],
      [NORD, SUD],
    ] as const) {
      const who = await operator(bubble);
      const own = String(projects[bubble]);
      const servers = await list(who, "server", "list");
      expect(names(servers), bubble).toEqual(checklists[bubble]?.servers.map((s) => s.name).sort());

      const networks = ids(await list(who, "network", "list"));
      const ownNetworks = await list("admin", "network", "list", "--project", own);
      expect(names(ownNetworks)).toEqual([bubble]);
      expect(networks, bubble).toEqual([...new Set([...ids(ownNetworks), ...shared])].sort());
      expect(networks).toContain(lab.externalNetwork.id);

      const ports = ids(await list(who, "port", "list"));
      // The bubble's servers and its router's interface (the lab runs no DHCP agent).
      expect(ports.length, bubble).toBeGreaterThanOrEqual(servers.length + 1);
      expect(ports).toEqual(ids(await list("admin", "port", "list", "--project", own)));
      const otherPorts = ids(await list("admin", "port", "list", "--project", String(projects[other])));
      expect(otherPorts.length).toBeGreaterThan(0);
      expect(ports.filter((p) => otherPorts.includes(p))).toEqual([]);
    }
  });

  it("the API refuses a bubble the other's network, to read it or to attach a port to it", async () => {
    const { projects } = await outputs();
    const theirs = await list("admin", "network", "list", "--project", String(projects[NORD]));
    const theirNetwork = String(theirs[0]?.ID);
    const who = await operator(SUD);

    await expect(openstackCli(lab, who, ["network", "show", theirNetwork])).rejects.toThrow(
      new RegExp(`No Network found for ${theirNetwork}`),
    );
    // The CLI would stop at its own look-up: ask Neutron directly to create the port.
    const token = await show(who, "token", "issue");
    const response = await fetch(`${lab.endpoints.network.replace(/\/$/, "")}/v2.0/ports`, {
      method: "POST",
      headers: { "X-Auth-Token": String(token.id), "Content-Type": "application/json" },
      body: JSON.stringify({ port: { network_id: theirNetwork, name: `${PREFIX}-probe` } }),
    });
    const refusal = await response.text();
    expect(response.status, refusal).toBe(404);
    expect(refusal).toMatch(new RegExp(`Network ${theirNetwork} could not be found`));
    const probes = (await list("admin", "port", "list", "--network", theirNetwork)).filter(
      (p) => p.Name === `${PREFIX}-probe`,
    );
    expect(probes).toEqual([]);

    const theirServer = (await list("admin", "server", "list", "--all-projects", "--name", `^${NORD}-`))[0];
    expect(theirServer).toBeDefined();
    await expect(openstackCli(lab, who, ["server", "show", String(theirServer?.ID)])).rejects.toThrow(
      /No server with a name or ID/,
    );
  });

  it("each project has the planned quotas, and Nova and Neutron refuse to go beyond them", async () => {
    const { checklists, projects } = await outputs();
    for (const bubble of [SUD, NORD]) {
      const who = await operator(bubble);
      const planned = checklists[bubble]?.quotas as BubbleQuotas;
      const shown = await show(who, "quota", "show");
      for (const [key, field] of Object.entries(CLI_QUOTA)) {
        expect(shown[field], `${bubble} ${key}`).toBe(planned[key as keyof BubbleQuotas]);
      }

      // Servers up to the instances quota go; the next one is Nova's to refuse.
      const used = (await list(who, "server", "list")).length;
      const extra = (n: number) => `${bubble}-extra-${n}`;
      const create = (n: number) =>
        openstackCli(lab, who, [
          "server",
          "create",
          "--flavor",
          lab.flavor.name,
          "--image",
          lab.image.id,
          "--network",
          bubble,
          "--wait",
          extra(n),
        ]);
      for (let n = used; n < planned.instances; n++) await create(n);
      await expect(create(planned.instances)).rejects.toThrow(/Quota exceeded for [a-z, ]*instances/);
      for (let n = used; n < planned.instances; n++)
        await openstackCli(lab, who, ["server", "delete", "--wait", extra(n)]);

      // Networks likewise, refused by Neutron.
      const networks = (await list("admin", "network", "list", "--project", String(projects[bubble]))).length;
      for (let n = networks; n < planned.networks; n++)
        await openstackCli(lab, who, ["network", "create", extra(n)]);
      await expect(openstackCli(lab, who, ["network", "create", extra(planned.networks)])).rejects.toThrow(
        /Quota exceeded for resources: \['network'\]/,
      );
      for (let n = networks; n < planned.networks; n++)
        await openstackCli(lab, who, ["network", "delete", extra(n)]);
      expect(names(await list(who, "server", "list")).filter((s) => s.includes("-extra-"))).toEqual([]);
    }
  });

  it("a bubble whose quota limit is too small fails before anything is made, naming the bubble and the quota", async () => {
    const before = await resourceCount(stack);
    await stack.setConfig("socle:bubbles", { value: JSON.stringify([...BASE, tightBubble(1)]) });
    await expect(stack.up()).rejects.toThrow(
      new RegExp(
        `bubble "${TIGHT}": quota instances is limited to 1 but its templates need 2; raise quotaLimits.instances to at least 2`,
      ),
    );
    expect(await resourceCount(stack)).toBe(before);
    const state = JSON.stringify((await stack.exportStack()).deployment);
    expect(state).not.toContain(TIGHT);
    expect(names(await list("admin", "project", "list")).filter((n) => n.startsWith(TIGHT))).toEqual([]);
    expect(names(await list("admin", "user", "list")).filter((n) => n.startsWith(TIGHT))).toEqual([]);
    expect(names(await list("admin", "network", "list")).filter((n) => n.startsWith(TIGHT))).toEqual([]);
  });

  it("raising the limit converges, and a re-run has nothing to do", async () => {
    const up = await upWith([...BASE, tightBubble(2)]);
    expect(up.summary.result).toBe("succeeded");
    const { checklists, projects } = await outputs();
    expect(checklists[TIGHT]?.items.filter((i) => !i.done)).toEqual([]);
    expect(checklists[TIGHT]?.quotas.instances).toBe(2);
    const shown = await show("admin", "quota", "show", String(projects[TIGHT]));
    expect(shown.instances).toBe(2);
    expect(changesIn((await stack.preview()).changeSummary)).toEqual({});
  });

  it("a limit raised in the same run as the servers it makes room for converges", async () => {
    const more = tightBubble(3, [
      { name: "erp", template: "odoo+postgres" },
      { name: "files", template: "syncthing" },
    ]);
    const up = await upWith([...BASE, more]);
    expect(up.summary.result).toBe("succeeded");
    const { projects } = await outputs();
    expect((await show("admin", "quota", "show", String(projects[TIGHT]))).instances).toBe(3);
    const servers = await list("admin", "server", "list", "--all-projects", "--name", `^${TIGHT}-`);
    expect(names(servers)).toEqual([`${TIGHT}-erp-app`, `${TIGHT}-erp-db`, `${TIGHT}-files-sync`]);
    for (const s of servers) expect(s.Status, String(s.Name)).toBe("ACTIVE");
    expect(changesIn((await stack.preview()).changeSummary)).toEqual({});
  });

  it("nothing is made twice: one project, operator, network and server of each name", async () => {
    const count = (rows: Row[], name: string) => rows.filter((r) => r.Name === name).length;
    const projects = await list("admin", "project", "list");
    const users = await list("admin", "user", "list");
    const networks = await list("admin", "network", "list");
    const servers = await list("admin", "server", "list", "--all-projects", "--name", `^${PREFIX}-`);
    const { checklists } = await outputs();
    for (const bubble of [SUD, NORD, TIGHT]) {
      expect(count(projects, bubble), bubble).toBe(1);
      expect(count(users, `${bubble}-operator`), bubble).toBe(1);
      expect(count(networks, bubble), bubble).toBe(1);
      for (const s of checklists[bubble]?.servers ?? []) expect(count(servers, s.name), s.name).toBe(1);
    }
    expect(servers.length).toBe(Object.values(checklists).reduce((n, c) => n + c.servers.length, 0));
  });

  it("a key set by hand on a bubble's server shows on refresh as an update of the bubble's one servers guard; up removes it", async () => {
    expect(changesIn((await stack.refresh()).summary.resourceChanges ?? {})).toEqual({});
    const [server] = await list("admin", "server", "list", "--all-projects", "--name", `^${SUD}-`);
    const serverId = String(server?.ID);
    await openstackCli(lab, "admin", ["server", "set", "--property", "changed-by=hand", serverId]);

    const refresh = await stack.refresh();
    expect(changesIn(refresh.summary.resourceChanges ?? {})).toEqual({ update: 1 });
    const state = (await stack.exportStack()).deployment as { resources: { urn: string; outputs?: Row }[] };
    const guard = state.resources.find((r) => r.urn.endsWith(`::${SUD}-servers-guard`))?.outputs ?? {};
    const live = guard.liveMetadata as Record<string, Record<string, string>>;
    expect(live[String(server?.Name)]).toMatchObject({ "changed-by": "hand", "socle-bubble": SUD });

    const up = await stack.up();
    expect(changesIn(up.summary.resourceChanges ?? {})).toEqual({ update: 1 });
    const shown = await show("admin", "server", "show", serverId);
    expect(JSON.stringify(shown.properties)).not.toContain("changed-by");
    expect(JSON.stringify(shown.properties)).toContain(SUD);
    expect(changesIn((await stack.refresh()).summary.resourceChanges ?? {})).toEqual({});
  });

  it("destroy leaves nothing of the bubbles behind", async () => {
    await stack.setConfig("socle:protectData", { value: "false" });
    await stack.up(); // lifts protection in state first
    const destroy = await stack.destroy();
    expect(destroy.summary.result).toBe("succeeded");
    expect(await resourceCount(stack)).toBe(0);
    const ours = (rows: Row[]) => names(rows).filter((n) => n.startsWith(`${PREFIX}-`));
    expect(ours(await list("admin", "project", "list"))).toEqual([]);
    expect(ours(await list("admin", "user", "list"))).toEqual([]);
    expect(ours(await list("admin", "network", "list"))).toEqual([]);
    expect(ours(await list("admin", "server", "list", "--all-projects"))).toEqual([]);
    expect(ours(await list("admin", "flavor", "list", "--all"))).toEqual([]);
  });
});
