// The drift guards' decisions, as tables: credentials merged over OS_*, the
// Keystone request, the catalog's endpoint, a rule reduced to what it means
// (socle's spec and Neutron's row alike), the extra rules up deletes, the
// metadata drift, and the diffs the engine counts on refresh and up.
import { describe, expect, it } from "vitest";
import * as auth from "../../../providers/openstack/auth";
import {
  canonicalCidr,
  extraRuleIds,
  fromNeutron,
  guardDiff,
  metadataDrift,
  ruleKey,
  UNKNOWN_VALUE,
  type GuardRule,
  type NeutronRule,
} from "../../../providers/openstack/drift";
import {
  metadataDiff,
  rulesDiff,
  serverSetDiff,
  type MetadataGuardState,
  type RulesGuardState,
  type ServerSetGuardState,
} from "../../../providers/openstack/operations";

const ENV = {
  OS_AUTH_URL: "http://127.0.0.1:5000/v3",
  OS_USERNAME: "admin",
  OS_PASSWORD: "adminpass",
  OS_PROJECT_NAME: "admin",
  OS_USER_DOMAIN_NAME: "Default",
  OS_PROJECT_DOMAIN_NAME: "Default",
  OS_REGION_NAME: "RegionOne",
  OS_INTERFACE: "public",
};

describe("resolveAuth", () => {
  it.each<[string, auth.GuardAuth, Record<string, string>, object]>([
    [
      "everything from the environment",
      {},
      ENV,
      {
        authUrl: ENV.OS_AUTH_URL,
        userName: "admin",
        password: "adminpass",
        userDomainName: "Default",
        project: { name: "admin", domainName: "Default" },
        region: "RegionOne",
        interface: "public",
      },
    ],
    [
      "a scoped provider's project wins over the environment's",
      { userName: "op", password: "s3cret", projectId: "p-123" },
      ENV,
      { userName: "op", password: "s3cret", project: { id: "p-123" } },
    ],
    [
      "a project ID wins over a project name",
      { projectId: "p-1", projectName: "ignored" },
      ENV,
      { project: { id: "p-1" } },
    ],
    [
      "empty strings count as absent; domains and interface default",
      { region: "" },
      { OS_AUTH_URL: "http://k:5000", OS_USERNAME: "u", OS_PASSWORD: "p", OS_TENANT_ID: "t-1" },
      { userDomainName: "Default", region: undefined, interface: "public", project: { id: "t-1" } },
    ],
  ])("%s", (_why, given, env, expected) => {
    expect(auth.resolveAuth(given, env)).toMatchObject(expected);
  });

  it("names every missing field, its variable and the ways out", () => {
    expect(() => auth.resolveAuth({ authUrl: "http://k:5000/v3" }, {})).toThrow(
      "no userName (OS_USERNAME), password (OS_PASSWORD), projectId or projectName (OS_PROJECT_ID or OS_PROJECT_NAME); set them in the engine's environment, run the component under an openstack.Provider that has them, or turn the guard off with guardDrift: false",
    );
  });
});

describe("URL and CIDR normalisers", () => {
  it.each<[string, (text: string) => string, string, string]>([
    ["tokensUrl", auth.tokensUrl, "http://127.0.0.1:5000/v3", "http://127.0.0.1:5000/v3/auth/tokens"],
    ["tokensUrl", auth.tokensUrl, "http://127.0.0.1:5000/v3/", "http://127.0.0.1:5000/v3/auth/tokens"],
    ["tokensUrl", auth.tokensUrl, "http://127.0.0.1:5000", "http://127.0.0.1:5000/v3/auth/tokens"],
    [
      "tokensUrl",
      auth.tokensUrl,
      "https://ks.example/identity/",
      "https://ks.example/identity/v3/auth/tokens",
    ],
    ["canonicalCidr", canonicalCidr, "10.1.2.3/8", "10.0.0.0/8"],
    ["canonicalCidr", canonicalCidr, "0.0.0.0/0", "0.0.0.0/0"],
    ["canonicalCidr", canonicalCidr, "192.168.10.255/32", "192.168.10.255/32"],
    ["canonicalCidr", canonicalCidr, "2001:DB8::/32", "2001:db8::/32"],
  ])("%s(%s)", (_name, normalise, text, normalised) => {
    expect(normalise(text)).toBe(normalised);
  });
});

