// The MedicArche tenant made three ways against the OpenStack lab, one after
// the other, round after round: socle's `medicarche` stack under the real
// engine, the same tenant in HCL under OpenTofu with the same Terraform
// provider, and seed 002's sequential `openstack` CLI calls in bash. Each
// gets its own name prefix, so the three never touch each other's resources.
import * as fs from "node:fs";
import * as path from "node:path";
import { openStackEnv, type OpenStackLabManifest } from "../../lab/openstack";
import { openLabRepoStack } from "../../test/lab/openstack-stack";
import { changesIn, type ProgramStack } from "../../test/e2e/harness";
import { run } from "./measure";
import { prepareTenant, type TenantInputs } from "./tenantInputs";

/** The steps a peer is timed on; the no-op checks only where the tool has one. */
export interface Peer {
  name: string;
  create(): Promise<void>;
  /** The check a user runs before changing anything: `pulumi preview`, `tofu plan`. */
  noop?(): Promise<void>;
  /** The same, reading every resource back from the cloud first. */
  noopRefresh?(): Promise<void>;
  /** OpenStack resources it manages, by socle type token (for the equal-count check). */
  count?(): Promise<Record<string, number>>;
  destroy(): Promise<void>;
  /** Removes the peer's scratch state once everything is destroyed. */
  dispose(): Promise<void>;
}

/** OpenTofu's resource types and the @pulumi/openstack tokens socle declares for the same objects. */
export const TOFU_TO_PULUMI_TYPE: Readonly<Record<string, string>> = {
  openstack_compute_flavor_v2: "openstack:compute/flavor:Flavor",
  openstack_images_image_v2: "openstack:images/image:Image",
  openstack_networking_network_v2: "openstack:networking/network:Network",
  openstack_networking_subnet_v2: "openstack:networking/subnet:Subnet",
  openstack_networking_router_v2: "openstack:networking/router:Router",
  openstack_networking_router_interface_v2: "openstack:networking/routerInterface:RouterInterface",
  openstack_networking_secgroup_v2: "openstack:networking/secGroup:SecGroup",
  openstack_networking_secgroup_rule_v2: "openstack:networking/secGroupRule:SecGroupRule",
  openstack_compute_keypair_v2: "openstack:compute/keypair:Keypair",
  openstack_networking_port_v2: "openstack:networking/port:Port",
  openstack_compute_instance_v2: "openstack:compute/instance:Instance",
  openstack_networking_floatingip_v2: "openstack:networking/floatingIp:FloatingIp",
  openstack_networking_floatingip_associate_v2:
    "openstack:networking/floatingIpAssociate:FloatingIpAssociate",
  openstack_identity_user_v3: "openstack:identity/user:User",
  openstack_identity_role_assignment_v3: "openstack:identity/roleAssignment:RoleAssignment",
};

function tally(types: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const t of types) counts[t] = (counts[t] ?? 0) + 1;
  return counts;
}

/** socle's `medicarche` stack, unprotected so that each round can destroy it. */
export async function soclePeer(lab: OpenStackLabManifest, prefix: string, scratch: string): Promise<Peer> {
  const program: ProgramStack = await openLabRepoStack(lab, "medicarche", scratch, {
    "socle:prefix": { value: prefix },
    "socle:protectData": { value: "false" },
  });
  const stack = program.stack;
  const previewClean = async (refresh: boolean) => {
    const result = await stack.preview({ refresh });
    const changes = changesIn(result.changeSummary);
    if (Object.keys(changes).length > 0) {
      throw new Error(
        `socle: the no-op preview${refresh ? " --refresh" : ""} shows changes: ${JSON.stringify(changes)}`,
      );
    }
  };
  return {
    name: "socle",
    async create() {
      const up = await stack.up();
      if (up.summary.result !== "succeeded") throw new Error(`socle: up ${up.summary.result}`);
    },
    noop: () => previewClean(false),
    noopRefresh: () => previewClean(true),
    async count() {
      const deployment = (await stack.exportStack()).deployment as { resources?: { type: string }[] };
      return tally((deployment.resources ?? []).map((r) => r.type).filter((t) => t.startsWith("openstack:")));
    },
    async destroy() {
      await stack.destroy();
    },
    dispose: () => program.dispose(),
  };
}

