// Application modules of the MedicArche seed: one VM per app with its
// database on the same VM (Odoo + PostgreSQL, Nextcloud and WordPress on
// Apache + MySQL, Syncthing). The database password is generated with
// @pulumi/random and only ever handled as a secret.
//
// Non-structural settings (timezone, Odoo workers, Odoo version) only change
// the user-data: on these data-bearing servers that is an in-place metadata
// update, never a replacement (see server.ts).
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { AppKind, DatabaseEngine, appProfile } from "./apps";
import { appCloudConfig, renderCloudConfig } from "./cloudInit";
import { AppServer, placementOf } from "./server";
import { DEFAULT_ODOO_VERSION } from "./services";

/** Arguments shared by every application module. */
export interface AppModuleArgs {
  /** Flavor name (see planAppFlavors). */
  flavorName: pulumi.Input<string>;
  /** Image ID (Ubuntu/Debian cloud image). */
  imageId: pulumi.Input<string>;
  /** Private network ID. */
  networkId: pulumi.Input<string>;
  /** Security group names (usually the backend group). */
  securityGroupNames: pulumi.Input<string>[];
  /**
   * Keypair name.
   * @default no SSH key injected
   */
  keyPairName?: pulumi.Input<string>;
  /**
   * IANA time zone of the server.
   * @default "Europe/Paris"
   */
  timezone?: string;
  /**
   * Odoo worker processes (Odoo only).
   * @default 2
   */
  odooWorkers?: number;
  /**
   * Odoo series (Odoo only).
   * @default "17.0"
   */
  odooVersion?: string;
  /**
   * Protect the server against deletion and replacement.
   * @default true (every app server holds data)
   */
  protect?: boolean;
  /**
   * External network name for a floating IP on the app server itself.
   * @default none (the app is reached through the reverse proxy)
   */
  floatingIpPool?: pulumi.Input<string>;
}

/** Common part of the four application modules. */
export abstract class AppModuleBase extends pulumi.ComponentResource {
  /** The application this module installs. */
  public readonly kind: AppKind;
  /** The application's server (one VM, database included). */
  public readonly server: AppServer;
  /** Generated database password (secret); undefined for Syncthing. */
  public readonly dbPassword: pulumi.Output<string> | undefined;
  /** Private address of the server: the reverse proxy's backend address. */
  public readonly privateAddress: pulumi.Output<string>;
  /** Port the app listens on inside its VM. */
  public readonly backendPort: number;
  /** Port the reverse proxy publishes (the seed's port). */
  public readonly publicPort: number;

  protected constructor(
    type: string,
    name: string,
    kind: AppKind,
    args: AppModuleArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super(type, name, {}, opts);
    const profile = appProfile(kind);
    this.kind = kind;
    this.backendPort = profile.backendPort;
    this.publicPort = profile.publicPort;
    if (kind !== AppKind.Odoo && (args.odooWorkers !== undefined || args.odooVersion !== undefined)) {
      throw new Error(`${name}: odooWorkers/odooVersion only apply to Odoo, not ${kind}`);
    }

    let password: pulumi.Output<string | undefined> = pulumi.output(undefined);
    if (profile.database !== DatabaseEngine.None) {
      // No special characters: the password is written into SQL and PHP/INI files.
      const generated = new random.RandomPassword(
        `${name}-db`,
        { length: 32, special: false },
        { parent: this },
      );
      this.dbPassword = pulumi.secret(generated.result);
      password = this.dbPassword;
    } else {
      this.dbPassword = undefined;
    }
    const timezone = args.timezone ?? "Europe/Paris";
    const userData = password.apply((dbPassword) =>
      renderCloudConfig(
        appCloudConfig(kind, {
          hostname: name,
          timezone,
          dbPassword,
          odooWorkers: args.odooWorkers ?? 2,
          odooVersion: args.odooVersion ?? DEFAULT_ODOO_VERSION,
        }),
      ),
    );
    this.server = new AppServer(
      name,
      {
        ...placementOf(args),
        userData: this.dbPassword ? pulumi.secret(userData) : userData,
        metadata: { "socle-app": kind },
        dataBearing: true,
        protect: args.protect ?? true,
        floatingIpPool: args.floatingIpPool,
      },
      { parent: this },
    );
    this.privateAddress = this.server.privateAddress;
    this.registerOutputs({ privateAddress: this.privateAddress, dbPassword: this.dbPassword });
  }
}

/** Odoo ERP with its PostgreSQL on one VM (port 8069, published on 8087). */
export class OdooApp extends AppModuleBase {
  constructor(name: string, args: AppModuleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("socle:openstack:OdooApp", name, AppKind.Odoo, args, opts);
  }
}

/** Nextcloud on Apache + MySQL on one VM (port 80, published on 8806). */
export class NextcloudApp extends AppModuleBase {
  constructor(name: string, args: AppModuleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("socle:openstack:NextcloudApp", name, AppKind.Nextcloud, args, opts);
  }
}

/** Syncthing (GUI on 8384, published on 8885). */
export class SyncthingApp extends AppModuleBase {
  constructor(name: string, args: AppModuleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("socle:openstack:SyncthingApp", name, AppKind.Syncthing, args, opts);
  }
}

/** WordPress company website on Apache + MySQL (port 80, published on 8088). */
export class WordPressApp extends AppModuleBase {
  constructor(name: string, args: AppModuleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("socle:openstack:WordPressApp", name, AppKind.WordPress, args, opts);
  }
}

/** Creates the module class matching `kind`. */
export function createAppModule(
  kind: AppKind,
  name: string,
  args: AppModuleArgs,
  opts?: pulumi.ComponentResourceOptions,
): AppModuleBase {
  switch (kind) {
    case AppKind.Odoo:
      return new OdooApp(name, args, opts);
    case AppKind.Nextcloud:
      return new NextcloudApp(name, args, opts);
    case AppKind.Syncthing:
      return new SyncthingApp(name, args, opts);
    case AppKind.WordPress:
      return new WordPressApp(name, args, opts);
    default:
      throw new Error(
        `app kind: "${String(kind)}" is unknown; allowed: ${Object.values(AppKind).join(", ")}`,
      );
  }
}