describe("Keystone request", () => {
  it("scopes by project ID, or by name in its domain", () => {
    const base = auth.resolveAuth({}, ENV);
    expect(auth.tokenRequestBody({ ...base, project: { id: "p-1" } })).toEqual({
      auth: {
        identity: {
          methods: ["password"],
          password: { user: { name: "admin", domain: { name: "Default" }, password: "adminpass" } },
        },
        scope: { project: { id: "p-1" } },
      },
    });
    expect(auth.tokenRequestBody(base)).toMatchObject({
      auth: { scope: { project: { name: "admin", domain: { name: "Default" } } } },
    });
  });
});

describe("endpointFor", () => {
  const catalog: auth.CatalogService[] = [
    {
      type: "network",
      endpoints: [
        { interface: "internal", region_id: "RegionOne", url: "http://10.0.0.1:9696" },
        { interface: "public", region_id: "RegionOne", url: "http://127.0.0.1:9696/" },
        { interface: "public", region_id: "RegionTwo", url: "http://two:9696" },
      ],
    },
    {
      type: "compute",
      endpoints: [{ interface: "public", region: "RegionOne", url: "http://127.0.0.1:8774/v2.1" }],
    },
  ];
  it.each<[string, string, string | undefined, string]>([
    ["network", "public", "RegionOne", "http://127.0.0.1:9696"],
    ["network", "public", "RegionTwo", "http://two:9696"],
    ["network", "internal", undefined, "http://10.0.0.1:9696"],
    ["compute", "public", "RegionOne", "http://127.0.0.1:8774/v2.1"],
  ])("%s on %s in %s", (type, iface, region, url) => {
    expect(auth.endpointFor(catalog, type, iface, region)).toBe(url);
  });
  it("names what the catalog offers when nothing matches", () => {
    expect(() => auth.endpointFor(catalog, "network", "admin", "RegionOne")).toThrow(
      'no "network" endpoint for interface "admin" in region "RegionOne" (offered: internal@RegionOne, public@RegionOne, public@RegionTwo)',
    );
  });
});

/** A Neutron row with every field null but those given. */
function row(id: string, fields: Partial<NeutronRule>): NeutronRule {
  return {
    id,
    direction: "ingress",
    ethertype: "IPv4",
    protocol: null,
    port_range_min: null,
    port_range_max: null,
    remote_ip_prefix: null,
    remote_group_id: null,
    ...fields,
  };
}

const SSH_FROM_ADMINS: GuardRule = {
  direction: "ingress",
  ethertype: "IPv4",
  protocol: "tcp",
  portRangeMin: 22,
  portRangeMax: 22,
  remoteIpPrefix: "10.0.0.0/24",
};

