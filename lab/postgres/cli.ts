// `npx tsx lab/postgres/cli.ts start|stop --dir DIR`: a throwaway PostgreSQL
// server on 127.0.0.1 to try the team state backend on a laptop. PostgreSQL
// runs as its own daemon, so `start` returns once it is up, after writing
// DIR/manifest.json (the login URL without password, the file holding it):
//   PGPASSWORD=$(cat DIR/password) SOCLE_BACKEND_URL=<url> ./socle up
import * as fs from "node:fs";
import * as path from "node:path";
import { startPostgresLab, stopPostgresLab } from "./index";

const USAGE = "usage: cli.ts start|stop --dir DIR";

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const dir = rest[rest.indexOf("--dir") + 1];
  if (!rest.includes("--dir") || !dir || (command !== "start" && command !== "stop")) throw new Error(USAGE);
  const serverDir = path.join(path.resolve(dir), "server");
  if (command === "stop") {
    // A throwaway lab: its state goes with it.
    await stopPostgresLab(serverDir);
    fs.rmSync(path.resolve(dir), { recursive: true, force: true });
    process.stdout.write(`PostgreSQL lab in ${dir} stopped and removed\n`);
    return;
  }
  if (fs.existsSync(serverDir))
    throw new Error(`${dir} already holds a lab: stop it first (cli.ts stop --dir ${dir})`);
  const lab = await startPostgresLab({ dir: serverDir });
  const passwordFile = path.join(path.resolve(dir), "password");
  fs.writeFileSync(passwordFile, lab.password + "\n", { mode: 0o600 });
  const manifest = { url: lab.urlWithoutPassword, passwordFile };
  fs.writeFileSync(path.join(path.resolve(dir), "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  process.stdout.write(JSON.stringify(manifest, null, 2) + "\n");
}

main().catch((error: Error) => {
  process.stderr.write(`lab/postgres: ${error.message}\n`);
  process.exit(1);
});
