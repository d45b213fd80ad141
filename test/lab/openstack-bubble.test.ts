// socle's OpenStack components under the real engine, in the OpenStack lab,
// through the plugin built from terraform-provider-openstack v3.4.0: a bubble
// (project, quotas, operator logging in with its generated password, network,
// groups, generated keypair, servers on pre-made ports in the planned order)
// and a server whose floating IP is associated by port. Then a preview with
// nothing to do, and destroy.
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../lab/engine";
import {
  ensureOpenStackLab,
  openStackEnv,
  openstackCli,
  type OpenStackLabManifest,
} from "../../lab/openstack";
import { changesIn, openProgramStack, resourceCount, type ProgramStack } from "../e2e/harness";

interface Checklist {
  items: { item: string; done: boolean }[];
  servers: { name: string; address: string }[];
}

describe("OpenStack components in the lab (real engine, our plugin)", () => {
  let lab: OpenStackLabManifest;
  let program: ProgramStack;
  // Unique per run: keystone project names and nova keypair names are global.
  const name = `b${randomBytes(3).toString("hex")}`;

  beforeAll(async () => {
    lab = await ensureOpenStackLab();
    program = await openProgramStack(
      path.join(__dirname, "..", "e2e", "programs", "openstack-bubble-lab"),
      {
        socleRoot: { value: repoRoot },
        name: { value: name },
        authUrl: { value: lab.authUrl },
        flavorName: { value: lab.flavor.name },
        imageId: { value: lab.image.id },
        externalNetworkId: { value: lab.externalNetwork.id },
        externalNetworkName: { value: lab.externalNetwork.name },
      },
      "lab",
      openStackEnv(lab, "admin"),
    );
  });
  afterAll(async () => {
    await program?.stack.destroy().catch(() => undefined);
    await program?.dispose();
  });

  it("up creates the bubble and the edge server", async () => {
    const up = await program.stack.up();
    expect(up.summary.result).toBe("succeeded");
    const list = up.outputs.checklist?.value as Checklist;
    // Only what the program gives up on purpose, so that destroy can run.
    expect(list.items.filter((i) => !i.done).map((i) => i.item)).toEqual(["data-bearing servers protected"]);
    expect(list.servers.map((s) => s.name).sort()).toEqual([
      `${name}-erp-app`,
      `${name}-erp-db`,
      `${name}-files-sync`,
    ]);
    for (const s of list.servers) expect(s.address).toMatch(/^10\.20\.0\.\d+$/);
    expect(up.outputs.edgeAddress?.value).toMatch(/^192\.168\.77\.\d+$/);
    expect(up.outputs.operatorPassword?.secret).toBe(true);
  });

  it("the floating IP is associated with the edge server's port", async () => {
    const out = await program.stack.outputs();
    const fips = JSON.parse(
      await openstackCli(lab, "admin", [
        "floating",
        "ip",
        "list",
        "--port",
        String(out.edgePortId?.value),
        "-f",
        "json",
      ]),
    ) as { "Floating IP Address": string }[];
    expect(fips.map((f) => f["Floating IP Address"])).toEqual([out.edgeFloatingAddress?.value]);
  });

  it("a second preview has nothing to do", async () => {
    const preview = await program.stack.preview({ diff: true });
    expect(changesIn(preview.changeSummary), preview.stdout).toEqual({});
  });

  it("destroy removes everything", async () => {
    const destroy = await program.stack.destroy();
    expect(destroy.summary.result).toBe("succeeded");
    expect(await resourceCount(program.stack)).toBe(0);
  });
});
