// The cloud-init of each piece of software socle installs (Odoo, PostgreSQL,
// MySQL, Syncthing), written once and used by both the application modules
// (cloudInit.ts) and the template VMs of bubbles (templates.ts), so a fix to
// one reaches the other. Internal: not exported from the package.
import { AppKind, appProfile } from "./apps";
import type { CloudConfig, CloudFile } from "./cloudInit";

/** Where secrets (SQL with passwords) are written: readable by root only. */
export const SECRETS_DIR = "/root/socle";

/** Odoo series installed when none is given. */
export const DEFAULT_ODOO_VERSION = "17.0";

/** What one piece of software adds to a VM's cloud-config. */
export interface ConfigPart {
  /** Packages installed at first boot. */
  packages?: string[];
  /** Files written at first boot. */
  files?: CloudFile[];
  /** Commands run once at first boot, in order. */
  commands?: string[][];
}

/** A VM's cloud-config from its parts, in order; a package two parts need is listed once. */
export function assemble(hostname: string, timezone: string, parts: ConfigPart[]): CloudConfig {
  const packages = parts.flatMap((p) => p.packages ?? []);
  return {
    hostname,
    timezone,
    packages: packages.filter((name, index) => packages.indexOf(name) === index),
    files: parts.flatMap((p) => p.files ?? []),
    commands: parts.flatMap((p) => p.commands ?? []),
  };
}

/** A command run by the shell (for redirections and pipes). */
export function shell(script: string): string[] {
  return ["sh", "-c", script];
}

/** Throws unless the password can sit inside single quotes in SQL, PHP and INI files. */
export function assertQuotable(who: string, password: string): void {
  if (/['"\\\n$`]/.test(password)) {
    throw new Error(`${who}: dbPassword must not contain quotes, backslashes, "$", "\`" or newlines`);
  }
}

/**
 * A database server and an SQL script holding a password, run once by the
 * server's client. The password stays in a root-only file, never on a command line.
 */
function databaseSetup(pkg: string, name: string, sql: string, client: string): ConfigPart {
  const path = `${SECRETS_DIR}/${name}-db.sql`;
  return {
    packages: [pkg],
    files: [{ path, permissions: "0600", content: sql }],
    commands: [shell(`${client} < ${path}`)],
  };
}

/** PostgreSQL with a login role that may create databases. */
export function postgresqlRole(role: string, password: string): ConfigPart {
  return databaseSetup(
    "postgresql",
    role,
    `CREATE ROLE ${role} LOGIN CREATEDB PASSWORD '${password}';\n`,
    "runuser -u postgres -- psql -v ON_ERROR_STOP=1",
  );
}

/**
 * MySQL (MariaDB) with a database and a user of the same name owning it.
 * `from` is where the user may connect from: "localhost", or "%" for anywhere.
 */
export function mysqlDatabase(name: string, password: string, from: "localhost" | "%"): ConfigPart {
  return databaseSetup(
    "mariadb-server",
    name,
    `CREATE DATABASE IF NOT EXISTS ${name};\n` +
      `CREATE USER IF NOT EXISTS '${name}'@'${from}' IDENTIFIED BY '${password}';\n` +
      `GRANT ALL PRIVILEGES ON ${name}.* TO '${name}'@'${from}';\n` +
      `FLUSH PRIVILEGES;\n`,
    "mysql",
  );
}

/** Settings of {@link odooFromRepository}. */
export interface OdooOptions {
  /** Odoo series, e.g. "17.0". */
  version: string;
  /** Address of the PostgreSQL server ("localhost" when on the same VM). */
  dbHost: string;
  /** PostgreSQL role Odoo logs in as. */
  dbUser: string;
  /** Its password. */
  dbPassword: string;
  /** Worker processes (0 = threaded mode). @default Odoo's own default */
  workers?: number;
  /** Odoo sits behind the reverse proxy and trusts its X-Forwarded-* headers. @default false */
  behindProxy?: boolean;
}

/**
 * Odoo from Odoo's nightly apt repository (Debian and Ubuntu do not ship it).
 * The key is fetched and the package installed by commands, after the
 * repository file is written; odoo.conf is written first and kept (confold).
 */
export function odooFromRepository(options: OdooOptions): ConfigPart {
  if (!/^\d+\.\d+$/.test(options.version)) {
    throw new Error(`odooVersion: "${options.version}" is not an Odoo series such as "17.0"`);
  }
  const workers = options.workers;
  if (workers !== undefined && (!Number.isInteger(workers) || workers < 0 || workers > 64)) {
    throw new Error(`odooWorkers: ${workers} must be an integer between 0 and 64`);
  }
  return {
    packages: ["wget", "gnupg", "ca-certificates"],
    files: [
      {
        path: "/etc/odoo/odoo.conf",
        permissions: "0640",
        content:
          "[options]\n" +
          `db_host = ${options.dbHost}\n` +
          "db_port = 5432\n" +
          `db_user = ${options.dbUser}\n` +
          `db_password = ${options.dbPassword}\n` +
          "http_interface = 0.0.0.0\n" +
          `http_port = ${appProfile(AppKind.Odoo).backendPort}\n` +
          (workers !== undefined ? `workers = ${workers}\n` : "") +
          (options.behindProxy ? "proxy_mode = True\n" : ""),
      },
      {
        path: "/etc/apt/sources.list.d/odoo.list",
        permissions: "0644",
        content: `deb [signed-by=/usr/share/keyrings/odoo.gpg] https://nightly.odoo.com/${options.version}/nightly/deb/ ./\n`,
      },
    ],
    commands: [
      shell("wget -qO- https://nightly.odoo.com/odoo.key | gpg --dearmor -o /usr/share/keyrings/odoo.gpg"),
      ["apt-get", "update"],
      ["apt-get", "install", "-y", "-o", "Dpkg::Options::=--force-confold", "odoo"],
      ["systemctl", "enable", "--now", "odoo"],
    ],
  };
}

/** A Syncthing node run by a system user, its GUI listening on every address. */
export function syncthingNode(): ConfigPart {
  const port = appProfile(AppKind.Syncthing).backendPort;
  return {
    packages: ["syncthing"],
    files: [
      {
        // The GUI listens on the private network; the reverse proxy or the security group decides who reaches it.
        path: "/etc/systemd/system/syncthing@syncthing.service.d/socle.conf",
        permissions: "0644",
        content: `[Service]\nEnvironment=STGUIADDRESS=0.0.0.0:${port}\n`,
      },
    ],
    commands: [
      ["useradd", "--create-home", "--system", "syncthing"],
      ["systemctl", "daemon-reload"],
      ["systemctl", "enable", "--now", "syncthing@syncthing"],
    ],
  };
}
