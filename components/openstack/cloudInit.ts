// Cloud-init user-data for each application, as plain functions, built from
// the per-software parts of services.ts (shared with the bubble templates).
// Secrets (database passwords) are written to root-only files, never put on a
// command line or in a log. The output is validated in tests by Debian's
// `cloud-init schema`.
import { AppKind, appProfile } from "./apps";
import { hostnameFor } from "./naming";
import {
  assemble,
  assertQuotable,
  mysqlDatabase,
  odooFromRepository,
  postgresqlRole,
  shell,
  syncthingNode,
  type ConfigPart,
} from "./services";
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

function requirePassword(kind: AppKind, settings: AppSettings): string {
  if (settings.dbPassword === undefined || settings.dbPassword.length < 16) {
    throw new Error(`${kind}: dbPassword must be a generated password of at least 16 characters`);
  }
  assertQuotable(kind, settings.dbPassword);
  return settings.dbPassword;
}

/** Odoo with its PostgreSQL on the same VM, behind the reverse proxy. */
function odoo(settings: AppSettings): ConfigPart[] {
  const password = requirePassword(AppKind.Odoo, settings);
  return [
    postgresqlRole("odoo", password),
    odooFromRepository({
      version: settings.odooVersion,
      dbHost: "localhost",
      dbUser: "odoo",
      dbPassword: password,
      workers: settings.odooWorkers,
      behindProxy: true,
    }),
  ];
}

/** Nextcloud on Apache with its MySQL (MariaDB) on the same VM. */
function nextcloud(settings: AppSettings): ConfigPart[] {
  const password = requirePassword(AppKind.Nextcloud, settings);
  const packages = [
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
  ];
  return [
    { packages },
    mysqlDatabase("nextcloud", password, "localhost"),
    {
      files: [
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
        shell(
          "wget -qO- https://download.nextcloud.com/server/releases/latest.tar.bz2 | tar -xj -C /var/www",
        ),
        ["chown", "-R", "www-data:www-data", "/var/www/nextcloud"],
        ["a2dissite", "000-default"],
        ["a2ensite", "nextcloud"],
        ["a2enmod", "rewrite", "headers", "env", "dir", "mime"],
        ["systemctl", "reload", "apache2"],
      ],
    },
  ];
}

/** WordPress from Debian's package on Apache, with its MySQL (MariaDB) on the same VM. */
function wordpress(settings: AppSettings): ConfigPart[] {
  const password = requirePassword(AppKind.WordPress, settings);
  return [
    { packages: ["apache2", "mariadb-server", "wordpress", "libapache2-mod-php", "php-mysql"] },
    mysqlDatabase("wordpress", password, "localhost"),
    {
      files: [
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
        ["a2dissite", "000-default"],
        ["a2ensite", "wordpress"],
        ["systemctl", "reload", "apache2"],
      ],
    },
  ];
}

/** Cloud-config for one application server (database and app on the same VM, as in the seed). */
export function appCloudConfig(kind: AppKind, settings: AppSettings): CloudConfig {
  const vm = (parts: ConfigPart[]) => assemble(settings.hostname, settings.timezone, parts);
  switch (kind) {
    case AppKind.Odoo:
      return vm(odoo(settings));
    case AppKind.Nextcloud:
      return vm(nextcloud(settings));
    case AppKind.WordPress:
      return vm(wordpress(settings));
    case AppKind.Syncthing:
      return vm([syncthingNode()]);
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
