// planBubble: what a bubble holds, decided without any resource. Tables for
// the catalogue's templates, properties for any mix and order of them.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ServiceKind,
  TEMPLATE_CATALOGUE,
  dependencyOrder,
  planBubble,
  type BubblePlan,
  type BubblePlanArgs,
  type TemplateSpec,
} from "../../../components/openstack";

const FLAVORS = [
  { name: "small", vcpus: 1, ramMiB: 1024, diskGiB: 10 },
  { name: "medium", vcpus: 2, ramMiB: 2048, diskGiB: 20 },
];

function args(templates: BubblePlanArgs["templates"], extra: Partial<BubblePlanArgs> = {}): BubblePlanArgs {
  return { flavors: FLAVORS, templates, adminCidr: "10.0.0.0/24", clientCidr: "10.50.0.0/16", ...extra };
}

/** What each server waits for, independent of list order. */
function dependencies(
  plan: BubblePlan,
): Record<string, { dependsOn: string[]; database: string | undefined }> {
  return Object.fromEntries(
    plan.servers.map((s) => [s.name, { dependsOn: [...s.dependsOn].sort(), database: s.databaseServer }]),
  );
}

function isDependencyOrder(plan: BubblePlan): boolean {
  const serversOk = plan.servers.every((s, i) =>
    s.dependsOn.every((d) => plan.servers.findIndex((x) => x.name === d) < i),
  );
  const groupsOk = plan.groups.every((g, i) =>
    Object.values(g.remoteGroups).every((r) => plan.groups.findIndex((x) => x.name === r) < i),
  );
  return serversOk && groupsOk;
}

describe("planBubble: the catalogue's templates", () => {
  it.each([
    [
      "odoo+postgres",
      [
        ["b-erp-db", [], undefined, "b-erp-db"],
        ["b-erp-app", ["b-erp-db"], "b-erp-db", "b-erp-db"],
      ],
    ],
    [
      "web+db",
      [
        ["b-erp-db", [], undefined, "b-erp-db"],
        ["b-erp-web", ["b-erp-db"], "b-erp-db", "b-erp-db"],
      ],
    ],
    ["syncthing", [["b-erp-sync", [], undefined, undefined]]],
  ])("%s: servers in creation order, what they wait for, their password", (template, expected) => {
    const plan = planBubble("b", args([{ name: "erp", template }]));
    expect(plan.servers.map((s) => [s.name, s.dependsOn, s.databaseServer, s.passwordName])).toEqual(
      expected,
    );
  });

  it("gives each VM the smallest flavor, protects data-bearing VMs unless told not to", () => {
    const plan = planBubble("b", args([{ name: "site", template: "web+db" }]));
    expect(plan.servers.map((s) => [s.name, s.flavor.name, s.protect])).toEqual([
      ["b-site-db", "medium", true],
      ["b-site-web", "small", false],
    ]);
    const unprotected = planBubble("b", args([{ name: "site", template: "web+db" }], { protectData: false }));
    expect(unprotected.servers.every((s) => !s.protect)).toBe(true);
  });

  it("shares one group per template role between instances, the flow's source group first", () => {
    const plan = planBubble(
      "b",
      args([
        { name: "erp1", template: "odoo+postgres" },
        { name: "erp2", template: "odoo+postgres" },
      ]),
    );
    expect(plan.groups.map((g) => [g.name, g.remoteGroups])).toEqual([
      ["b-odoo-postgres-app", {}],
      ["b-odoo-postgres-db", { app: "b-odoo-postgres-app" }],
    ]);
    expect(plan.servers.map((s) => s.groupName)).toEqual([
      "b-odoo-postgres-db",
      "b-odoo-postgres-app",
      "b-odoo-postgres-db",
      "b-odoo-postgres-app",
    ]);
    expect(plan.passwords).toEqual(["b-erp1-db", "b-erp2-db"]);
  });

  it("lists the endpoints the clients reach", () => {
    const plan = planBubble("b", args([{ name: "site", template: "web+db" }]));
    expect(plan.endpoints).toEqual([
      { name: "b-site-web:80", server: "b-site-web", port: 80 },
      { name: "b-site-web:443", server: "b-site-web", port: 443 },
    ]);
  });

  it("fails naming the field: bad names, twice the same instance, unknown template, bad CIDRs", () => {
    expect(() => planBubble("B!", args([]))).toThrow(/bubble name: "B!" is not a valid name/);
    expect(() =>
      planBubble(
        "b",
        args([
          { name: "x", template: "syncthing" },
          { name: "x", template: "syncthing" },
        ]),
      ),
    ).toThrow(/templates: instance "x" appears twice/);
    expect(() => planBubble("b", args([{ name: "x", template: "oracle" }]))).toThrow(
      /template: "oracle" is not in the catalogue/,
    );
    expect(() => planBubble("b", args([], { adminCidr: "0.0.0.0/0" }))).toThrow(/adminCidr/);
    expect(() => planBubble("b", args([], { subnetCidr: "10.0.0.0/33" }))).toThrow(/subnetCidr/);
  });
});

