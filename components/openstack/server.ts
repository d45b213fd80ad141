// An application server: flavor, image, a port on one private network with
// its security groups, keypair, cloud-init and an optional floating IP.
//
// The port is made first and handed to the server: the Terraform provider the
// OpenStack plugin is built from (v3.4.0) no longer reports the server's
// address (accessIpV4) nor associates floating IPs with a server, so the
// address is read from the port and floating IPs are associated with it.
// Security groups are the port's, not the server's.
//
// What replaces the server (see replacement.ts, from the provider's docs):
//   replaced: keyPairName, networkId (a new port), availabilityZone, userData*
//   rebuilt (root disk re-imaged): imageId*
//   in place: flavorName (resize), metadata, name; on the port:
//   securityGroupIds, fixedIp
// (*) data-bearing servers ignore userData and imageId changes (first-boot
// settings; a hash of the user-data in metadata still shows the change as an
// in-place update) and are protected: `pulumi destroy` or a replacement
// fails until `protect: false` is set on purpose.
//
// The provider does not read metadata back, so a drift guard child does:
// keys set, changed or removed by hand show on refresh, and up restores
// exactly socle's metadata (keys socle did not set are removed: the server is
// socle's alone, and a key a tool needs belongs in `metadata`).
import { createHash } from "node:crypto";
import * as openstack from "@pulumi/openstack";
import * as pulumi from "@pulumi/pulumi";
import { ServerMetadataGuard } from "../../providers/openstack";
import { guardAuthOf } from "./driftGuard";
import { ServerFloatingIp } from "./floatingIp";
import { ignoredServerInputs } from "./replacement";
import { pausePromiseStacks } from "./sdkCost";

/** Metadata key holding the SHA-256 of the user-data. */
export const USER_DATA_HASH_KEY = "socle-user-data-sha256";

/** Arguments of {@link AppServer}. */
export interface AppServerArgs {
  /** Flavor name; changing it resizes the server in place. */
  flavorName: pulumi.Input<string>;
  /** Image ID; changing it rebuilds the root disk (ignored on data-bearing servers unless allowRebuild). */
  imageId: pulumi.Input<string>;
  /** Private network ID; changing it replaces the port and so the server. */
  networkId: pulumi.Input<string>;
  /** Subnet of that network the server's address comes from (also makes the port wait for it). */
  subnetId: pulumi.Input<string>;
  /**
   * Fixed private address in that subnet (set on the port, changed in place).
   * @default an address chosen by Neutron
   */
  fixedIp?: pulumi.Input<string>;
  /**
   * IDs of the security groups, set on the server's port (changed in place); at least one.
   * A whole Input so that YAML programs can pass other resources' IDs.
   */
  securityGroupIds: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Keypair name; changing it replaces the server.
   * @default no keypair (no SSH key injected)
   */
  keyPairName?: pulumi.Input<string>;
  /**
   * Cloud-init user-data.
   * @default none
   */
  userData?: pulumi.Input<string>;
  /**
   * Extra metadata (updated in place).
   * @default none besides socle's own keys
   */
  metadata?: Record<string, pulumi.Input<string>>;
  /**
   * The server holds data that must survive (database, files).
   * @default true
   */
  dataBearing?: boolean;
  /**
   * Protect the server against deletion and replacement.
   * @default the value of dataBearing
   */
  protect?: boolean;
  /**
   * Let a new imageId rebuild a data-bearing server.
   * @default false (image changes are ignored on data-bearing servers)
   */
  allowRebuild?: boolean;
  /**
   * External network name to allocate a floating IP from.
   * @default no floating IP
   */
  floatingIpPool?: pulumi.Input<string>;
  /**
   * IDs the floating IP's association waits for (see ServerFloatingIp's
   * `after`): PrivateNetwork's `routerInterfaceId`, as Neutron associates only
   * once the subnet is routed. The server itself does not wait for it.
   * @default nothing more than the port
   */
  floatingIpAfter?: pulumi.Input<string>[];
  /**
   * Availability zone; changing it replaces the server.
   * @default the cloud's default zone
   */
  availabilityZone?: pulumi.Input<string>;
  /**
   * Guard the server's metadata against changes by hand: `pulumi refresh` shows
   * them (an update of the `<name>-guard` child) and `pulumi up` restores
   * exactly socle's keys, removing any other. A component guarding many
   * servers at once (a Bubble) turns it off and guards them all with one
   * ServerSetMetadataGuard.
   * @default true
   */
  guardDrift?: boolean;
}