/** bench/openstack/tofu/main.tf under OpenTofu, the provider from the local mirror. */
export async function tofuPeer(
  lab: OpenStackLabManifest,
  tenant: TenantInputs,
  peerDir: string,
  workDir: string,
): Promise<Peer & { initSeconds: number }> {
  fs.mkdirSync(workDir, { recursive: true });
  fs.copyFileSync(path.join(__dirname, "tofu", "main.tf"), path.join(workDir, "main.tf"));
  fs.writeFileSync(
    path.join(workDir, "terraform.tfvars.json"),
    JSON.stringify(tenant.tofuVariables, null, 2),
  );
  const env = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? "/root",
    TF_CLI_CONFIG_FILE: path.join(peerDir, "tofurc"),
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    ...openStackEnv(lab, "admin"),
  };
  const tofu = (...args: string[]) => run(path.join(peerDir, "tofu"), args, { cwd: workDir, env });
  const start = process.hrtime.bigint();
  await tofu("init", "-no-color");
  const initSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  return {
    name: "OpenTofu",
    initSeconds,
    async create() {
      await tofu("apply", "-auto-approve", "-no-color");
    },
    // -detailed-exitcode: 0 when there is nothing to do, 2 (a failure here) when there is.
    noop: async () => void (await tofu("plan", "-detailed-exitcode", "-refresh=false", "-no-color")),
    noopRefresh: async () => void (await tofu("plan", "-detailed-exitcode", "-no-color")),
    async count() {
      const addresses = (await tofu("state", "list")).split("\n").filter((a) => a && !a.startsWith("data."));
      return tally(
        addresses.map((a) => {
          const type = a.split(".")[0];
          const token = TOFU_TO_PULUMI_TYPE[type];
          if (token === undefined) throw new Error(`OpenTofu made a ${type}, which the bench does not map`);
          return token;
        }),
      );
    },
    async destroy() {
      await tofu("destroy", "-auto-approve", "-no-color");
    },
    dispose: async () => fs.rmSync(workDir, { recursive: true, force: true }),
  };
}

/** Seed 002's way: bench/openstack/medicarche-cli.sh, one `openstack` call after the other. */
export function cliPeer(lab: OpenStackLabManifest, tenant: TenantInputs): Peer {
  // Debian's openstack uses /usr/bin/python3 and must not see another Python's settings.
  const env = {
    PATH: "/usr/local/bin:/usr/bin:/bin",
    HOME: process.env.HOME ?? "/root",
    ...openStackEnv(lab, "admin"),
  };
  const script = path.join(__dirname, "medicarche-cli.sh");
  const cli = (action: string) => run("bash", [script, action, tenant.dir], { env });
  return {
    name: "openstack CLI",
    create: async () => void (await cli("create")),
    async count() {
      // What the script made, read back with the CLI itself (servers, ports, rules).
      const names = (kind: string[]) =>
        run("openstack", [...kind, "-f", "value", "-c", "Name"], { env }).then((out) =>
          out.split("\n").filter((n) => n.startsWith(`${tenant.prefix}-`)),
        );
      const servers = await names(["server", "list"]);
      const ports = await names(["port", "list"]);
      return {
        "openstack:compute/instance:Instance": servers.length,
        "openstack:networking/port:Port": ports.length,
      };
    },
    destroy: async () => void (await cli("delete")),
    dispose: async () => fs.rmSync(tenant.dir, { recursive: true, force: true }),
  };
}

/** The prepared inputs of the two peers that are given their secrets. */
export function prepareTenants(
  lab: OpenStackLabManifest,
  scratch: string,
  tag: string,
): { tofu: TenantInputs; cli: TenantInputs } {
  return {
    tofu: prepareTenant(lab, `bench-t-${tag}`, path.join(scratch, "tofu-inputs")),
    cli: prepareTenant(lab, `bench-c-${tag}`, path.join(scratch, "cli-inputs")),
  };
}