describe("planBubble: explicit quota limits", () => {
  // odoo+postgres: two "medium" servers (2 vCPUs, 2048 MiB each), three groups.
  const erp = [{ name: "erp", template: "odoo+postgres" }];
  const planned = planBubble("b", args(erp)).quotas;

  it.each([
    [{ instances: 2 }, { instances: 2 }],
    [
      { instances: 10, floatingIps: 3 },
      { instances: 10, floatingIps: 3 },
    ],
    [
      { cores: 4, ramMiB: 4096 },
      { cores: 4, ramMiB: 4096 },
    ],
    [{ securityGroups: 4 }, { securityGroups: 4 }],
  ])("%j replaces only those quotas", (quotaLimits, expected) => {
    const plan = planBubble("b", args(erp, { quotaLimits }));
    expect(plan.quotas).toEqual({ ...planned, ...expected });
  });

  it.each([
    [
      { instances: 1 },
      /bubble "b": quota instances is limited to 1 but its templates need 2; raise quotaLimits.instances to at least 2/,
    ],
    [
      { cores: 3 },
      /bubble "b": quota cores is limited to 3 but its templates need 4; raise quotaLimits.cores to at least 4/,
    ],
    [{ ramMiB: 4095 }, /quota ramMiB is limited to 4095 but its templates need 4096/],
    // The baseline, two role groups and Neutron's "default".
    [{ securityGroups: 3 }, /quota securityGroups is limited to 3 but its templates need 4/],
    [{ ports: 2 }, /quota ports is limited to 2 but its templates need 5/],
    [{ instances: -1 }, /bubble "b": quotaLimits.instances: -1 must be a whole number, 0 or more/],
    [{ cores: 4.5 }, /quotaLimits.cores: 4.5 must be a whole number/],
  ])(
    "%j fails before anything is made, naming the bubble, the quota, the need and the fix",
    (quotaLimits, error) => {
      expect(() => planBubble("b", args(erp, { quotaLimits }))).toThrow(error);
    },
  );

  it("names every limit that is too small at once", () => {
    expect(() =>
      planBubble("b", args(erp, { quotaLimits: { instances: 0, ramMiB: 10, keyPairs: 0 } })),
    ).toThrow(/quota instances .* need 2; .*; quota ramMiB .* need 4096; .*; quota keyPairs .* need 1;/);
  });

  it("a bubble with no template may have no server quota at all, but needs its network", () => {
    const plan = planBubble(
      "b",
      args([], { quotaLimits: { instances: 0, cores: 0, ramMiB: 0, floatingIps: 0 } }),
    );
    expect(plan.quotas).toMatchObject({ instances: 0, cores: 0, ramMiB: 0, floatingIps: 0, networks: 2 });
    expect(() => planBubble("b", args([], { quotaLimits: { networks: 0 } }))).toThrow(
      /quota networks is limited to 0 but its templates need 1/,
    );
  });
});

describe("planBubble: templates outside the catalogue", () => {
  const SIZE = { vcpus: 1, ramMiB: 512, diskGiB: 5 };
  const chain: TemplateSpec = {
    name: "chain",
    description: "front -> middle -> back, listed backwards",
    vms: [
      { role: "front", service: ServiceKind.WebServer, size: SIZE, dataBearing: false },
      { role: "middle", service: ServiceKind.WebServer, size: SIZE, dataBearing: false },
      { role: "back", service: ServiceKind.PostgreSql, size: SIZE, dataBearing: true },
    ],
    flows: [
      { from: "middle", to: "back", port: 5432, description: "db" },
      { from: "front", to: "middle", port: 8080, description: "api" },
    ],
  };

  it("orders servers and groups by their flows, not by how the template lists them", () => {
    const plan = planBubble("b", args([{ name: "c", template: "chain" }]), { chain });
    expect(plan.servers.map((s) => s.name)).toEqual(["b-c-back", "b-c-middle", "b-c-front"]);
    expect(plan.groups.map((g) => g.role)).toEqual(["front", "middle", "back"]);
    expect(isDependencyOrder(plan)).toBe(true);
  });

  it("refuses a cycle of flows and an Odoo VM with no database to reach", () => {
    const cycle = {
      ...chain,
      flows: [...chain.flows, { from: "back", to: "front", port: 1, description: "x" }],
    };
    expect(() => planBubble("b", args([{ name: "c", template: "chain" }]), { chain: cycle })).toThrow(
      /dependency cycle between/,
    );
    const lonely: TemplateSpec = {
      name: "lonely",
      description: "odoo alone",
      vms: [{ role: "app", service: ServiceKind.Odoo, size: SIZE, dataBearing: false }],
      flows: [],
    };
    expect(() => planBubble("b", args([{ name: "o", template: "lonely" }]), { lonely })).toThrow(
      /role "app" runs Odoo but opens no flow to a database role/,
    );
  });
});

