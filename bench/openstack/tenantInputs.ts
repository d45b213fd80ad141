// What the peers of bench/openstack need to make the same MedicArche tenant
// as socle's stack, prepared once per run in a scratch folder: the settings
// of the seed (the stack's own config), an SSH key, the apps' cloud-init as
// socle renders it (with database passwords drawn here) and the IT team's
// passwords. socle draws its own (socle/secrets); OpenTofu without the random
// and tls providers, and the seed's bash, are given them.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { AppKind, appCloudConfig, renderCloudConfig } from "../../components/openstack";
import { DEFAULT_ODOO_VERSION } from "../../components/openstack/services";
import type { OpenStackLabManifest } from "../../lab/openstack";
import { MEDICARCHE_APPS } from "../../stacks/medicarche";

/** The seed's settings, as stacks/Pulumi.medicarche.yaml has them. */
export const TENANT = {
  adminCidr: "192.168.33.0/24",
  clientCidr: "10.20.20.0/24",
  subnetCidr: "192.168.222.0/24",
} as const;

/** The roles of the IT team's three users. */
export const TEAM_ROLES = ["admin", "member", "reader"] as const;

/** Files and values of one prepared tenant. */
export interface TenantInputs {
  /** Resource name prefix, unique to this run. */
  prefix: string;
  /** Folder holding settings, id.pub, user-data/ and passwords/ (medicarche-cli.sh's INPUT_DIR). */
  dir: string;
  /** The blank qcow2 disk uploaded as the image (nothing boots in the lab). */
  imagePath: string;
  /** terraform.tfvars.json content for bench/openstack/tofu. */
  tofuVariables: Record<string, unknown>;
}

const password = (): string => randomBytes(24).toString("base64url");

/** Writes the inputs of a tenant named `prefix` into `dir`. */
export function prepareTenant(lab: OpenStackLabManifest, prefix: string, dir: string): TenantInputs {
  fs.mkdirSync(path.join(dir, "user-data"), { recursive: true });
  fs.mkdirSync(path.join(dir, "passwords"), { recursive: true });
  const imagePath = path.join(dir, "ubuntu.qcow2");
  execFileSync("qemu-img", ["create", "-q", "-f", "qcow2", imagePath, "16M"]);
  execFileSync("ssh-keygen", [
    "-q",
    "-t",
    "rsa",
    "-b",
    "3072",
    "-N",
    "",
    "-C",
    prefix,
    "-f",
    path.join(dir, "id"),
  ]);
  const userData: Record<string, string> = {};
  for (const kind of MEDICARCHE_APPS) {
    const config = appCloudConfig(kind, {
      hostname: `${prefix}-${kind}`,
      timezone: "Europe/Paris",
      dbPassword: kind === AppKind.Syncthing ? undefined : password(),
      odooWorkers: 2,
      odooVersion: DEFAULT_ODOO_VERSION,
    });
    userData[kind] = renderCloudConfig(config);
    fs.writeFileSync(path.join(dir, "user-data", `${kind}.yaml`), userData[kind]);
  }
  const passwords = Object.fromEntries(TEAM_ROLES.map((role) => [role, password()]));
  for (const [role, value] of Object.entries(passwords)) {
    fs.writeFileSync(path.join(dir, "passwords", role), value, { mode: 0o600 });
  }
  const settings = {
    PREFIX: prefix,
    ADMIN_CIDR: TENANT.adminCidr,
    CLIENT_CIDR: TENANT.clientCidr,
    EXTERNAL_NETWORK: lab.externalNetwork.name,
    SUBNET_CIDR: TENANT.subnetCidr,
    IMAGE_PATH: imagePath,
  };
  fs.writeFileSync(
    path.join(dir, "settings"),
    Object.entries(settings)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}\n`)
      .join(""),
  );
  return {
    prefix,
    dir,
    imagePath,
    tofuVariables: {
      prefix,
      admin_cidr: TENANT.adminCidr,
      client_cidr: TENANT.clientCidr,
      external_network: lab.externalNetwork.name,
      subnet_cidr: TENANT.subnetCidr,
      image_path: imagePath,
      ssh_public_key: fs.readFileSync(path.join(dir, "id.pub"), "utf8").trim(),
      app_user_data: userData,
      user_passwords: passwords,
    },
  };
}
