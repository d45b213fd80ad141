// Cloud-init user-data for each application, as plain functions. Secrets
// (database passwords) are written to root-only files, never put on a
// command line or in a log. The output is validated in tests by Debian's
// `cloud-init schema`.
import { AppKind, appProfile } from "./apps";
import { hostnameFor } from "./naming";
import { toYaml, type YamlValue } from "./yaml";

/** A file cloud-init writes at first boot. */
export interface CloudFile {
  /** Absolute path of the file on the VM. */
  path: string;
  /** File content. */
  content: string;
  /** Octal mode as a string, e.g. "0600". */
  permissions: string;
  /** Owner as "user:group". @default cloud-init's (root:root) */
  owner?: string;
}

/** The subset of cloud-config socle generates. */
export interface CloudConfig {
  /** Hostname set at first boot (a lowercase DNS label). */
  hostname: string;
  /** IANA time zone set at first boot, e.g. "Europe/Paris". */
  timezone: string;
  /** Packages installed at first boot, after a package index update. */
  packages: string[];
  /** Files written at first boot. */
  files: CloudFile[];
  /** Commands run once at first boot, each as an argv list (no shell unless argv[0] is "sh"). */
  commands: string[][];
}

/** Renders a cloud-config document (starts with the mandatory "#cloud-config" line). */
export function renderCloudConfig(config: CloudConfig): string {
  const doc: { [key: string]: YamlValue } = {
    hostname: hostnameFor(config.hostname),
    timezone: config.timezone,
    package_update: true,
    packages: config.packages,
    write_files: config.files.map((f) => {
      const file: { [key: string]: YamlValue } = {
        path: f.path,
        content: f.content,
        permissions: f.permissions,
      };
      if (f.owner !== undefined) file.owner = f.owner;
      return file;
    }),
    runcmd: config.commands,
  };
  return "#cloud-config\n" + toYaml(doc);
}

/** Settings of an application server that do not change its structure. */
export interface AppSettings {
  /** Hostname of the server (a lowercase DNS label; the modules pass their name). */
  hostname: string;
  /** IANA time zone, e.g. "Europe/Paris". */
  timezone: string;
  /** Generated database password (absent for apps without a database). */
  dbPassword?: string;
  /** Odoo worker processes (0 = threaded mode). */
  odooWorkers: number;
  /** Odoo series installed from Odoo's nightly repository, e.g. "17.0". */
  odooVersion: string;
}

const SECRETS_DIR = "/root/socle";

function shell(script: string): string[] {
  return ["sh", "-c", script];
}

