// `npx tsx lab/switch/cli.ts start|stop …`: the switch lab out of process (see README.md §2).
import * as fs from "node:fs";
import * as path from "node:path";
import { serveUntilStopped, startDetached, stopBackgroundLab } from "../background";
import { SwitchLabOptions, startSwitchLab } from "./lab";
import { writeLabStackConfig } from "./stackConfig";
import { SwitchSpec } from "./state";

export const REALISTIC_LATENCY_MS = 150;

const USAGE = `usage:
  cli.ts start [--count N] [--members 1-3 (1-4 with --os comware7)] [--os comware5|comware7] [--inventory file.json] --dir DIR [--base-port P]
               [--latency MS|realistic] [--reboot-delay MS] [--flash-kb KB] [--password P] [--detach]
  cli.ts stop --dir DIR
  cli.ts stack-config --dir DIR --stack-file stacks/Pulumi.<stack>.yaml --out FILE`;

function parseArgs(argv: string[]): Map<string, string> {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith("--")) throw new Error(`unexpected argument "${a}"\n${USAGE}`);
    if (a === "--detach") args.set("detach", "1");
    else {
      const value = argv[++i];
      if (value === undefined) throw new Error(`${a} needs a value\n${USAGE}`);
      args.set(a.slice(2), value);
    }
  }
  return args;
}

function intArg(args: Map<string, string>, name: string): number | undefined {
  const v = args.get(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer (got "${v}")`);
  return n;
}

function labOptions(args: Map<string, string>, dir: string): SwitchLabOptions {
  const latencyArg = args.get("latency");
  const latencyMs = latencyArg === "realistic" ? REALISTIC_LATENCY_MS : intArg(args, "latency");
  const defaults: Omit<SwitchSpec, "name" | "port"> = {};
  const members = intArg(args, "members");
  if (members !== undefined) defaults.members = members;
  const flashKB = intArg(args, "flash-kb");
  if (flashKB !== undefined) defaults.flashKB = flashKB;
  if (args.has("password")) defaults.password = args.get("password");
  if (args.has("os")) defaults.os = args.get("os") as SwitchSpec["os"];
  const options: SwitchLabOptions = {
    dir,
    switches: intArg(args, "count") ?? 1,
    basePort: intArg(args, "base-port"),
    rebootDelayMs: intArg(args, "reboot-delay"),
    latencyMs,
    defaults,
  };
  const inventory = args.get("inventory");
  if (inventory) {
    const parsed = JSON.parse(fs.readFileSync(inventory, "utf8")) as Partial<SwitchLabOptions> & {
      switches?: SwitchSpec[];
    };
    if (!Array.isArray(parsed.switches))
      throw new Error(`${inventory}: expected {"switches": [{"name": "…"}, …]}`);
    options.switches = parsed.switches;
    options.basePort = options.basePort ?? parsed.basePort;
    options.latencyMs = options.latencyMs ?? parsed.latencyMs;
    options.rebootDelayMs = options.rebootDelayMs ?? parsed.rebootDelayMs;
  }
  return options;
}

async function start(args: Map<string, string>, dir: string): Promise<void> {
  const manifestFile = path.join(dir, "manifest.json");
  if (args.has("detach")) {
    const rest = process.argv.slice(2).filter((a) => a !== "--detach");
    await startDetached(__filename, rest, dir, manifestFile, 60_000);
    return;
  }
  const lab = await startSwitchLab(labOptions(args, dir));
  const manifest = { ...lab.manifest, pid: process.pid };
  serveUntilStopped(dir, () => lab.close());
  fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + "\n", { mode: 0o600 });
  process.stdout.write(JSON.stringify(manifest, null, 2) + "\n");
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const args = parseArgs(rest);
  const dir = args.get("dir");
  if (!dir || !["start", "stop", "stack-config"].includes(command)) throw new Error(USAGE);
  if (command === "start") await start(args, path.resolve(dir));
  else if (command === "stack-config") {
    const [stackFile, out] = [args.get("stack-file"), args.get("out")];
    if (!stackFile || !out) throw new Error(USAGE);
    writeLabStackConfig(stackFile, path.join(path.resolve(dir), "manifest.json"), out);
  } else await stopBackgroundLab(path.resolve(dir));
}

main().catch((error: Error) => {
  process.stderr.write(`lab/switch: ${error.message}\n`);
  process.exit(1);
});
