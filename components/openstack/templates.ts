// The bubble template catalogue: named sets of interconnected VMs ("odoo +
// postgres", "web + db") on the bubble's private network, with the flows
// between them. Pure data and planning: which VMs, which flows (as security
// rules between per-role groups), which cloud-init. The software itself is
// set up by services.ts, as for the application modules.
import { AppKind, appProfile, type ServerSize } from "./apps";
import { renderCloudConfig, type CloudConfig } from "./cloudInit";
import { assertCidr, type RuleSpec } from "./rules";
import {
  DEFAULT_ODOO_VERSION,
  SECRETS_DIR,
  assemble,
  assertQuotable,
  mysqlDatabase,
  odooFromRepository,
  postgresqlRole,
  syncthingNode,
  type ConfigPart,
} from "./services";

/** Software a template VM runs. */
export enum ServiceKind {
  /** Odoo ERP, using the PostgreSQL VM of its template. */
  Odoo = "odoo",
  /** PostgreSQL server, reachable from the bubble's subnet. */
  PostgreSql = "postgresql",
  /** nginx web server. */
  WebServer = "web",
  /** MySQL (MariaDB) server, listening on every address. */
  MySql = "mysql",
  /** Syncthing node (GUI on 8384). */
  Syncthing = "syncthing",
}

/** One VM of a template. */
export interface TemplateVm {
  /** Role inside the template ("app", "db"); part of the VM's name. */
  role: string;
  /** Software the VM runs. */
  service: ServiceKind;
  /** Minimum size; the bubble gives it the smallest flavor that fits. */
  size: ServerSize;
  /** Holds data that must survive: protected by default. */
  dataBearing: boolean;
}

/** A network flow the template needs; everything else is denied. */
export interface TemplateFlow {
  /** Source role, or "clients" for the bubble's users. */
  from: string;
  /** Destination role. */
  to: string;
  /** TCP port on the destination. */
  port: number;
  /** Description of the rule that allows it. */
  description: string;
}

/** A named set of interconnected VMs. */
export interface TemplateSpec {
  /** Catalogue name, e.g. "odoo+postgres". */
  name: string;
  /** What the template provides. */
  description: string;
  /** Its VMs. */
  vms: TemplateVm[];
  /** The flows allowed to and between its VMs; everything else is denied. */
  flows: TemplateFlow[];
}

const SMALL: ServerSize = { vcpus: 1, ramMiB: 1024, diskGiB: 10 };
const MEDIUM: ServerSize = { vcpus: 2, ramMiB: 2048, diskGiB: 20 };
// The ports services.ts configures Odoo and the Syncthing GUI on.
const ODOO_PORT = appProfile(AppKind.Odoo).backendPort;
const SYNCTHING_GUI_PORT = appProfile(AppKind.Syncthing).backendPort;

/** The catalogue, by name. */
export const TEMPLATE_CATALOGUE: Readonly<Record<string, TemplateSpec>> = {
  "odoo+postgres": {
    name: "odoo+postgres",
    description: "Odoo ERP and its PostgreSQL on a separate VM",
    vms: [
      { role: "db", service: ServiceKind.PostgreSql, size: MEDIUM, dataBearing: true },
      { role: "app", service: ServiceKind.Odoo, size: MEDIUM, dataBearing: false },
    ],
    flows: [
      { from: "clients", to: "app", port: ODOO_PORT, description: "Odoo web" },
      { from: "app", to: "db", port: 5432, description: "PostgreSQL from Odoo" },
    ],
  },
  "web+db": {
    name: "web+db",
    description: "A web server and a MySQL (MariaDB) database",
    vms: [
      { role: "db", service: ServiceKind.MySql, size: MEDIUM, dataBearing: true },
      { role: "web", service: ServiceKind.WebServer, size: SMALL, dataBearing: false },
    ],
    flows: [
      { from: "clients", to: "web", port: 80, description: "HTTP" },
      { from: "clients", to: "web", port: 443, description: "HTTPS" },
      { from: "web", to: "db", port: 3306, description: "MySQL from the web server" },
    ],
  },
  syncthing: {
    name: "syncthing",
    description: "A Syncthing node for file synchronisation",
    vms: [{ role: "sync", service: ServiceKind.Syncthing, size: SMALL, dataBearing: true }],
    flows: [
      { from: "clients", to: "sync", port: SYNCTHING_GUI_PORT, description: "Syncthing GUI" },
      { from: "clients", to: "sync", port: 22000, description: "Syncthing sync protocol" },
    ],
  },
};

/** Looks a template up by name, or throws listing the catalogue. */
export function resolveTemplate(
  name: string,
  catalogue: Readonly<Record<string, TemplateSpec>> = TEMPLATE_CATALOGUE,
): TemplateSpec {
  const spec = catalogue[name];
  if (!spec) {
    throw new Error(
      `template: "${name}" is not in the catalogue; available: ${Object.keys(catalogue).join(", ")}`,
    );
  }
  return spec;
}