function requirePassword(kind: AppKind, settings: AppSettings): string {
  if (settings.dbPassword === undefined || settings.dbPassword.length < 16) {
    throw new Error(`${kind}: dbPassword must be a generated password of at least 16 characters`);
  }
  // The password lands in SQL and config files inside single quotes.
  if (/['"\\\n$`]/.test(settings.dbPassword)) {
    throw new Error(`${kind}: dbPassword must not contain quotes, backslashes, "$", "\`" or newlines`);
  }
  return settings.dbPassword;
}

function mysqlCreateDb(db: string, user: string, password: string): CloudFile {
  return {
    path: `${SECRETS_DIR}/${db}-db.sql`,
    permissions: "0600",
    content:
      `CREATE DATABASE IF NOT EXISTS ${db};\n` +
      `CREATE USER IF NOT EXISTS '${user}'@'localhost' IDENTIFIED BY '${password}';\n` +
      `GRANT ALL PRIVILEGES ON ${db}.* TO '${user}'@'localhost';\n` +
      `FLUSH PRIVILEGES;\n`,
  };
}

function odoo(settings: AppSettings): Omit<CloudConfig, "hostname" | "timezone"> {
  const password = requirePassword(AppKind.Odoo, settings);
  const port = appProfile(AppKind.Odoo).backendPort;
  if (!/^\d+\.\d+$/.test(settings.odooVersion)) {
    throw new Error(`odooVersion: "${settings.odooVersion}" is not an Odoo series such as "17.0"`);
  }
  if (!Number.isInteger(settings.odooWorkers) || settings.odooWorkers < 0 || settings.odooWorkers > 64) {
    throw new Error(`odooWorkers: ${settings.odooWorkers} must be an integer between 0 and 64`);
  }
  return {
    packages: ["postgresql", "wget", "gnupg", "ca-certificates"],
    files: [
      {
        path: `${SECRETS_DIR}/odoo-db.sql`,
        permissions: "0600",
        content: `CREATE ROLE odoo LOGIN CREATEDB PASSWORD '${password}';\n`,
      },
      {
        path: "/etc/odoo/odoo.conf",
        permissions: "0640",
        content:
          "[options]\n" +
          "db_host = localhost\n" +
          "db_port = 5432\n" +
          "db_user = odoo\n" +
          `db_password = ${password}\n` +
          "http_interface = 0.0.0.0\n" +
          `http_port = ${port}\n` +
          `workers = ${settings.odooWorkers}\n` +
          "proxy_mode = True\n",
      },
      {
        path: "/etc/apt/sources.list.d/odoo.list",
        permissions: "0644",
        content: `deb [signed-by=/usr/share/keyrings/odoo.gpg] https://nightly.odoo.com/${settings.odooVersion}/nightly/deb/ ./\n`,
      },
    ],
    commands: [
      shell(`runuser -u postgres -- psql -v ON_ERROR_STOP=1 < ${SECRETS_DIR}/odoo-db.sql`),
      shell("wget -qO- https://nightly.odoo.com/odoo.key | gpg --dearmor -o /usr/share/keyrings/odoo.gpg"),
      ["apt-get", "update"],
      ["apt-get", "install", "-y", "-o", "Dpkg::Options::=--force-confold", "odoo"],
      ["systemctl", "enable", "--now", "odoo"],
    ],
  };
}

function nextcloud(settings: AppSettings): Omit<CloudConfig, "hostname" | "timezone"> {
  const password = requirePassword(AppKind.Nextcloud, settings);
  return {
    packages: [
      "apache2",
      "mariadb-server",
      "libapache2-mod-php",
      "php-mysql",
      "php-gd",
      "php-curl",
      "php-mbstring",
      "php-intl",
      "php-xml",
      "php-zip",
      "php-bcmath",
      "php-gmp",
      "bzip2",
      "wget",
    ],
    files: [
      mysqlCreateDb("nextcloud", "nextcloud", password),
      {
        path: "/etc/apache2/sites-available/nextcloud.conf",
        permissions: "0644",
        content:
          "<VirtualHost *:80>\n" +
          "  DocumentRoot /var/www/nextcloud\n" +
          "  <Directory /var/www/nextcloud/>\n" +
          "    Require all granted\n" +
          "    AllowOverride All\n" +
          "    Options FollowSymLinks MultiViews\n" +
          "  </Directory>\n" +
          "</VirtualHost>\n",
      },
    ],
    commands: [
      shell(`mysql < ${SECRETS_DIR}/nextcloud-db.sql`),
      shell("wget -qO- https://download.nextcloud.com/server/releases/latest.tar.bz2 | tar -xj -C /var/www"),
      ["chown", "-R", "www-data:www-data", "/var/www/nextcloud"],
      ["a2dissite", "000-default"],
      ["a2ensite", "nextcloud"],
      ["a2enmod", "rewrite", "headers", "env", "dir", "mime"],
      ["systemctl", "reload", "apache2"],
    ],
  };
}

function wordpress(settings: AppSettings): Omit<CloudConfig, "hostname" | "timezone"> {
  const password = requirePassword(AppKind.WordPress, settings);
  return {
    packages: ["apache2", "mariadb-server", "wordpress", "libapache2-mod-php", "php-mysql"],
    files: [
      mysqlCreateDb("wordpress", "wordpress", password),
      {
        // Debian's wordpress package reads /etc/wordpress/config-<host>.php, then config-default.php.
        path: "/etc/wordpress/config-default.php",
        permissions: "0640",
        owner: "root:www-data",
        content:
          "<?php\n" +
          "define('DB_NAME', 'wordpress');\n" +
          "define('DB_USER', 'wordpress');\n" +
          `define('DB_PASSWORD', '${password}');\n` +
          "define('DB_HOST', 'localhost');\n" +
          "define('WP_CONTENT_DIR', '/var/lib/wordpress/wp-content');\n",
      },
      {
        path: "/etc/apache2/sites-available/wordpress.conf",
        permissions: "0644",
        content:
          "<VirtualHost *:80>\n" +
          "  DocumentRoot /usr/share/wordpress\n" +
          "  Alias /wp-content /var/lib/wordpress/wp-content\n" +
          "  <Directory /usr/share/wordpress>\n" +
          "    Options FollowSymLinks\n" +
          "    AllowOverride Limit Options FileInfo\n" +
          "    Require all granted\n" +
          "  </Directory>\n" +
          "  <Directory /var/lib/wordpress/wp-content>\n" +
          "    Options FollowSymLinks\n" +
          "    Require all granted\n" +
          "  </Directory>\n" +
          "</VirtualHost>\n",
      },
    ],
    commands: [
      shell(`mysql < ${SECRETS_DIR}/wordpress-db.sql`),
      ["a2dissite", "000-default"],
      ["a2ensite", "wordpress"],
      ["systemctl", "reload", "apache2"],
    ],
  };
}

function syncthing(): Omit<CloudConfig, "hostname" | "timezone"> {
  const port = appProfile(AppKind.Syncthing).backendPort;
  return {
    packages: ["syncthing"],
    files: [
      {
        // The GUI listens on the private network; the reverse proxy publishes it.
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

/** Cloud-config for one application server (database and app on the same VM, as in the seed). */
export function appCloudConfig(kind: AppKind, settings: AppSettings): CloudConfig {
  const base = { hostname: settings.hostname, timezone: settings.timezone };
  switch (kind) {
    case AppKind.Odoo:
      return { ...base, ...odoo(settings) };
    case AppKind.Nextcloud:
      return { ...base, ...nextcloud(settings) };
    case AppKind.WordPress:
      return { ...base, ...wordpress(settings) };
    case AppKind.Syncthing:
      return { ...base, ...syncthing() };
    default:
      throw new Error(
        `app kind: "${String(kind)}" is unknown; allowed: ${Object.values(AppKind).join(", ")}`,
      );
  }
}

/** A backend published by the reverse proxy. */
export interface ProxyBackend {
  /** The application published (its seed port and backend port come from its profile). */
  kind: AppKind;
  /** Private address of the app server. */
  address: string;
}

/**
 * nginx configuration of the reverse proxy: one `server` per app, listening
 * on the app's seed port and forwarding to its backend port.
 */
export function renderProxyConfig(backends: ProxyBackend[]): string {
  const seen = new Set<AppKind>();
  const blocks = backends.map((b) => {
    if (seen.has(b.kind)) throw new Error(`reverse proxy: app "${b.kind}" is published twice`);
    seen.add(b.kind);
    const p = appProfile(b.kind);
    return (
      `# ${p.title}\n` +
      "server {\n" +
      `  listen ${p.publicPort};\n` +
      "  client_max_body_size 512m;\n" +
      "  location / {\n" +
      `    proxy_pass http://${b.address}:${p.backendPort};\n` +
      "    proxy_set_header Host $host;\n" +
      "    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n" +
      "    proxy_set_header X-Forwarded-Proto $scheme;\n" +
      "  }\n" +
      "}\n"
    );
  });
  return blocks.join("\n");
}

/** Cloud-config of the reverse proxy VM (nginx). */
export function proxyCloudConfig(hostname: string, timezone: string, backends: ProxyBackend[]): CloudConfig {
  return {
    hostname,
    timezone,
    packages: ["nginx"],
    files: [
      {
        path: "/etc/nginx/conf.d/socle-proxy.conf",
        permissions: "0644",
        content: renderProxyConfig(backends),
      },
    ],
    commands: [
      ["nginx", "-t"],
      ["systemctl", "reload", "nginx"],
    ],
  };
}
