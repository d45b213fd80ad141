// Every user-data socle generates is validated by Debian's real cloud-init
// (`cloud-init schema --config-file`). Install it with
// scripts/setup-system.sh (run by ./socle test); without it this file fails, it never skips.
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  AppKind,
  ServiceKind,
  appCloudConfig,
  proxyCloudConfig,
  renderCloudConfig,
  serviceUserData,
} from "../../../components/openstack";

const CLOUD_INIT = "/usr/bin/cloud-init";
let dir = "";

function validate(userData: string): { ok: boolean; output: string } {
  const file = path.join(dir, `ud-${Math.random().toString(36).slice(2)}.yaml`);
  fs.writeFileSync(file, userData);
  const r = spawnSync(CLOUD_INIT, ["schema", "--config-file", file], { encoding: "utf8" });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

const settings = {
  hostname: "medicarche-app",
  timezone: "Europe/Paris",
  dbPassword: "Abcdefghijklmnop0123456789",
  odooWorkers: 2,
  odooVersion: "17.0",
};

beforeAll(() => {
  if (!fs.existsSync(CLOUD_INIT)) {
    throw new Error(
      `${CLOUD_INIT} is missing: run scripts/setup-system.sh (installs Debian's cloud-init) and re-run`,
    );
  }
  execFileSync(CLOUD_INIT, ["--version"]);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "socle-cloudinit-"));
});

describe("cloud-init validator", () => {
  it("rejects an invalid document (so a pass means something)", () => {
    const r = validate("#cloud-config\npackages: 3\nruncmd: {a: 1}\n");
    expect(r.ok).toBe(false);
    expect(r.output).toMatch(/packages: 3 is not of type 'array'/);
  });
});

describe("application user-data is valid cloud-config", () => {
  for (const kind of Object.values(AppKind)) {
    it(kind, () => {
      const ud = renderCloudConfig(appCloudConfig(kind, { ...settings, hostname: `medicarche-${kind}` }));
      expect(ud.startsWith("#cloud-config\n")).toBe(true);
      const r = validate(ud);
      expect(r.output).toMatch(/Valid cloud-config/);
      expect(r.ok).toBe(true);
    });
  }

  it("reverse proxy", () => {
    const ud = renderCloudConfig(
      proxyCloudConfig("medicarche-proxy", "Europe/Paris", [
        { kind: AppKind.Odoo, address: "192.168.222.10" },
        { kind: AppKind.Syncthing, address: "192.168.222.11" },
      ]),
    );
    expect(ud).toContain("listen 8087;");
    expect(ud).toContain("proxy_pass http://192.168.222.11:8384;");
    expect(validate(ud).ok).toBe(true);
  });

  for (const service of Object.values(ServiceKind)) {
    it(`template service ${service}`, () => {
      const ud = serviceUserData(service, {
        hostname: `b-x-${service}`,
        timezone: "UTC",
        subnetCidr: "10.20.0.0/24",
        dbPassword: "Abcdefghijklmnop0123456789",
        dbAddress: "10.20.0.5",
      });
      const r = validate(ud);
      expect(r.output).toMatch(/Valid cloud-config/);
    });
  }
});

describe("secrets in user-data", () => {
  it("db passwords go to root-only files, never on a command line", () => {
    for (const kind of [AppKind.Odoo, AppKind.Nextcloud, AppKind.WordPress]) {
      const c = appCloudConfig(kind, settings);
      for (const cmd of c.commands) expect(cmd.join(" ")).not.toContain(settings.dbPassword);
      const holders = c.files.filter((f) => f.content.includes(settings.dbPassword));
      expect(holders.length).toBeGreaterThan(0);
      for (const f of holders) expect(["0600", "0640"]).toContain(f.permissions);
    }
  });

  it("refuses weak or unquotable passwords, naming the field", () => {
    expect(() => appCloudConfig(AppKind.Odoo, { ...settings, dbPassword: "short" })).toThrow(
      /dbPassword must be a generated password/,
    );
    expect(() =>
      appCloudConfig(AppKind.WordPress, { ...settings, dbPassword: "abcdefghijklmnop'q" }),
    ).toThrow(/must not contain quotes/);
    expect(() => appCloudConfig(AppKind.Odoo, { ...settings, odooWorkers: -1 })).toThrow(/odooWorkers: -1/);
  });

  it("a non-structural setting changes only the user-data", () => {
    const a = renderCloudConfig(appCloudConfig(AppKind.Odoo, settings));
    const b = renderCloudConfig(appCloudConfig(AppKind.Odoo, { ...settings, odooWorkers: 4 }));
    expect(a).not.toEqual(b);
    expect(b).toContain("workers = 4");
  });
});
