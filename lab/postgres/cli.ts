// `npx tsx lab/postgres/cli.ts start --dir DIR [--detach]` | `stop --dir DIR`:
// a throwaway PostgreSQL server on 127.0.0.1 to try the team state backend on
// a laptop. `start` writes DIR/manifest.json (the login URL without password,
// the file holding the password) and prints it:
//   PGPASSWORD=$(cat DIR/password) SOCLE_BACKEND_URL=<url> ./socle up
import * as fs from "node:fs";
import * as path from "node:path";
import { serveUntilStopped, startDetached, stopBackgroundLab } from "../background";
import { startPostgresLab } from "./index";

const USAGE = "usage: cli.ts start --dir DIR [--detach] | cli.ts stop --dir DIR";

async function start(dir: string, detach: boolean): Promise<void> {
  const manifestFile = path.join(dir, "manifest.json");
  if (detach) {
    await startDetached(__filename, ["start", "--dir", dir], dir, manifestFile);
    return;
  }
  const lab = await startPostgresLab({ dir: path.join(dir, "server") });
  serveUntilStopped(dir, () => lab.close());
  // PostgreSQL runs as its own daemon: keep this process up until stop.
  setInterval(() => undefined, 2 ** 30);
  const passwordFile = path.join(dir, "password");
  fs.writeFileSync(passwordFile, lab.password + "\n", { mode: 0o600 });
  const manifest = { url: lab.urlWithoutPassword, passwordFile, pid: process.pid };
  fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + "\n");
  process.stdout.write(JSON.stringify(manifest, null, 2) + "\n");
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const dirAt = rest.indexOf("--dir");
  const dir = dirAt >= 0 ? rest[dirAt + 1] : undefined;
  if (!dir || (command !== "start" && command !== "stop")) throw new Error(USAGE);
  if (command === "start") await start(path.resolve(dir), rest.includes("--detach"));
  else await stopBackgroundLab(path.resolve(dir));
}

main().catch((error: Error) => {
  process.stderr.write(`lab/postgres: ${error.message}\n`);
  process.exit(1);
});
