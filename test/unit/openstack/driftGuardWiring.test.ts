// The drift guards as RuleSecurityGroup and AppServer declare them (Pulumi
// mocks): one `<name>-guard` child each under stable type tokens, expecting
// exactly the component's rules and metadata, credentials taken from an
// explicit openstack provider with the password a secret, none when there is
// none (the engine's OS_* then), and none at all with guardDrift: false.
import * as openstack from "@pulumi/openstack";
import { beforeEach, describe, expect, it } from "vitest";
import { AppServer, Bubble, RuleSecurityGroup, type RuleSpec } from "../../../components/openstack";
import { installMocks, runProgram, type Recorder } from "./mocks";

const RULES_GUARD = "pulumi-nodejs:dynamic/openstack:SecurityGroupRulesGuard";
const METADATA_GUARD = "pulumi-nodejs:dynamic/openstack:ServerMetadataGuard";
const SERVER_SET_GUARD = "pulumi-nodejs:dynamic/openstack:ServerSetMetadataGuard";

const rules: RuleSpec[] = [
  {
    key: "in-tcp-5432-app",
    direction: "ingress",
    protocol: "tcp",
    portMin: 5432,
    portMax: 5432,
    remoteGroup: "app",
    description: "db from app",
  },
  { key: "out-any", direction: "egress", protocol: "any", remoteCidr: "0.0.0.0/0", description: "out" },
];

const server = {
  flavorName: "m1.small",
  imageId: "img",
  networkId: "net",
  subnetId: "sub",
  securityGroupIds: ["sg"],
  dataBearing: false,
  metadata: { role: "db" },
};

describe("drift guards in the components (mocks)", () => {
  let rec: Recorder;
  beforeEach(async () => {
    rec = await installMocks();
  });

  it("a group's guard expects exactly its rules, as its SecGroupRules declare them", async () => {
    await runProgram(rec, () => new RuleSecurityGroup("db", { rules, remoteGroups: { app: "app-sg-id" } }));
    const guard = rec.one(RULES_GUARD, "db-guard");
    expect(guard.inputs).toMatchObject({
      securityGroupId: "db-id",
      expectedRules: [
        {
          direction: "ingress",
          ethertype: "IPv4",
          protocol: "tcp",
          portRangeMin: 5432,
          portRangeMax: 5432,
          remoteGroupId: "app-sg-id",
        },
        { direction: "egress", ethertype: "IPv4", remoteIpPrefix: "0.0.0.0/0" },
      ],
    });
    // No explicit provider and no openstack config: the engine's OS_* environment, nothing stored.
    expect(guard.inputs.password).toBeUndefined();
    expect(rec.options.get(`${RULES_GUARD}::db-guard`)?.dependsOn.sort()).toEqual([
      "openstack:networking/secGroupRule:SecGroupRule::db-in-tcp-5432-app",
      "openstack:networking/secGroupRule:SecGroupRule::db-out-any",
    ]);
  });

  it("a server's guard expects its metadata and logs in as its provider, the password a secret", async () => {
    await runProgram(rec, () => {
      const scoped = new openstack.Provider("scoped", {
        authUrl: "http://keystone:5000/v3",
        userName: "op",
        password: "op-password",
        tenantId: "project-1",
        region: "RegionOne",
      });
      new AppServer("db", server, { provider: scoped });
    });
    const guard = rec.one(METADATA_GUARD, "db-guard");
    expect(guard.inputs).toMatchObject({
      serverId: "db-id",
      expectedMetadata: { role: "db", "socle-data-bearing": "false" },
      authUrl: "http://keystone:5000/v3",
      userName: "op",
      password: "op-password",
      projectId: "project-1",
      region: "RegionOne",
    });
    expect(guard.secretInputs).toContain("password");
    // The guard is ours, not the openstack provider's.
    expect(guard.providerName).toBeUndefined();
  });

  it("guardDrift: false declares no guard", async () => {
    await runProgram(rec, () => {
      new RuleSecurityGroup("db", { rules, remoteGroups: { app: "x" }, guardDrift: false });
      new AppServer("db", { ...server, guardDrift: false });
    });
    expect(rec.ofType(RULES_GUARD)).toEqual([]);
    expect(rec.ofType(METADATA_GUARD)).toEqual([]);
    expect(rec.ofType("openstack:compute/instance:Instance")).toHaveLength(1);
  });

  it("a bubble guards all its servers' metadata with one set guard, logged in as its scoped operator", async () => {
    await runProgram(rec, () => {
      new Bubble("b1", {
        authUrl: "http://keystone:5000/v3",
        externalNetworkId: "ext",
        imageId: "img",
        flavors: [
          { name: "small", vcpus: 1, ramMiB: 1024, diskGiB: 10 },
          { name: "medium", vcpus: 2, ramMiB: 2048, diskGiB: 20 },
        ],
        templates: [
          { name: "a", template: "web+db" },
          { name: "b", template: "web+db" },
        ],
        adminCidr: "10.0.0.0/24",
        clientCidr: "10.50.0.0/16",
      });
    });
    const servers = rec.ofType("openstack:compute/instance:Instance").map((r) => r.name);
    expect(servers).toHaveLength(4);
    expect(rec.ofType(METADATA_GUARD)).toEqual([]);
    const guard = rec.one(SERVER_SET_GUARD, "b1-servers-guard");
    const guarded = guard.inputs.servers as Record<string, { serverId: string; expectedMetadata: object }>;
    expect(Object.keys(guarded).sort()).toEqual([...servers].sort());
    for (const name of servers) {
      const instance = rec.one("openstack:compute/instance:Instance", name);
      expect(guarded[name]?.serverId).toBe(`${name}-id`);
      // Exactly the metadata the server was made with, the user-data hash included.
      expect(guarded[name]?.expectedMetadata).toEqual(instance.inputs.metadata);
    }
    expect(guard.inputs).toMatchObject({ authUrl: "http://keystone:5000/v3", userName: "b1-operator" });
    expect(guard.secretInputs).toContain("password");
    expect(rec.options.get(`${SERVER_SET_GUARD}::b1-servers-guard`)?.dependsOn.sort()).toEqual(
      servers.map((s) => `openstack:compute/instance:Instance::${s}`).sort(),
    );
  });
});