describe("dependencyOrder", () => {
  it("keeps the given order when nothing forces otherwise, and names unknown dependencies", () => {
    expect(
      dependencyOrder(
        ["a", "b", "c"],
        (x) => x,
        () => [],
      ),
    ).toEqual(["a", "b", "c"]);
    expect(
      dependencyOrder(
        ["a", "b", "c"],
        (x) => x,
        (x) => (x === "a" ? ["c"] : []),
      ),
    ).toEqual(["b", "c", "a"]);
    expect(() =>
      dependencyOrder(
        ["a"],
        (x) => x,
        () => ["z"],
      ),
    ).toThrow(/"a" depends on unknown z/);
  });
});

// ---------------------------------------------------------------- properties

const templateNames = Object.keys(TEMPLATE_CATALOGUE);

/** One to eight template instances with distinct names. */
const instances = fc
  .array(fc.constantFrom(...templateNames), { minLength: 1, maxLength: 8 })
  .map((ts) => ts.map((template, i) => ({ name: `t${i}`, template })));

/** The catalogue with every template's VMs and flows in another order. */
const shuffledCatalogue = fc
  .tuple(
    ...Object.values(TEMPLATE_CATALOGUE).map((spec) =>
      fc
        .tuple(
          fc.shuffledSubarray(spec.vms, { minLength: spec.vms.length }),
          fc.shuffledSubarray(spec.flows, { minLength: spec.flows.length }),
        )
        .map(([vms, flows]): TemplateSpec => ({ ...spec, vms, flows })),
    ),
  )
  .map((specs) => Object.fromEntries(specs.map((s) => [s.name, s])));

describe("planBubble: properties", () => {
  it("any order of the templates' VMs and flows gives the same dependencies", () => {
    fc.assert(
      fc.property(instances, shuffledCatalogue, (ts, catalogue) => {
        const reference = planBubble("b", args(ts));
        const shuffled = planBubble("b", args(ts), catalogue);
        expect(dependencies(shuffled)).toEqual(dependencies(reference));
        expect(shuffled.groups.map((g) => g.name).sort()).toEqual(reference.groups.map((g) => g.name).sort());
      }),
    );
  });

  it("any order of the instances gives the same dependencies", () => {
    fc.assert(
      fc.property(
        instances.chain((ts) => fc.tuple(fc.constant(ts), fc.shuffledSubarray(ts, { minLength: ts.length }))),
        ([ts, reordered]) => {
          expect(dependencies(planBubble("b", args(reordered)))).toEqual(
            dependencies(planBubble("b", args(ts))),
          );
        },
      ),
    );
  });

  it("servers and groups come in a valid dependency order", () => {
    fc.assert(
      fc.property(instances, shuffledCatalogue, (ts, catalogue) => {
        expect(isDependencyOrder(planBubble("b", args(ts), catalogue))).toBe(true);
      }),
    );
  });

  it("a limit at or above the need replaces the quota; below it, planning fails naming it", () => {
    const need = {
      instances: (p: BubblePlan) => p.servers.length,
      cores: (p: BubblePlan) => p.servers.reduce((n, s) => n + s.flavor.vcpus, 0),
      ramMiB: (p: BubblePlan) => p.servers.reduce((n, s) => n + s.flavor.ramMiB, 0),
    };
    fc.assert(
      fc.property(
        instances,
        fc.constantFrom(...(Object.keys(need) as (keyof typeof need)[])),
        fc.integer({ min: -3, max: 3 }),
        (ts, key, delta) => {
          const free = planBubble("b", args(ts));
          const limit = Math.max(0, need[key](free) + delta);
          const limited = () => planBubble("b", args(ts, { quotaLimits: { [key]: limit } }));
          if (limit < need[key](free)) {
            expect(limited).toThrow(
              `quota ${key} is limited to ${limit} but its templates need ${need[key](free)}`,
            );
          } else {
            expect(limited().quotas).toEqual({ ...free.quotas, [key]: limit });
          }
        },
      ),
    );
  });

  it("quotas always cover the plan, whatever the headroom", () => {
    fc.assert(
      fc.property(instances, fc.integer({ min: 0, max: 200 }), (ts, headroom) => {
        const plan = planBubble("b", args(ts, { quotaHeadroomPercent: headroom }));
        const q = plan.quotas;
        const sum = (f: (s: (typeof plan.servers)[number]) => number) =>
          plan.servers.reduce((n, s) => n + f(s), 0);
        expect(q.instances).toBeGreaterThanOrEqual(plan.servers.length);
        expect(q.cores).toBeGreaterThanOrEqual(sum((s) => s.flavor.vcpus));
        expect(q.ramMiB).toBeGreaterThanOrEqual(sum((s) => s.flavor.ramMiB));
        // One port per server, plus the router's interface and gateway and DHCP.
        expect(q.ports).toBeGreaterThanOrEqual(plan.servers.length + 3);
        // The baseline, the role groups and Neutron's "default".
        expect(q.securityGroups).toBeGreaterThanOrEqual(plan.groups.length + 2);
        const rules = plan.egress.length + plan.groups.reduce((n, g) => n + g.rules.length, 0);
        expect(q.securityGroupRules).toBeGreaterThanOrEqual(rules);
        expect(q.keyPairs).toBeGreaterThanOrEqual(1);
      }),
    );
  });
});
