// A throwaway PostgreSQL server for the team state backend: Debian's
// PostgreSQL binaries, its own data directory, listening on 127.0.0.1 only,
// password authentication with a random password. Run as the `postgres`
// system user when we are root (initdb refuses root).
import { execFile } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { pinnedVersions } from "../engine";
import { freeLoopbackPort } from "../ports";

const run = promisify(execFile);

/** A running lab server. */
export interface PostgresLab {
  /** The `pulumi login` URL: postgres://USER:PASSWORD@127.0.0.1:PORT/DB?sslmode=disable. */
  url: string;
  /** The same URL without the password, which then comes from PGPASSWORD (as a CI variable would give it). */
  urlWithoutPassword: string;
  port: number;
  user: string;
  /** The throwaway password (the lab's, never a real one). */
  password: string;
  database: string;
  /** Folder holding the data directory, the socket and the log. */
  dir: string;
  /** Runs one SQL statement with psql and returns its rows, tab-separated, one per line. */
  query(sql: string): Promise<string>;
  /** Stops the server and removes its folder. */
  close(): Promise<void>;
}

export interface PostgresLabOptions {
  /** Folder for the data directory and the log. @default a new folder in the system temp directory */
  dir?: string;
  /** TCP port on 127.0.0.1. @default a free port */
  port?: number;
  /** Database the state goes into. @default "pulumi" */
  database?: string;
}

/** Debian's PostgreSQL programs (initdb, pg_ctl, psql) for the pinned major version. */
export function postgresBin(program: string): string {
  const file = path.join("/usr/lib/postgresql", pinnedVersions().POSTGRES_MAJOR, "bin", program);
  if (!fs.existsSync(file)) {
    throw new Error(`${file} is missing: run scripts/setup-system.sh (installs Debian's postgresql package)`);
  }
  return file;
}

/** Runs a PostgreSQL program, as the `postgres` user when we are root. */
async function asServerUser(program: string, args: string[]): Promise<string> {
  const asRoot = process.getuid?.() === 0;
  const [command, argv] = asRoot
    ? ["runuser", ["-u", "postgres", "--", postgresBin(program), ...args]]
    : [postgresBin(program), args];
  try {
    const { stdout } = await run(command, argv, { cwd: "/" });
    return stdout;
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`${program} ${args.join(" ")} failed: ${e.stderr?.trim() || e.message}`);
  }
}

export async function startPostgresLab(options: PostgresLabOptions = {}): Promise<PostgresLab> {
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "socle-pg-"));
  fs.mkdirSync(dir, { recursive: true });
  const dataDir = path.join(dir, "data");
  const port = options.port ?? (await freeLoopbackPort());
  const user = "socle";
  const database = options.database ?? "pulumi";
  const password = crypto.randomBytes(18).toString("base64url");
  const pwFile = path.join(dir, "pwfile");
  fs.writeFileSync(pwFile, password + "\n", { mode: 0o600 });
  if (process.getuid?.() === 0) {
    await run("chown", ["-R", "postgres:postgres", dir]);
  }
  try {
    await asServerUser("initdb", ["-D", dataDir, "-A", "scram-sha-256", "-U", user, `--pwfile=${pwFile}`]);
  } finally {
    fs.rmSync(pwFile, { force: true });
  }
  const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`;
  await asServerUser("pg_ctl", [
    "-D",
    dataDir,
    "-o",
    serverOptions,
    "-l",
    path.join(dir, "server.log"),
    "-w",
    "start",
  ]);

  const env = { ...process.env, PGPASSWORD: password };
  const psql = async (db: string, sql: string): Promise<string> => {
    try {
      const { stdout } = await run(
        postgresBin("psql"),
        [
          "-h",
          "127.0.0.1",
          "-p",
          String(port),
          "-U",
          user,
          "-d",
          db,
          "-v",
          "ON_ERROR_STOP=1",
          "-At",
          "-c",
          sql,
        ],
        { env, maxBuffer: 64 * 1024 * 1024 },
      );
      return stdout;
    } catch (error) {
      const e = error as { stderr?: string; message: string };
      throw new Error(`psql: ${e.stderr?.trim() || e.message}`);
    }
  };
  await psql("postgres", `CREATE DATABASE ${database}`);
  return {
    url: `postgres://${user}:${password}@127.0.0.1:${port}/${database}?sslmode=disable`,
    urlWithoutPassword: `postgres://${user}@127.0.0.1:${port}/${database}?sslmode=disable`,
    port,
    user,
    password,
    database,
    dir,
    query: (sql) => psql(database, sql),
    async close() {
      await stopPostgresLab(dir).catch((error: Error) => {
        process.stderr.write(`lab/postgres: ${error.message}\n`);
      });
      if (!options.dir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Stops the server whose folder is `dir` (the `dir` it was started with). */
export async function stopPostgresLab(dir: string): Promise<void> {
  const dataDir = path.join(dir, "data");
  if (!fs.existsSync(dataDir))
    throw new Error(`no PostgreSQL data directory in ${dir}: was a lab started there?`);
  await asServerUser("pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "stop"]);
}
