// The reverse proxy (nginx) publishing each app on its seed port. It is
// stateless: a change of backends replaces it (new user-data), and its
// floating IP association follows.
import * as pulumi from "@pulumi/pulumi";
import type { AppKind } from "./apps";
import { proxyCloudConfig, renderCloudConfig } from "./cloudInit";
import { AppServer, placementOf } from "./server";

/** A backend the proxy publishes. */
export interface ReverseProxyBackend {
  /** The application published (its seed port and backend port come from its profile). */
  kind: AppKind;
  /** Private address of the app server. */
  address: pulumi.Input<string>;
}

/** Arguments of {@link ReverseProxy}. */
export interface ReverseProxyArgs {
  /** Applications to publish, each kind once; changing them replaces the (stateless) proxy VM. */
  backends: ReverseProxyBackend[];
  /** Flavor name of the proxy VM. */
  flavorName: pulumi.Input<string>;
  /** Image ID (Ubuntu/Debian cloud image). */
  imageId: pulumi.Input<string>;
  /** Private network ID. */
  networkId: pulumi.Input<string>;
  /** Subnet of that network the server's address comes from. */
  subnetId: pulumi.Input<string>;
  /** Security group IDs, set on the server's port (usually the edge group). */
  securityGroupIds: pulumi.Input<string>[];
  /**
   * Keypair name.
   * @default no SSH key injected
   */
  keyPairName?: pulumi.Input<string>;
  /**
   * External network name for the proxy's floating IP.
   * @default no floating IP
   */
  floatingIpPool?: pulumi.Input<string>;
  /**
   * IDs the floating IP's association waits for: PrivateNetwork's
   * `routerInterfaceId` (Neutron associates only once the subnet is routed).
   * The proxy's server does not wait for it.
   * @default nothing more than the port
   */
  floatingIpAfter?: pulumi.Input<string>[];
  /**
   * IANA time zone.
   * @default "Europe/Paris"
   */
  timezone?: string;
}

/** nginx in front of the application servers. */
export class ReverseProxy extends pulumi.ComponentResource {
  /** The proxy's server. */
  public readonly server: AppServer;
  /** Private address of the proxy. */
  public readonly privateAddress: pulumi.Output<string>;
  /** Floating address, when floatingIpPool is set. */
  public readonly publicAddress: pulumi.Output<string> | undefined;

  constructor(name: string, args: ReverseProxyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("socle:openstack:ReverseProxy", name, {}, opts);
    if (args.backends.length === 0) throw new Error(`reverse proxy "${name}": backends is empty`);
    const timezone = args.timezone ?? "Europe/Paris";
    const userData = pulumi.all(args.backends.map((b) => b.address)).apply((addresses) =>
      renderCloudConfig(
        proxyCloudConfig(
          name,
          timezone,
          args.backends.map((b, i) => ({ kind: b.kind, address: addresses[i] ?? "" })),
        ),
      ),
    );
    this.server = new AppServer(
      name,
      {
        ...placementOf(args),
        userData,
        metadata: { "socle-app": "reverse-proxy" },
        dataBearing: false,
        floatingIpPool: args.floatingIpPool,
        floatingIpAfter: args.floatingIpAfter,
      },
      { parent: this },
    );
    this.privateAddress = this.server.privateAddress;
    this.publicAddress = this.server.floatingAddress;
    this.registerOutputs({ privateAddress: this.privateAddress, publicAddress: this.publicAddress });
  }
}
