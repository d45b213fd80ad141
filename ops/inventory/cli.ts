// `socle inventory [options] STACK...` prints the Ansible inventory of the
// stacks as JSON. Called by Ansible as a dynamic inventory script
// (ops/inventory/socle-inventory) it answers `--list` and `--host NAME`, with
// the stacks and options from the environment:
//   SOCLE_INVENTORY_STACKS   stacks, separated by spaces or commas
//   SOCLE_INVENTORY_PROJECT  folder with the stacks' Pulumi.yaml (default: the socle clone)
//   SOCLE_INVENTORY_KEY_FILE private key file for the hosts (a path, never the key)
//   SOCLE_INVENTORY_USER     SSH user of hosts whose stack names none (default debian)
import * as path from "node:path";
import { planInventory, type InventoryOptions } from "./plan";
import { readStackOutputs } from "./stackOutputs";

const USAGE = `usage: socle inventory [--project DIR] [--key-file FILE] [--user USER] STACK...
       socle-inventory --list | --host NAME   (stacks from SOCLE_INVENTORY_STACKS)`;

interface Request {
  stacks: string[];
  projectDir: string;
  options: InventoryOptions;
  host?: string;
}

function parse(argv: string[], env: NodeJS.ProcessEnv): Request {
  const request: Request = {
    stacks: (env.SOCLE_INVENTORY_STACKS ?? "").split(/[\s,]+/).filter(Boolean),
    projectDir: env.SOCLE_INVENTORY_PROJECT ?? path.resolve(__dirname, "..", ".."),
    options: { sshKeyFile: env.SOCLE_INVENTORY_KEY_FILE, defaultSshUser: env.SOCLE_INVENTORY_USER },
  };
  const named: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value\n${USAGE}`);
      return v;
    };
    if (arg === "--list") continue;
    else if (arg === "--host") request.host = value();
    else if (arg === "--project") request.projectDir = path.resolve(value());
    else if (arg === "--key-file") request.options.sshKeyFile = path.resolve(value());
    else if (arg === "--user") request.options.defaultSshUser = value();
    else if (arg.startsWith("-")) throw new Error(`unknown option ${arg}\n${USAGE}`);
    else named.push(arg);
  }
  if (named.length > 0) request.stacks = named;
  if (request.stacks.length === 0)
    throw new Error(`name at least one stack (or set SOCLE_INVENTORY_STACKS)\n${USAGE}`);
  return request;
}

async function main(): Promise<void> {
  const request = parse(process.argv.slice(2), process.env);
  const outputs = await Promise.all(request.stacks.map((s) => readStackOutputs(s, request.projectDir)));
  const inventory = planInventory(outputs, request.options);
  const answer = request.host === undefined ? inventory : (inventory._meta.hostvars[request.host] ?? {});
  process.stdout.write(JSON.stringify(answer, null, 2) + "\n");
}

main().catch((error: Error) => {
  process.stderr.write(`socle inventory: ${error.message}\n`);
  process.exit(1);
});
