// planInventory: the shapes socle's stacks export become hosts and groups;
// bad outputs fail with every problem named; secrets never get through.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  COMWARE_CONNECTION_VARS,
  groupName,
  planInventory,
  type StackOutputs,
} from "../../../ops/inventory/plan";

const medicarche: StackOutputs = {
  stack: "medicarche",
  outputs: {
    proxyAddress: "203.0.113.20",
    appAddresses: { odoo: "10.0.0.11", nextcloud: "10.0.0.12" },
    dbPasswords: "[secret]",
    sshPrivateKey: "[secret]",
  },
};
const chuBubbles: StackOutputs = {
  stack: "chu-bubbles",
  outputs: {
    checklists: {
      "client-a": {
        servers: [
          { name: "client-a-erp1-app", template: "odoo+postgres", role: "app", address: "10.1.0.5" },
          { name: "client-a-erp1-db", template: "odoo+postgres", role: "db", address: "10.1.0.6" },
        ],
      },
    },
    operatorPasswords: "[secret]",
  },
};
const psv: StackOutputs = {
  stack: "psv-network",
  outputs: { switches: [{ name: "psv-r1", host: "10.0.1.11", port: 22, username: "admin" }], stacks: {} },
};

describe("planInventory", () => {
  const inventory = planInventory([medicarche, chuBubbles, psv], {
    sshKeyFile: "/keys/ops",
    defaultSshUser: "ubuntu",
  });

  it.each([
    ["stack_medicarche", ["medicarche-nextcloud", "medicarche-odoo"]],
    ["app_odoo", ["medicarche-odoo"]],
    ["stack_chu_bubbles", ["client-a-erp1-app", "client-a-erp1-db"]],
    ["bubble_client_a", ["client-a-erp1-app", "client-a-erp1-db"]],
    ["app_odoo_postgres", ["client-a-erp1-app", "client-a-erp1-db"]],
    ["role_db", ["client-a-erp1-db"]],
    ["switches", ["psv-r1"]],
    ["switch_stack_psv_r1", ["psv-r1"]],
  ])("group %s holds %j", (group, hosts) => {
    expect(inventory[group]).toEqual({ hosts });
  });

  it.each([
    [
      "medicarche-odoo",
      {
        ansible_host: "10.0.0.11",
        ansible_user: "ubuntu",
        ansible_ssh_common_args: "-o ProxyJump=ubuntu@203.0.113.20",
        ansible_ssh_private_key_file: "/keys/ops",
      },
    ],
    [
      "client-a-erp1-db",
      { ansible_host: "10.1.0.6", ansible_user: "ubuntu", ansible_ssh_private_key_file: "/keys/ops" },
    ],
    ["psv-r1", { ansible_host: "10.0.1.11", ansible_user: "admin", ...COMWARE_CONNECTION_VARS }],
  ])("host %s has the connection variables", (host, vars) => {
    expect(inventory._meta.hostvars[host]).toEqual(vars);
  });

  it("lists every group under all, and no secret anywhere", () => {
    expect(inventory.all).toEqual({
      children: Object.keys(inventory)
        .filter((g) => g !== "_meta" && g !== "all")
        .sort(),
    });
    expect(JSON.stringify(inventory)).not.toContain("[secret]");
  });

  it("groups by environment and prefers the floating IP", () => {
    const planned = planInventory([
      {
        stack: "shop",
        outputs: {
          environment: "Pré-prod",
          hosts: [
            {
              name: "web",
              address: "10.0.0.2",
              floatingIp: "203.0.113.9",
              sshPort: 2222,
              vars: { tier: "front" },
            },
          ],
        },
      },
    ]);
    expect(planned.env_pr_prod).toEqual({ hosts: ["web"] });
    expect(planned._meta.hostvars.web).toEqual({
      ansible_host: "203.0.113.9",
      ansible_port: 2222,
      ansible_user: "debian",
      socle_fixed_address: "10.0.0.2",
      tier: "front",
    });
  });

  it("names every problem at once: missing fields, a bad port, a name used by two stacks", () => {
    const bad = (): unknown =>
      planInventory([
        {
          stack: "a",
          outputs: {
            hosts: [
              { name: "x", address: "10.0.0.1" },
              { address: "10.0.0.2" },
              { name: "y", address: "[secret]", sshPort: 70000 },
            ],
          },
        },
        { stack: "b", outputs: { hosts: [{ name: "x", address: "10.0.0.3" }], switches: [{ name: "sw" }] } },
      ]);
    expect(bad).toThrow(
      [
        "cannot build the inventory:",
        "  - stack a: hosts[1].name is missing: give each host a unique name",
        "  - stack a: hosts[2].address is missing: export the server's fixed address (or floatingIp)",
        "  - stack a: hosts[2].sshPort is 70000: use a TCP port from 1 to 65535",
        "  - stack b: switches[0] needs a name and a host",
        '  - host "x" is exported by stack a and by stack b: host names must be unique',
      ].join("\n"),
    );
  });

  it("property: every host is in its stack's group and in hostvars, every group name is valid Ansible", () => {
    const host = fc.record({
      name: fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/),
      address: fc.ipV4(),
      app: fc.option(fc.string({ minLength: 1, maxLength: 10 }), { nil: undefined }),
      bubble: fc.option(fc.string({ minLength: 1, maxLength: 10 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(host, { selector: (h) => h.name, maxLength: 30 }),
        fc.string({ minLength: 1, maxLength: 12 }),
        (hosts, stack) => {
          const planned = planInventory([{ stack, outputs: { hosts } }]);
          const stackGroup = planned[groupName("stack", stack)] as { hosts: string[] } | undefined;
          for (const h of hosts) {
            expect(planned._meta.hostvars[h.name].ansible_host).toBe(h.address);
            expect(stackGroup?.hosts).toContain(h.name);
          }
          for (const group of Object.keys(planned))
            if (group !== "_meta") expect(group).toMatch(/^[a-z0-9_]+$/);
        },
      ),
    );
  });
});