describe("rules", () => {
  it.each<[string, GuardRule, string]>([
    ["tcp port from a CIDR", SSH_FROM_ADMINS, "ingress IPv4 tcp 22-22 from 10.0.0.0/24"],
    [
      "any protocol to the world (no prefix means the whole family)",
      { direction: "egress", ethertype: "IPv4" },
      "egress IPv4 any to 0.0.0.0/0",
    ],
    [
      "IPv6 world",
      { direction: "egress", ethertype: "IPv6", remoteIpPrefix: "::/0" },
      "egress IPv6 any to ::/0",
    ],
    [
      "protocol number and host bits, as Neutron may hold them",
      {
        direction: "ingress",
        ethertype: "IPv4",
        protocol: "6",
        portRangeMin: 80,
        remoteIpPrefix: "192.0.2.7/24",
      },
      "ingress IPv4 tcp 80-80 from 192.0.2.0/24",
    ],
    [
      "all ports of a protocol",
      { direction: "ingress", ethertype: "IPv4", protocol: "udp", remoteGroupId: "g-1" },
      "ingress IPv4 udp all-ports from group g-1",
    ],
  ])("ruleKey: %s", (_why, rule, key) => {
    expect(ruleKey(rule)).toBe(key);
  });

  it("a socle spec and Neutron's row of the same rule have the same key", () => {
    const spec: GuardRule = {
      direction: "ingress",
      ethertype: "IPv4",
      protocol: "tcp",
      portRangeMin: 5432,
      portRangeMax: 5432,
      remoteGroupId: "g-app",
    };
    const neutron = row("r1", {
      protocol: "tcp",
      port_range_min: 5432,
      port_range_max: 5432,
      remote_group_id: "g-app",
    });
    expect(ruleKey(fromNeutron(neutron))).toBe(ruleKey(spec));
  });

  const expected: GuardRule[] = [
    SSH_FROM_ADMINS,
    { direction: "egress", ethertype: "IPv4", remoteIpPrefix: "0.0.0.0/0" },
  ];
  const ours = [
    row("ssh", { protocol: "tcp", port_range_min: 22, port_range_max: 22, remote_ip_prefix: "10.0.0.0/24" }),
    row("out", { direction: "egress", remote_ip_prefix: null }),
  ];
  it.each<[string, NeutronRule[], string[]]>([
    ["exactly socle's: nothing to delete", ours, []],
    ["missing rules are not extra (their own resources remake them)", [ours[0] as NeutronRule], []],
    [
      "a rule added by hand",
      [
        ...ours,
        row("hand", {
          protocol: "tcp",
          port_range_min: 8080,
          port_range_max: 8080,
          remote_ip_prefix: "0.0.0.0/0",
        }),
      ],
      ["hand"],
    ],
    [
      "same port from elsewhere",
      [
        ...ours,
        row("wide", {
          protocol: "tcp",
          port_range_min: 22,
          port_range_max: 22,
          remote_ip_prefix: "0.0.0.0/0",
        }),
      ],
      ["wide"],
    ],
    ["another ethertype", [...ours, row("v6", { direction: "egress", ethertype: "IPv6" })], ["v6"]],
    [
      "an address-group rule",
      [...ours, row("ag", { direction: "egress", remote_address_group_id: "ag-1" })],
      ["ag"],
    ],
  ])("extraRuleIds: %s", (_why, live, extra) => {
    expect(extraRuleIds(live, expected)).toEqual(extra);
  });
});

describe("metadataDrift", () => {
  const socle = { "socle-data-bearing": "false", role: "web" };
  it.each<[string, Record<string, string>, object]>([
    ["none", { ...socle }, { restore: {}, extra: [] }],
    [
      "a key set by hand",
      { ...socle, "changed-by": "hand", a: "1" },
      { restore: {}, extra: ["a", "changed-by"] },
    ],
    ["a key of socle's changed", { ...socle, role: "db" }, { restore: { role: "web" }, extra: [] }],
    ["a key of socle's removed", { role: "web" }, { restore: { "socle-data-bearing": "false" }, extra: [] }],
  ])("%s", (_why, live, drift) => {
    expect(metadataDrift(socle, live)).toEqual(drift);
  });
});

