// Unit tests of the pure planning functions: rules, naming, quotas, flavors,
// templates, replacement classification, check-list, YAML emitter.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import {
  AppKind,
  ServerChangeEffect,
  ServiceKind,
  appCloudConfig,
  buildDeliveryChecklist,
  classifyServerChange,
  ignoredServerInputs,
  joinName,
  pickFlavor,
  planAppFlavors,
  planBackendRules,
  planBubbleQuotas,
  planEdgeRules,
  planEgressRules,
  planTemplateRules,
  resolveTemplate,
  serviceCloudConfig,
  toYaml,
  TEMPLATE_CATALOGUE,
  type YamlValue,
} from "../../../components/openstack";

const ALL_APPS = [AppKind.Odoo, AppKind.Nextcloud, AppKind.Syncthing, AppKind.WordPress];

describe("edge rules (reverse proxy)", () => {
  const rules = planEdgeRules({
    apps: ALL_APPS,
    adminCidr: "192.168.33.0/24",
    clientCidr: "10.20.20.0/24",
    http: true,
    https: true,
  });

  it("opens exactly the seed's ports", () => {
    expect(rules.map((r) => r.portMin).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual([
      22, 80, 443, 8087, 8088, 8806, 8885,
    ]);
  });

  it("allows SSH from the admin CIDR only, and app ports from clients only", () => {
    for (const r of rules) {
      expect(r.direction).toBe("ingress");
      expect(r.protocol).toBe("tcp");
      expect(r.portMin).toBe(r.portMax);
      expect(r.remoteCidr).toBe(r.portMin === 22 ? "192.168.33.0/24" : "10.20.20.0/24");
    }
  });

  it("derives ports from the apps asked for, nothing more", () => {
    const only = planEdgeRules({
      apps: [AppKind.Odoo],
      adminCidr: "192.0.2.0/24",
      clientCidr: "0.0.0.0/0",
      http: false,
      https: false,
    });
    expect(only.map((r) => r.key)).toEqual(["in-tcp-22-admin", "in-tcp-8087-clients"]);
  });

  it("refuses SSH open to the world and malformed CIDRs, naming the field", () => {
    const base = { apps: [], clientCidr: "0.0.0.0/0", http: true, https: true };
    expect(() => planEdgeRules({ ...base, adminCidr: "0.0.0.0/0" })).toThrow(
      /adminCidr: "0.0.0.0\/0" opens the whole Internet/,
    );
    expect(() => planEdgeRules({ ...base, adminCidr: "::/0" })).toThrow(/adminCidr/);
    expect(() => planEdgeRules({ ...base, adminCidr: "10.0.0.0/33" })).toThrow(
      /adminCidr: "10.0.0.0\/33" is not a CIDR/,
    );
    expect(() => planEdgeRules({ ...base, adminCidr: "10.0.0.0" })).toThrow(/is not a CIDR/);
    expect(() => planEdgeRules({ ...base, adminCidr: "192.0.2.0/24", clientCidr: "bad" })).toThrow(
      /clientCidr/,
    );
  });

  it("is deterministic and keyed uniquely", () => {
    const again = planEdgeRules({
      apps: [...ALL_APPS].reverse(),
      adminCidr: "192.168.33.0/24",
      clientCidr: "10.20.20.0/24",
      http: true,
      https: true,
    });
    expect(again).toEqual(rules);
    expect(new Set(rules.map((r) => r.key)).size).toBe(rules.length);
  });
});

describe("backend rules (app servers)", () => {
  it("lets app ports in from the proxy group only, merging apps that share a port", () => {
    const rules = planBackendRules({ apps: ALL_APPS, adminCidr: "192.168.33.0/24", proxyGroup: "proxy" });
    const appRules = rules.filter((r) => r.portMin !== 22);
    expect(appRules.map((r) => r.portMin).sort()).toEqual([80, 8069, 8384]);
    for (const r of appRules) {
      expect(r.remoteGroup).toBe("proxy");
      expect(r.remoteCidr).toBeUndefined();
    }
    expect(appRules.find((r) => r.portMin === 80)?.description).toMatch(/Nextcloud, WordPress/);
  });

  it("egress: one any-protocol rule per CIDR, none when empty", () => {
    expect(planEgressRules([])).toEqual([]);
    const e = planEgressRules(["0.0.0.0/0", "2001:db8::/32"]);
    expect(e.map((r) => [r.protocol, r.remoteCidr])).toEqual([
      ["any", "0.0.0.0/0"],
      ["any", "2001:db8::/32"],
    ]);
    expect(() => planEgressRules(["nope"])).toThrow(/egressCidrs\[0\]/);
  });
});

describe("naming", () => {
  it("joins and validates", () => {
    expect(joinName("MedicArche", "odoo")).toBe("medicarche-odoo");
    expect(() => joinName("a_b")).toThrow(/"a_b" is not a valid name/);
    expect(() => joinName("x".repeat(64))).toThrow(/1-63/);
  });
});

describe("flavors", () => {
  it("plans one flavor per app from its minimum size", () => {
    expect(planAppFlavors("m", [AppKind.Odoo, AppKind.Odoo, AppKind.WordPress])).toEqual([
      { name: "m-odoo", vcpus: 2, ramMiB: 2048, diskGiB: 9 },
      { name: "m-wordpress", vcpus: 1, ramMiB: 1024, diskGiB: 5 },
    ]);
  });

  it("picks the smallest fitting flavor, or says none fits", () => {
    const flavors = [
      { name: "big", vcpus: 4, ramMiB: 8192, diskGiB: 40 },
      { name: "small", vcpus: 1, ramMiB: 1024, diskGiB: 10 },
      { name: "medium", vcpus: 2, ramMiB: 2048, diskGiB: 20 },
    ];
    expect(pickFlavor({ vcpus: 1, ramMiB: 1500, diskGiB: 5 }, flavors).name).toBe("medium");
    expect(() => pickFlavor({ vcpus: 8, ramMiB: 1, diskGiB: 1 }, flavors)).toThrow(
      /none fits 8 vCPU.*available: big, small, medium/,
    );
  });
});

describe("quotas", () => {
  const demand = {
    servers: [
      { vcpus: 2, ramMiB: 2048, diskGiB: 20 },
      { vcpus: 1, ramMiB: 1024, diskGiB: 10 },
    ],
    floatingIps: 1,
    securityGroups: 3,
    securityGroupRules: 10,
    networks: 1,
    subnets: 1,
    routers: 1,
    keyPairs: 1,
  };

  it("covers the demand with headroom", () => {
    const q = planBubbleQuotas(demand, 50);
    expect(q.instances).toBe(3);
    expect(q.cores).toBe(5);
    expect(q.ramMiB).toBe(4608);
    expect(q.ports).toBe(Math.ceil((2 + 2 + 1) * 1.5));
    expect(q.securityGroups).toBe(6); // 3 + Neutron's "default", +50%
  });

  it("never goes below the demand, whatever the headroom", () => {
    for (let h = 0; h <= 200; h += 7) {
      const q = planBubbleQuotas(demand, h);
      expect(q.instances).toBeGreaterThanOrEqual(demand.servers.length);
      expect(q.cores).toBeGreaterThanOrEqual(3);
      expect(q.securityGroupRules).toBeGreaterThanOrEqual(demand.securityGroupRules);
    }
  });

  it("rejects a nonsense headroom", () => {
    expect(() => planBubbleQuotas(demand, -1)).toThrow(/quotaHeadroomPercent: -1/);
  });
});

describe("templates", () => {
  it("resolves by name, or lists the catalogue", () => {
    expect(resolveTemplate("odoo+postgres").vms.map((v) => v.role)).toEqual(["db", "app"]);
    expect(() => resolveTemplate("odoo")).toThrow(/available: odoo\+postgres, web\+db, syncthing/);
  });

  it("turns flows into group-to-group rules: the db only accepts the app", () => {
    const rules = planTemplateRules(resolveTemplate("odoo+postgres"), "10.0.0.0/24", "10.50.0.0/16");
    const db = rules["db"] ?? [];
    expect(db.map((r) => [r.portMin, r.remoteGroup ?? r.remoteCidr])).toEqual([
      [22, "10.0.0.0/24"],
      [5432, "app"],
    ]);
    expect((rules["app"] ?? []).map((r) => r.portMin)).toEqual([22, 8069]);
  });

  it("every catalogue template is consistent", () => {
    for (const spec of Object.values(TEMPLATE_CATALOGUE)) {
      expect(() => planTemplateRules(spec, "10.0.0.0/24", "0.0.0.0/0")).not.toThrow();
    }
  });
});

describe("Odoo on a template VM", () => {
  const password = "Abcdefghijklmnop0123456789";
  const template = serviceCloudConfig(ServiceKind.Odoo, {
    hostname: "b-erp-app",
    timezone: "UTC",
    subnetCidr: "10.20.0.0/24",
    dbPassword: password,
    dbAddress: "10.20.0.5",
  });
  const app = appCloudConfig(AppKind.Odoo, {
    hostname: "m-odoo",
    timezone: "UTC",
    dbPassword: password,
    odooWorkers: 2,
    odooVersion: "17.0",
  });

  it("adds Odoo's apt repository and key before installing odoo", () => {
    const source = template.files.find((f) => f.path === "/etc/apt/sources.list.d/odoo.list");
    expect(source?.content).toBe(
      "deb [signed-by=/usr/share/keyrings/odoo.gpg] https://nightly.odoo.com/17.0/nightly/deb/ ./\n",
    );
    const commands = template.commands.map((c) => c.join(" "));
    const key = commands.findIndex((c) => c.includes("https://nightly.odoo.com/odoo.key"));
    const update = commands.indexOf("apt-get update");
    const install = commands.findIndex((c) => c.startsWith("apt-get install") && c.endsWith(" odoo"));
    expect(key).toBeGreaterThanOrEqual(0);
    expect(update).toBeGreaterThan(key);
    expect(install).toBeGreaterThan(update);
    // cloud-init installs `packages` before runcmd, when the repository's key is not there yet.
    expect(template.packages).not.toContain("odoo");
  });

  it("installs Odoo exactly as the app module does, against the database VM", () => {
    const odooList = (files: typeof template.files) =>
      files.find((f) => f.path === "/etc/apt/sources.list.d/odoo.list");
    expect(odooList(template.files)).toEqual(odooList(app.files));
    // The app module first creates its local PostgreSQL role; the Odoo steps that follow are the same.
    expect(app.commands.slice(-template.commands.length)).toEqual(template.commands);
    const conf = template.files.find((f) => f.path === "/etc/odoo/odoo.conf")?.content ?? "";
    expect(conf).toContain("db_host = 10.20.0.5\n");
    expect(conf).toContain("db_user = app\n");
    expect(conf).not.toContain("proxy_mode");
  });
});

describe("server replacement classification", () => {
  const base = {
    name: "a",
    flavorName: "f",
    imageId: "i",
    userData: "u1",
    keyPair: "k",
    metadata: { h: "1" },
  };

  it("user-data alone replaces a server when not ignored", () => {
    expect(classifyServerChange(base, { ...base, userData: "u2" }, []).effect).toBe(
      ServerChangeEffect.Replace,
    );
  });

  it("user-data is ignored on data-bearing servers; the metadata hash updates in place", () => {
    const ignored = ignoredServerInputs(true, false);
    const change = classifyServerChange(base, { ...base, userData: "u2", metadata: { h: "2" } }, ignored);
    expect(change).toEqual({ effect: ServerChangeEffect.Update, changed: ["metadata"] });
  });

  it("image changes rebuild, unless ignored; keypair changes replace", () => {
    expect(
      classifyServerChange(base, { ...base, imageId: "j" }, ignoredServerInputs(false, false)).effect,
    ).toBe(ServerChangeEffect.Rebuild);
    expect(
      classifyServerChange(base, { ...base, imageId: "j" }, ignoredServerInputs(true, false)).effect,
    ).toBe(ServerChangeEffect.None);
    expect(
      classifyServerChange(base, { ...base, imageId: "j" }, ignoredServerInputs(true, true)).effect,
    ).toBe(ServerChangeEffect.Rebuild);
    expect(
      classifyServerChange(base, { ...base, keyPair: "k2" }, ignoredServerInputs(true, false)).effect,
    ).toBe(ServerChangeEffect.Replace);
    expect(classifyServerChange(base, { ...base, flavorName: "g" }, []).effect).toBe(
      ServerChangeEffect.Update,
    );
  });
});

describe("delivery check-list", () => {
  const input = {
    bubble: "b",
    projectId: "p",
    subnetCidr: "10.20.0.0/24",
    routerId: "r",
    servers: [
      {
        name: "b-x-db",
        template: "web+db",
        role: "db",
        address: "10.20.0.5",
        dataBearing: true,
        protected: true,
      },
      {
        name: "b-x-web",
        template: "web+db",
        role: "web",
        address: "10.20.0.6",
        dataBearing: false,
        protected: false,
      },
    ],
    endpoints: [],
    grants: [{ user: "alice", role: "admin" }],
    quotas: { instances: 3 },
    securityGroups: ["b-baseline"],
  };

  it("ticks every item of a complete bubble", () => {
    expect(buildDeliveryChecklist(input).items.every((i) => i.done)).toBe(true);
  });

  it("flags an unprotected data-bearing server, a missing admin and short quotas", () => {
    const bad = buildDeliveryChecklist({
      ...input,
      servers: input.servers.map((s) => ({ ...s, protected: false })),
      grants: [{ user: "bob", role: "reader" }],
      quotas: { instances: 1 },
    });
    const undone = bad.items.filter((i) => !i.done).map((i) => i.item);
    expect(undone).toEqual([
      "quotas set and sufficient",
      "data-bearing servers protected",
      "an administrator is assigned",
    ]);
    expect(bad.items.find((i) => i.item === "data-bearing servers protected")?.detail).toMatch(
      /b-x-db \(NOT protected\)/,
    );
  });
});

describe("YAML emitter", () => {
  // Round-trip through a real YAML parser: Debian's python3-yaml (a cloud-init dependency).
  function parse(text: string): unknown {
    return JSON.parse(
      execFileSync(
        "/usr/bin/python3",
        ["-c", "import sys,json,yaml;print(json.dumps(yaml.safe_load(sys.stdin.read())))"],
        {
          input: text,
        },
      ).toString(),
    );
  }

  it("round-trips awkward values", () => {
    const doc: { [k: string]: YamlValue } = {
      plain: "yes",
      octal: "0644",
      number: 8087,
      bool: false,
      multi: "a: b\n  - c\n#d\n",
      noNewline: "x\ny",
      trailingBlank: "x\n\n",
      leadingSpace: "  indented\nnext",
      list: ["no", "on", "~", ""],
      nested: [["sh", "-c", "echo 'x' \"y\""], []],
      maps: [{ a: 1, "key with space": { b: [] } }, {}],
    };
    expect(parse(toYaml(doc))).toEqual(doc);
  });
});