/**
 * Security rules of each role's group: SSH from the admin CIDR, and one
 * ingress rule per flow (from another role's group, or from the client
 * CIDR). Keyed by role.
 */
export function planTemplateRules(
  spec: TemplateSpec,
  adminCidr: string,
  clientCidr: string,
): Record<string, RuleSpec[]> {
  assertCidr("adminCidr", adminCidr, false);
  assertCidr("clientCidr", clientCidr);
  const roles = new Set(spec.vms.map((v) => v.role));
  const byRole: Record<string, RuleSpec[]> = {};
  for (const role of roles) {
    byRole[role] = [
      {
        key: "in-tcp-22-admin",
        direction: "ingress",
        protocol: "tcp",
        portMin: 22,
        portMax: 22,
        remoteCidr: adminCidr,
        description: "SSH from administrators only",
      },
    ];
  }
  for (const flow of spec.flows) {
    const target = byRole[flow.to];
    if (!target) throw new Error(`template "${spec.name}": flow to unknown role "${flow.to}"`);
    if (flow.from !== "clients" && !roles.has(flow.from)) {
      throw new Error(`template "${spec.name}": flow from unknown role "${flow.from}"`);
    }
    const rule: RuleSpec = {
      key: `in-tcp-${flow.port}-${flow.from}`,
      direction: "ingress",
      protocol: "tcp",
      portMin: flow.port,
      portMax: flow.port,
      description: flow.description,
    };
    if (flow.from === "clients") rule.remoteCidr = clientCidr;
    else rule.remoteGroup = flow.from;
    target.push(rule);
  }
  return byRole;
}

/** Context for a template VM's cloud-init. */
export interface ServiceContext {
  /** VM name, used as its hostname. */
  hostname: string;
  /** IANA time zone, e.g. "Europe/Paris". */
  timezone: string;
  /** The bubble subnet, allowed by databases. */
  subnetCidr: string;
  /** Generated database password (database and app VMs). */
  dbPassword: string;
  /** Private address of the database VM, for app VMs. */
  dbAddress?: string;
}

/** Cloud-config of one template VM. */
export function serviceCloudConfig(service: ServiceKind, ctx: ServiceContext): CloudConfig {
  const vm = (parts: ConfigPart[]) => assemble(ctx.hostname, ctx.timezone, parts);
  const pw = ctx.dbPassword;
  assertQuotable(service, pw);
  switch (service) {
    case ServiceKind.PostgreSql:
      return vm([
        postgresqlRole("app", pw),
        {
          files: [
            {
              path: "/etc/postgresql/socle-hba.conf",
              permissions: "0644",
              content: `host all app ${ctx.subnetCidr} scram-sha-256\n`,
            },
          ],
          commands: [
            [
              "sh",
              "-c",
              "for d in /etc/postgresql/*/main; do echo \"listen_addresses = '*'\" >> $d/conf.d/socle.conf; cat /etc/postgresql/socle-hba.conf >> $d/pg_hba.conf; done",
            ],
            ["systemctl", "restart", "postgresql"],
          ],
        },
      ]);
    case ServiceKind.MySql:
      return vm([
        // The app VM connects over the network: the user may log in from any address.
        mysqlDatabase("app", pw, "%"),
        {
          files: [
            {
              path: "/etc/mysql/mariadb.conf.d/99-socle.cnf",
              permissions: "0644",
              content: "[mysqld]\nbind-address = 0.0.0.0\n",
            },
          ],
          commands: [["systemctl", "restart", "mariadb"]],
        },
      ]);
    case ServiceKind.Odoo:
      if (ctx.dbAddress === undefined)
        throw new Error("odoo template VM: dbAddress is required (the database VM's address)");
      return vm([
        odooFromRepository({
          version: DEFAULT_ODOO_VERSION,
          dbHost: ctx.dbAddress,
          dbUser: "app",
          dbPassword: pw,
        }),
      ]);
    case ServiceKind.WebServer:
      return vm([
        {
          packages: ["nginx"],
          files: [
            {
              path: `${SECRETS_DIR}/db.env`,
              permissions: "0600",
              content: `DB_HOST=${ctx.dbAddress ?? ""}\nDB_USER=app\nDB_PASSWORD=${pw}\n`,
            },
          ],
          commands: [["systemctl", "enable", "--now", "nginx"]],
        },
      ]);
    case ServiceKind.Syncthing:
      return vm([syncthingNode()]);
    default:
      throw new Error(
        `service: "${String(service)}" is unknown; allowed: ${Object.values(ServiceKind).join(", ")}`,
      );
  }
}

/** Rendered user-data of one template VM. */
export function serviceUserData(service: ServiceKind, ctx: ServiceContext): string {
  return renderCloudConfig(serviceCloudConfig(service, ctx));
}
