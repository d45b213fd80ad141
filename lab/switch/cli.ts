// `npx tsx lab/switch/cli.ts start|stop …`: the switch lab out of process (see README.md §2).
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { SwitchLabOptions, startSwitchLab } from "./lab";
import { SwitchSpec } from "./state";

export const REALISTIC_LATENCY_MS = 150;

const USAGE = `usage:
  cli.ts start [--count N] [--members 1-3] [--inventory file.json] --dir DIR [--base-port P]
               [--latency MS|realistic] [--reboot-delay MS] [--flash-kb KB] [--password P] [--detach]
  cli.ts stop --dir DIR`;

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
  const pidFile = path.join(dir, "lab.pid");
  const manifestFile = path.join(dir, "manifest.json");
  if (args.has("detach")) {
    fs.mkdirSync(dir, { recursive: true });
    fs.rmSync(manifestFile, { force: true });
    const rest = process.argv.slice(2).filter((a) => a !== "--detach");
    const log = fs.openSync(path.join(dir, "lab.log"), "a");
    const child = spawn(process.execPath, [...process.execArgv, __filename, ...rest], {
      detached: true,
      stdio: ["ignore", "ignore", log],
    });
    child.unref();
    const deadline = Date.now() + 60_000;
    while (!fs.existsSync(manifestFile) || !fs.existsSync(pidFile)) {
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`the lab did not start; see ${path.join(dir, "lab.log")}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    process.stdout.write(fs.readFileSync(manifestFile, "utf8"));
    return;
  }
  const lab = await startSwitchLab(labOptions(args, dir));
  const manifest = { ...lab.manifest, pid: process.pid };
  fs.writeFileSync(pidFile, `${process.pid}\n`);
  fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + "\n", { mode: 0o600 });
  process.stdout.write(JSON.stringify(manifest, null, 2) + "\n");
  const stop = (): void => {
    void lab.close().then(() => {
      fs.rmSync(pidFile, { force: true });
      process.exit(0);
    });
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

async function stopLab(dir: string): Promise<void> {
  const pidFile = path.join(dir, "lab.pid");
  if (!fs.existsSync(pidFile)) throw new Error(`no ${pidFile}: is a lab running with --dir ${dir}?`);
  const pid = Number(fs.readFileSync(pidFile, "utf8").trim());
  try {
    process.kill(pid, "SIGTERM");
  } catch {
    fs.rmSync(pidFile, { force: true });
    process.stdout.write(`lab process ${pid} was not running\n`);
    return;
  }
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      break;
    }
    if (Date.now() > deadline) throw new Error(`lab process ${pid} did not stop within 10 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
  fs.rmSync(pidFile, { force: true });
  process.stdout.write(`stopped lab process ${pid}\n`);
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const args = parseArgs(rest);
  const dir = args.get("dir");
  if (!dir || (command !== "start" && command !== "stop")) throw new Error(USAGE);
  if (command === "start") await start(args, path.resolve(dir));
  else await stopLab(path.resolve(dir));
}

main().catch((error: Error) => {
  process.stderr.write(`lab/switch: ${error.message}\n`);
  process.exit(1);
});
