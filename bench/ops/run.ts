// `socle inventory` on a 1000-host stack: a real stack run by the engine whose
// outputs hold 1000 hosts in 20 bubbles and 4 applications, read back from the
// file backend and from the PostgreSQL backend (Debian's server on loopback).
// Figures: median of 5 rounds of the whole command (Node start, the pulumi
// CLI reading the state, planning, printing), beside the peer that bounds it
// from below, `pulumi stack output --json` alone, and what Ansible sees through
// the dynamic inventory script (`ansible-inventory --list`).
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "../../lab/engine";
import { startPostgresLab } from "../../lab/postgres";
import { ansibleBinDir, ansibleEnv } from "../../ops/ansible";
import { planInventory } from "../../ops/inventory/plan";
import { backendEnv, hostsProject, pulumiOk, upHostsStack } from "../../test/ops/cli";
import { recordFigures, timed } from "../figures";

const run = promisify(execFile);
const HOSTS = 1000;
const ROUNDS = 5;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round2 = (x: number) => Math.round(x * 100) / 100;

async function medianSeconds(work: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) times.push((await timed(work)).seconds);
  return round2(median(times));
}

async function main(): Promise<void> {
  // What the bench drives, by the project's own scripts: PostgreSQL (Debian), ansible-core (PyPI).
  await run("bash", [path.join(repoRoot, "scripts", "setup-system.sh")]);
  process.env.SOCLE_ANSIBLE_BIN = (
    await run("bash", [path.join(repoRoot, "scripts", "setup-ansible.sh")])
  ).stdout.trim();
  const { project, stateUrl } = hostsProject();
  const hosts = Array.from({ length: HOSTS }, (_, i) => ({
    name: `vm-${String(i).padStart(4, "0")}`,
    address: `10.${Math.floor(i / 250)}.${i % 250}.10`,
    floatingIp: i % 10 === 0 ? `203.0.113.${i % 250}` : undefined,
    app: ["odoo", "nextcloud", "syncthing", "wordpress"][i % 4],
    bubble: `client-${Math.floor(i / 50)}`,
    role: i % 2 === 0 ? "app" : "db",
  }));
  const pg = await startPostgresLab();
  try {
    const backends = { file: backendEnv(stateUrl), postgres: backendEnv(pg.url) };
    const env = backends.file;
    await upHostsStack(project, env, "big", { hosts }, "bench-secret");
    // The same stack in PostgreSQL: exported from the file backend, imported there.
    const exported = path.join(path.dirname(project), "big.json");
    fs.writeFileSync(exported, await pulumiOk(project, env, ["stack", "export", "--stack", "big"]));
    await pulumiOk(project, backends.postgres, ["stack", "init", "big"]);
    await pulumiOk(project, backends.postgres, ["stack", "import", "--stack", "big", "--file", exported]);

    const figures: Record<string, number> = { hosts: HOSTS, rounds: ROUNDS };
    const tsx = path.join(repoRoot, "node_modules", ".bin", "tsx");
    const cli = path.join(repoRoot, "ops", "inventory", "cli.ts");
    for (const [name, backend] of Object.entries(backends)) {
      const opts = { env: { ...process.env, ...backend }, cwd: project, maxBuffer: 256 * 1024 * 1024 };
      const inventory = async () => run(tsx, [cli, "--project", project, "big"], opts);
      const listed = JSON.parse((await inventory()).stdout) as { _meta: { hostvars: object } };
      if (Object.keys(listed._meta.hostvars).length !== HOSTS)
        throw new Error(`${name}: inventory lacks hosts`);
      figures[`${name}InventorySeconds`] = await medianSeconds(inventory);
      figures[`${name}StackOutputSeconds`] = await medianSeconds(() =>
        run("pulumi", ["stack", "output", "--json", "--stack", "big"], opts),
      );
      figures[`${name}InventoryVsStackOutput`] = round2(
        figures[`${name}InventorySeconds`] / figures[`${name}StackOutputSeconds`],
      );
    }
    const script = path.join(repoRoot, "ops", "inventory", "socle-inventory");
    figures.ansibleInventoryListSeconds = await medianSeconds(() =>
      run(path.join(ansibleBinDir(), "ansible-inventory"), ["-i", script, "--list"], {
        env: {
          ...process.env,
          ...backends.file,
          ...ansibleEnv(),
          SOCLE_INVENTORY_STACKS: "big",
          SOCLE_INVENTORY_PROJECT: project,
        },
        cwd: project,
        maxBuffer: 256 * 1024 * 1024,
      }),
    );
    const outputs = JSON.parse(await pulumiOk(project, env, ["stack", "output", "--json", "--stack", "big"]));
    const plan = await timed(async () => {
      for (let i = 0; i < 20; i++) planInventory([{ stack: "big", outputs }]);
    });
    figures.planInventoryMs = round2((plan.seconds / 20) * 1000);
    recordFigures("ops", figures);
  } finally {
    await pg.close();
    fs.rmSync(path.dirname(project), { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  console.error(`bench/ops: ${error.message}`);
  process.exit(1);
});
