// socle's drift guards under the real engine, in the OpenStack lab: changes
// made by hand with the `openstack` CLI that the openstack provider does not
// read back (a rule added to a socle group, a metadata key set on a server)
// show on `pulumi refresh` as updates of the guards, `pulumi up` puts back
// exactly socle's rules and metadata, and the state holds no password in clear.
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import type { ConfigMap, Stack } from "@pulumi/pulumi/automation";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../lab/engine";
import {
  ensureOpenStackLab,
  openStackEnv,
  openstackCli,
  type OpenStackLabManifest,
} from "../../lab/openstack";
import {
  changesIn,
  openProgramStack,
  resourceCount,
  storedStateText,
  type ProgramStack,
} from "../e2e/harness";

type Row = Record<string, unknown>;

/** A rule as `openstack security group rule list --long` shows it. */
function cliRule(r: Row): string {
  return `${String(r.Direction)} ${String(r["IP Protocol"] ?? "any")} ${String(r["Port Range"] || "any")} ${String(r["IP Range"])}`;
}

/** A server's properties as `openstack server show -f json` gives them (a dict, or "k='v', ..." in older clients). */
function properties(server: Row): Record<string, string> {
  const raw = server.properties;
  if (typeof raw === "object" && raw !== null) return raw as Record<string, string>;
  return Object.fromEntries(
    [...String(raw ?? "").matchAll(/([^=,\s]+)='([^']*)'/g)].map((m) => [m[1], m[2]]),
  );
}

describe("drift guards in the OpenStack lab (real engine, our plugin)", () => {
  let lab: OpenStackLabManifest;
  let program: ProgramStack;
  let stack: Stack;
  // Unique per run: the lab is shared.
  const name = `drift-${randomBytes(3).toString("hex")}`;
  const socleRules = ["egress any any 0.0.0.0/0", "ingress tcp 22:22 10.0.0.0/24"];
  const cli = async (...args: string[]): Promise<unknown> =>
    JSON.parse(await openstackCli(lab, "admin", [...args, "-f", "json"]));
  const liveRules = async (groupId: string) =>
    ((await cli("security", "group", "rule", "list", groupId, "--long")) as Row[]).map(cliRule).sort();
  const liveProperties = async (serverId: string) =>
    properties((await cli("server", "show", serverId)) as Row);

  beforeAll(async () => {
    lab = await ensureOpenStackLab();
    const settings: Record<string, string> = {
      socleRoot: repoRoot,
      name,
      authUrl: lab.authUrl,
      userName: lab.admin.username,
      projectName: lab.admin.projectName,
      region: lab.region,
      flavorName: lab.flavor.name,
      imageId: lab.image.id,
    };
    const config: ConfigMap = Object.fromEntries(
      Object.entries(settings).map(([k, value]) => [k, { value }]),
    );
    config.password = { value: lab.admin.password, secret: true };
    const dir = path.join(__dirname, "..", "e2e", "programs", "openstack-drift");
    program = await openProgramStack(dir, config, "lab", openStackEnv(lab, "admin"));
    stack = program.stack;
  });
  afterAll(async () => {
    await stack?.destroy().catch(() => undefined);
    await program?.dispose();
  });

  it("up makes the group with exactly its two rules and the server with socle's metadata", async () => {
    const up = await stack.up();
    expect(up.summary.result).toBe("succeeded");
    const out = await stack.outputs();
    expect(await liveRules(String(out.groupId?.value))).toEqual(socleRules);
    expect(await liveProperties(String(out.serverId?.value))).toEqual({
      role: "drift-test",
      "socle-data-bearing": "false",
    });
  });

  it("right after up, refresh finds no drift and preview nothing to do", async () => {
    expect(changesIn((await stack.refresh()).summary.resourceChanges ?? {})).toEqual({});
    const preview = await stack.preview({ diff: true });
    expect(changesIn(preview.changeSummary), preview.stdout).toEqual({});
  });

  it("a rule added and a metadata key set by hand show on refresh as updates of the two guards", async () => {
    const out = await stack.outputs();
    const groupId = String(out.groupId?.value);
    const serverId = String(out.serverId?.value);
    await cli(
      "security",
      "group",
      "rule",
      "create",
      "--ingress",
      "--protocol",
      "tcp",
      "--dst-port",
      "8080",
      "--remote-ip",
      "0.0.0.0/0",
      groupId,
    );
    await openstackCli(lab, "admin", ["server", "set", "--property", "changed-by=hand", serverId]);
    expect(await liveRules(groupId)).toHaveLength(3);

    const refresh = await stack.refresh();
    expect(changesIn(refresh.summary.resourceChanges ?? {})).toEqual({ update: 2 });
    const state = (await stack.exportStack()).deployment as { resources: { urn: string; outputs?: Row }[] };
    const guard = (suffix: string) =>
      state.resources.find((r) => r.urn.endsWith(`::${name}-${suffix}-guard`))?.outputs;
    expect(guard("sg")?.liveRules).toContain("ingress IPv4 tcp 8080-8080 from 0.0.0.0/0");
    expect(guard("vm")?.liveMetadata).toMatchObject({ "changed-by": "hand", role: "drift-test" });
  });

  it("up restores exactly socle's rules and metadata; then preview and refresh are empty", async () => {
    const out = await stack.outputs();
    const up = await stack.up();
    expect(changesIn(up.summary.resourceChanges ?? {})).toEqual({ update: 2 });
    expect(await liveRules(String(out.groupId?.value))).toEqual(socleRules);
    expect(await liveProperties(String(out.serverId?.value))).toEqual({
      role: "drift-test",
      "socle-data-bearing": "false",
    });
    const preview = await stack.preview({ diff: true });
    expect(changesIn(preview.changeSummary), preview.stdout).toEqual({});
    expect(changesIn((await stack.refresh()).summary.resourceChanges ?? {})).toEqual({});
  });

  it("the server's guard logs in with its provider's credentials, the password a secret; none stored in clear", async () => {
    const state = (await stack.exportStack()).deployment as { resources: { urn: string; outputs?: Row }[] };
    const vmGuard = state.resources.find((r) => r.urn.endsWith(`::${name}-vm-guard`))?.outputs ?? {};
    expect(vmGuard.userName).toBe(lab.admin.username);
    expect(vmGuard.projectName).toBe(lab.admin.projectName);
    // exportStack shows secrets as the engine's envelope, never their value.
    expect(JSON.stringify(vmGuard.password)).toContain("4dabf18193072939515e22adb298388d");
    const sgGuard = state.resources.find((r) => r.urn.endsWith(`::${name}-sg-guard`))?.outputs ?? {};
    expect(sgGuard.password).toBeUndefined(); // the engine's environment, not stored
    expect(storedStateText(program.backendDir)).not.toContain(lab.admin.password);
  });

  it("destroy removes everything and leaves the password out of the state", async () => {
    const destroy = await stack.destroy();
    expect(destroy.summary.result).toBe("succeeded");
    expect(await resourceCount(stack)).toBe(0);
    expect(storedStateText(program.backendDir)).not.toContain(lab.admin.password);
  });
});
