// The Ansible inventory of a set of stacks, decided from their outputs alone.
// A pure function: outputs in, inventory out. Outputs come from
// `pulumi stack output --json` without --show-secrets, so a secret output is
// the string "[secret]" here and is never copied into the inventory.
//
// Outputs it understands (the shapes socle's stacks export):
//   hosts       [{ name, address, floatingIp?, sshPort?, sshUser?, app?, bubble?, role?, vars? }]
//   checklists  { <bubble>: { servers: [{ name, template, role, address }] } }   (chu-bubbles)
//   appAddresses { <app>: <private address> }, proxyAddress                        (medicarche)
//   switches    [{ name, host, port?, username? }]                                 (psv-network)
//   environment "production" | "staging" | ...

/** One stack's outputs, as `pulumi stack output --json` prints them. */
export interface StackOutputs {
  stack: string;
  outputs: Record<string, unknown>;
}

/** A host as a stack exports it in its `hosts` output. */
export interface InventoryHost {
  /** Inventory host name, unique across the stacks given. */
  name: string;
  /** Fixed (private) address. */
  address: string;
  /** Floating IP; when set Ansible connects to it instead of `address`. @default none */
  floatingIp?: string;
  /** SSH port. @default 22 */
  sshPort?: number;
  /** SSH user. @default the inventory's defaultSshUser */
  sshUser?: string;
  /** Application the host runs: group app_<app>. @default no application group */
  app?: string;
  /** Bubble the host belongs to: group bubble_<bubble>. @default no bubble group */
  bubble?: string;
  /** Role inside its template or application ("app", "db"): group role_<role>. @default no role group */
  role?: string;
  /** Extra host variables (strings, never secrets). @default none */
  vars?: Record<string, string>;
}

export interface InventoryOptions {
  /** SSH user of hosts that name none. @default "debian" */
  defaultSshUser?: string;
  /** Private key file Ansible uses for the stacks' hosts (a path: the key itself never enters the inventory). @default ssh's own keys */
  sshKeyFile?: string;
}

/** Ansible's JSON inventory, as a dynamic inventory script answers `--list`. */
export interface AnsibleInventory {
  _meta: { hostvars: Record<string, Record<string, string | number>> };
  [group: string]:
    | { hosts?: string[]; children?: string[]; vars?: Record<string, string> }
    | AnsibleInventory["_meta"];
}

/** Host variables of a Comware switch stack for Ansible's network modules (network_cli over SSH). */
export const COMWARE_CONNECTION_VARS = {
  ansible_connection: "ansible.netcommon.network_cli",
  ansible_network_os: "hpe.comware.comware",
  // The password stays out of the inventory: Ansible reads it from the environment.
  ansible_password: "{{ lookup('ansible.builtin.env', 'SOCLE_SWITCH_PASSWORD') }}",
} as const;

/** An Ansible group name from any label: lower case, letters, digits and underscores. */
export function groupName(prefix: string, label: string): string {
  const clean = label
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/^_+|_+$/g, "");
  return prefix ? `${prefix}_${clean}` : clean;
}

const SECRET = "[secret]";
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined =>
  typeof v === "string" && v !== SECRET && v !== "" ? v : undefined;

interface Collected {
  name: string;
  stack: string;
  vars: Record<string, string | number>;
  groups: string[];
}

/** Hosts of the `hosts` output. */
function fromHostList(
  stack: string,
  value: unknown,
  options: InventoryOptions,
  failures: string[],
): Collected[] {
  if (!Array.isArray(value)) {
    failures.push(`stack ${stack}: output "hosts" must be a list of { name, address, ... }`);
    return [];
  }
  const hosts: Collected[] = [];
  value.forEach((entry: unknown, i) => {
    const where = `stack ${stack}: hosts[${i}]`;
    if (!isRecord(entry)) {
      failures.push(`${where} must be an object { name, address, ... }`);
      return;
    }
    const name = text(entry.name);
    const address = text(entry.floatingIp) ?? text(entry.address);
    if (!name) failures.push(`${where}.name is missing: give each host a unique name`);
    if (!address)
      failures.push(`${where}.address is missing: export the server's fixed address (or floatingIp)`);
    const port = entry.sshPort ?? 22;
    if (typeof port !== "number" || !Number.isInteger(port) || port < 1 || port > 65535) {
      failures.push(`${where}.sshPort is ${JSON.stringify(port)}: use a TCP port from 1 to 65535`);
    }
    if (!name || !address) return;
    const vars: Record<string, string | number> = {
      ansible_host: address,
      ansible_user: text(entry.sshUser) ?? options.defaultSshUser ?? "debian",
    };
    if (typeof port === "number" && port !== 22) vars.ansible_port = port;
    if (text(entry.floatingIp) && text(entry.address)) vars.socle_fixed_address = String(entry.address);
    if (isRecord(entry.vars)) {
      for (const [k, v] of Object.entries(entry.vars)) if (text(v)) vars[k] = v as string;
    }
    const groups: string[] = [];
    if (text(entry.app)) groups.push(groupName("app", String(entry.app)));
    if (text(entry.bubble)) groups.push(groupName("bubble", String(entry.bubble)));
    if (text(entry.role)) groups.push(groupName("role", String(entry.role)));
    hosts.push({ name, stack, vars, groups });
  });
  return hosts;
}

