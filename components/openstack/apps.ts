// What each application of the MedicArche seed needs from the platform: the
// port the reverse proxy publishes (seed ports), the port the app listens on
// inside its VM, its database engine and a minimum flavor. Pure data.

/** The applications socle knows how to install. */
export enum AppKind {
  /** Odoo ERP with a local PostgreSQL. */
  Odoo = "odoo",
  /** Nextcloud on Apache with a local MySQL (MariaDB). */
  Nextcloud = "nextcloud",
  /** Syncthing file synchronisation (web GUI). */
  Syncthing = "syncthing",
  /** WordPress company website on Apache with a local MySQL (MariaDB). */
  WordPress = "wordpress",
}

/** Database engine installed next to an application. */
export enum DatabaseEngine {
  /** No database (Syncthing). */
  None = "none",
  /** PostgreSQL (Odoo). */
  PostgreSql = "postgresql",
  /** MySQL, installed as MariaDB (Nextcloud, WordPress). */
  MySql = "mysql",
}

/** Minimum size of a server, in the units OpenStack flavors use. */
export interface ServerSize {
  /** Virtual CPUs. */
  vcpus: number;
  /** Memory, in MiB. */
  ramMiB: number;
  /** Root disk, in GiB. */
  diskGiB: number;
}

/** Platform needs of one application. */
export interface AppProfile {
  /** The application. */
  kind: AppKind;
  /** Human title, used in descriptions and the delivery check-list. */
  title: string;
  /** Port the reverse proxy publishes for this app (the seed's port). */
  publicPort: number;
  /** Port the app listens on inside its own VM (what the proxy forwards to). */
  backendPort: number;
  /** Database engine installed on the application's VM. */
  database: DatabaseEngine;
  /** Minimum flavor, from the applications' documented requirements. */
  minSize: ServerSize;
}

/** The seed's ports: 8087 Odoo, 8088 website, 8806 Nextcloud, 8885 Syncthing. */
export const APP_PROFILES: Readonly<Record<AppKind, AppProfile>> = {
  [AppKind.Odoo]: {
    kind: AppKind.Odoo,
    title: "Odoo",
    publicPort: 8087,
    backendPort: 8069,
    database: DatabaseEngine.PostgreSql,
    minSize: { vcpus: 2, ramMiB: 2048, diskGiB: 9 },
  },
  [AppKind.WordPress]: {
    kind: AppKind.WordPress,
    title: "WordPress website",
    publicPort: 8088,
    backendPort: 80,
    database: DatabaseEngine.MySql,
    minSize: { vcpus: 1, ramMiB: 1024, diskGiB: 5 },
  },
  [AppKind.Nextcloud]: {
    kind: AppKind.Nextcloud,
    title: "Nextcloud",
    publicPort: 8806,
    backendPort: 80,
    database: DatabaseEngine.MySql,
    minSize: { vcpus: 2, ramMiB: 2048, diskGiB: 8 },
  },
  [AppKind.Syncthing]: {
    kind: AppKind.Syncthing,
    title: "Syncthing",
    publicPort: 8885,
    backendPort: 8384,
    database: DatabaseEngine.None,
    minSize: { vcpus: 1, ramMiB: 1024, diskGiB: 5 },
  },
};

/** Returns the profile of `kind`, or throws naming the allowed values. */
export function appProfile(kind: AppKind): AppProfile {
  const profile = (APP_PROFILES as Record<string, AppProfile | undefined>)[kind];
  if (!profile) {
    throw new Error(`app kind: "${String(kind)}" is unknown; allowed: ${Object.values(AppKind).join(", ")}`);
  }
  return profile;
}