describe("guard diffs (what the engine counts on refresh and up)", () => {
  const auth = { authUrl: "http://k:5000/v3", userName: "op", password: "pw", projectId: "p-1" };
  const expectedRules: GuardRule[] = [
    { direction: "egress", ethertype: "IPv4", remoteIpPrefix: "0.0.0.0/0" },
  ];
  const rulesInputs = { ...auth, securityGroupId: "g-1", expectedRules };
  const rulesState = (liveRules: string[], more: object = {}): RulesGuardState => ({
    ...rulesInputs,
    liveRules,
    ...more,
  });
  it.each<[string, RulesGuardState, object]>([
    [
      "live rules are socle's: no change",
      rulesState(["egress IPv4 any to 0.0.0.0/0"]),
      { changes: false, replaces: [] },
    ],
    [
      "a rule added by hand: an update",
      rulesState(["egress IPv4 any to 0.0.0.0/0", "ingress IPv4 tcp 8080-8080 from 0.0.0.0/0"]),
      { changes: true, replaces: [] },
    ],
    ["a rule missing: an update", rulesState([]), { changes: true, replaces: [] }],
    [
      "another password: an update",
      rulesState(["egress IPv4 any to 0.0.0.0/0"], { password: "old" }),
      { changes: true, replaces: [] },
    ],
    [
      "another group: a replacement",
      rulesState(["egress IPv4 any to 0.0.0.0/0"], { securityGroupId: "g-0" }),
      { changes: true, replaces: ["securityGroupId"] },
    ],
  ])("rules: %s", (_why, olds, diff) => {
    expect(rulesDiff(olds, rulesInputs)).toEqual(diff);
  });

  it("rules still unknown during a preview are a change", () => {
    const unknown = UNKNOWN_VALUE as unknown as GuardRule[];
    expect(
      rulesDiff(rulesState(["egress IPv4 any to 0.0.0.0/0"]), { ...rulesInputs, expectedRules: unknown })
        .changes,
    ).toBe(true);
  });

  it("credentials still unknown during a preview (a provider's unset fields) are no change; known ones are", () => {
    const olds = rulesState(["egress IPv4 any to 0.0.0.0/0"]);
    expect(
      rulesDiff(olds, { ...rulesInputs, projectName: UNKNOWN_VALUE, interface: UNKNOWN_VALUE }).changes,
    ).toBe(false);
    expect(rulesDiff(olds, { ...rulesInputs, interface: "internal" }).changes).toBe(true);
  });

  const metadataInputs = { ...auth, serverId: "s-1", expectedMetadata: { "socle-data-bearing": "false" } };
  const metadataState = (liveMetadata: Record<string, string>): MetadataGuardState => ({
    ...metadataInputs,
    liveMetadata,
  });
  it.each<[string, MetadataGuardState, boolean]>([
    ["same", metadataState({ "socle-data-bearing": "false" }), false],
    ["a key added by hand", metadataState({ "socle-data-bearing": "false", "changed-by": "hand" }), true],
    ["socle's key changed", metadataState({ "socle-data-bearing": "true" }), true],
  ])("metadata: %s", (_why, olds, changes) => {
    expect(metadataDiff(olds, metadataInputs)).toEqual({ changes, replaces: [] });
  });

  // A bubble's guard: servers by name, each with its ID and socle's metadata.
  const servers = {
    web: { serverId: "s-web", expectedMetadata: { role: "web" } },
    db: { serverId: "s-db", expectedMetadata: { role: "db" } },
  };
  const setInputs = { ...auth, servers };
  const setState = (
    liveMetadata: Record<string, Record<string, string>>,
    more: Partial<ServerSetGuardState> = {},
  ): ServerSetGuardState => ({ ...setInputs, liveMetadata, ...more });
  it.each<[string, ServerSetGuardState, boolean]>([
    ["every server as socle set it", setState({ web: { role: "web" }, db: { role: "db" } }), false],
    [
      "a key added by hand on one server",
      setState({ web: { role: "web", "changed-by": "hand" }, db: { role: "db" } }),
      true,
    ],
    ["socle's key changed on one server", setState({ web: { role: "web" }, db: { role: "app" } }), true],
    ["a server gone (not read back)", setState({ web: { role: "web" } }), true],
    [
      "a server replaced (another ID)",
      setState(
        { web: { role: "web" }, db: { role: "db" } },
        { servers: { ...servers, db: { ...servers.db, serverId: "s-db-old" } } },
      ),
      true,
    ],
    [
      "a server removed from the bubble",
      setState(
        { web: { role: "web" }, db: { role: "db" }, old: { role: "x" } },
        { servers: { ...servers, old: { serverId: "s-old", expectedMetadata: { role: "x" } } } },
      ),
      true,
    ],
    ["another password", setState({ web: { role: "web" }, db: { role: "db" } }, { password: "old" }), true],
  ])("set of servers: %s", (_why, olds, changes) => {
    // Never a replacement: an update enforces every server.
    expect(serverSetDiff(olds, setInputs)).toEqual({ changes, replaces: [] });
  });

  it("a set of servers still unknown during a preview (new servers) is a change", () => {
    const olds = setState({ web: { role: "web" }, db: { role: "db" } });
    const unknownSet = UNKNOWN_VALUE as unknown as typeof servers;
    expect(serverSetDiff(olds, { ...setInputs, servers: unknownSet }).changes).toBe(true);
    const unknownId = { ...servers, web: { ...servers.web, serverId: UNKNOWN_VALUE } };
    expect(serverSetDiff(olds, { ...setInputs, servers: unknownId }).changes).toBe(true);
  });

  it("compares declarations whatever the engine's key order", () => {
    const olds = { target: "x", spec: { b: 1, a: [{ d: 2, c: 3 }] } };
    const news = { target: "x", spec: { a: [{ c: 3, d: 2 }], b: 1 } };
    expect(guardDiff(olds, news, "target", false, ["spec"])).toEqual({ changes: false, replaces: [] });
    expect(guardDiff(olds, { ...news, spec: { a: [], b: 1 } }, "target", false, ["spec"]).changes).toBe(true);
  });
});