/** Servers of chu-bubbles' delivery check-lists. */
function fromChecklists(stack: string, value: unknown, options: InventoryOptions): Collected[] {
  if (!isRecord(value)) return [];
  const hosts: Collected[] = [];
  for (const [bubble, checklist] of Object.entries(value)) {
    const servers = isRecord(checklist) && Array.isArray(checklist.servers) ? checklist.servers : [];
    for (const server of servers) {
      if (!isRecord(server) || !text(server.name) || !text(server.address)) continue;
      const groups = [groupName("bubble", bubble)];
      if (text(server.template)) groups.push(groupName("app", String(server.template)));
      if (text(server.role)) groups.push(groupName("role", String(server.role)));
      hosts.push({
        name: String(server.name),
        stack,
        vars: { ansible_host: String(server.address), ansible_user: options.defaultSshUser ?? "debian" },
        groups,
      });
    }
  }
  return hosts;
}

/** medicarche's application servers, reached through the reverse proxy's floating IP. */
function fromAppAddresses(
  stack: string,
  outputs: Record<string, unknown>,
  options: InventoryOptions,
): Collected[] {
  const apps = outputs.appAddresses;
  if (!isRecord(apps)) return [];
  const user = options.defaultSshUser ?? "debian";
  const proxy = text(outputs.proxyAddress);
  const hosts: Collected[] = [];
  for (const [app, address] of Object.entries(apps)) {
    if (!text(address)) continue;
    const vars: Record<string, string | number> = { ansible_host: String(address), ansible_user: user };
    if (proxy) vars.ansible_ssh_common_args = `-o ProxyJump=${user}@${proxy}`;
    hosts.push({ name: `${stack}-${app}`, stack, vars, groups: [groupName("app", app)] });
  }
  return hosts;
}

/** Comware switch stacks of psv-network, with the network modules' connection variables. */
function fromSwitches(stack: string, value: unknown, failures: string[]): Collected[] {
  if (!Array.isArray(value)) return [];
  const hosts: Collected[] = [];
  value.forEach((entry: unknown, i) => {
    if (!isRecord(entry) || !text(entry.name) || !text(entry.host)) {
      failures.push(`stack ${stack}: switches[${i}] needs a name and a host`);
      return;
    }
    const vars: Record<string, string | number> = {
      ansible_host: String(entry.host),
      ...COMWARE_CONNECTION_VARS,
    };
    if (typeof entry.port === "number" && entry.port !== 22) vars.ansible_port = entry.port;
    if (text(entry.username)) vars.ansible_user = String(entry.username);
    hosts.push({
      name: String(entry.name),
      stack,
      vars,
      groups: ["switches", groupName("switch_stack", String(entry.name))],
    });
  });
  return hosts;
}

/**
 * The inventory of `stacks`: every host once, in groups per stack, environment,
 * application, bubble, role and switch stack. Throws one error listing every
 * problem (a host without address, a name two stacks use, ...).
 */
export function planInventory(stacks: StackOutputs[], options: InventoryOptions = {}): AnsibleInventory {
  const failures: string[] = [];
  const collected: Collected[] = [];
  for (const { stack, outputs } of stacks) {
    const own: Collected[] = [];
    if (outputs.hosts !== undefined) own.push(...fromHostList(stack, outputs.hosts, options, failures));
    own.push(...fromChecklists(stack, outputs.checklists, options));
    own.push(...fromAppAddresses(stack, outputs, options));
    own.push(...fromSwitches(stack, outputs.switches, failures));
    const environment = text(outputs.environment);
    for (const host of own) {
      host.groups.unshift(groupName("stack", stack), ...(environment ? [groupName("env", environment)] : []));
    }
    collected.push(...own);
  }

  const owner = new Map<string, string>();
  for (const host of collected) {
    const first = owner.get(host.name);
    if (first !== undefined) {
      failures.push(
        `host "${host.name}" is exported by stack ${first} and by stack ${host.stack}: host names must be unique`,
      );
    } else owner.set(host.name, host.stack);
  }
  if (failures.length > 0) throw new Error(`cannot build the inventory:\n  - ${failures.join("\n  - ")}`);

  const inventory: AnsibleInventory = { _meta: { hostvars: {} } };
  const members = new Map<string, string[]>();
  for (const host of collected) {
    const vars = { ...host.vars };
    if (options.sshKeyFile && !("ansible_network_os" in vars))
      vars.ansible_ssh_private_key_file = options.sshKeyFile;
    inventory._meta.hostvars[host.name] = vars;
    for (const group of host.groups) members.set(group, [...(members.get(group) ?? []), host.name]);
  }
  const groups = [...members.keys()].sort();
  for (const group of groups) inventory[group] = { hosts: [...new Set(members.get(group))].sort() };
  inventory.all = { children: groups };
  return inventory;
}