/** One OpenStack server. */
export class AppServer extends pulumi.ComponentResource {
  /** The underlying compute.Instance resource. */
  public readonly instance: openstack.compute.Instance;
  /** The server's port: its address and security groups. */
  public readonly port: openstack.networking.Port;
  /** Nova server ID. */
  public readonly id: pulumi.Output<string>;
  /** The port's first fixed address. */
  public readonly privateAddress: pulumi.Output<string>;
  /** Floating address, when floatingIpPool is set. */
  public readonly floatingAddress: pulumi.Output<string> | undefined;
  /** Exactly the metadata socle sets on the server (its drift guard's expectation). */
  public readonly expectedMetadata: Record<string, pulumi.Input<string>>;
  /** Whether the server is protected. */
  public readonly protected: boolean;
  /** Inputs the engine ignores on this server. */
  public readonly ignoredInputs: string[];

  constructor(name: string, args: AppServerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("socle:openstack:AppServer", name, {}, opts);
    const resume = pausePromiseStacks(); // see sdkCost.ts
    try {
      const dataBearing = args.dataBearing ?? true;
      this.protected = args.protect ?? dataBearing;
      this.ignoredInputs = ignoredServerInputs(dataBearing, args.allowRebuild ?? false);

      const metadata: Record<string, pulumi.Input<string>> = {
        ...(args.metadata ?? {}),
        "socle-data-bearing": String(dataBearing),
      };
      this.expectedMetadata = metadata;
      if (args.userData !== undefined) {
        metadata[USER_DATA_HASH_KEY] = pulumi
          .output(args.userData)
          .apply((u) => createHash("sha256").update(u).digest("hex"));
      }
      this.port = new openstack.networking.Port(
        name,
        {
          name,
          networkId: args.networkId,
          fixedIps: [{ subnetId: args.subnetId, ipAddress: args.fixedIp }],
          securityGroupIds: requireGroups(name, args.securityGroupIds),
          adminStateUp: true,
        },
        // The server cannot outlive its port: protected alike.
        { parent: this, protect: this.protected },
      );
      this.instance = new openstack.compute.Instance(
        name,
        {
          name,
          flavorName: args.flavorName,
          imageId: args.imageId,
          networks: [{ port: this.port.id }],
          keyPair: args.keyPairName,
          userData: args.userData,
          metadata,
          availabilityZone: args.availabilityZone,
        },
        // A port serves one server at a time: a replacement deletes the old
        // server before creating the new one on the same port.
        {
          parent: this,
          protect: this.protected,
          ignoreChanges: this.ignoredInputs,
          deleteBeforeReplace: true,
        },
      );
      if (args.guardDrift ?? true) {
        new ServerMetadataGuard(
          `${name}-guard`,
          { serverId: this.instance.id, expectedMetadata: metadata, ...guardAuthOf(this) },
          // After any update of the server, whose own metadata write it then corrects.
          { parent: this, dependsOn: [this.instance] },
        );
      }
      this.id = this.instance.id;
      this.privateAddress = this.port.allFixedIps.apply((ips) => ips[0] ?? "");
      if (args.floatingIpPool !== undefined) {
        const fip = new ServerFloatingIp(
          name,
          { pool: args.floatingIpPool, portId: this.port.id, after: args.floatingIpAfter },
          { parent: this },
        );
        this.floatingAddress = fip.address;
      } else {
        this.floatingAddress = undefined;
      }
      this.registerOutputs({
        id: this.id,
        privateAddress: this.privateAddress,
        floatingAddress: this.floatingAddress,
      });
    } finally {
      resume();
    }
  }
}

/** The groups of a server's port, refused when empty: now if known, else once resolved. */
function requireGroups(
  name: string,
  ids: pulumi.Input<pulumi.Input<string>[]>,
): pulumi.Input<pulumi.Input<string>[]> {
  // Without a group of ours the port would get Neutron's default group.
  const check = <T>(list: T[]): T[] => {
    if (list.length > 0) return list;
    throw new Error(`server "${name}": securityGroupIds is empty; give at least one least-privilege group`);
  };
  return Array.isArray(ids) ? check(ids) : pulumi.output(ids).apply(check);
}

/** Where a server lands and how it is reached: the fields app modules pass through unchanged. */
export type ServerPlacement = Pick<
  AppServerArgs,
  "flavorName" | "imageId" | "networkId" | "subnetId" | "securityGroupIds" | "keyPairName"
>;

/** The placement fields of a module's arguments, for its AppServer. */
export function placementOf(args: ServerPlacement): ServerPlacement {
  const { flavorName, imageId, networkId, subnetId, securityGroupIds, keyPairName } = args;
  return { flavorName, imageId, networkId, subnetId, securityGroupIds, keyPairName };
}
