// A private network behind a router to the external network: network,
// subnet, router with an external gateway, router interface. Changing the
// subnet CIDR replaces the subnet, which replaces every server on it (their
// `networks` input changes): treat the CIDR as permanent.
import * as openstack from "@pulumi/openstack";
import * as pulumi from "@pulumi/pulumi";
import { assertCidr } from "./rules";

/** Arguments of {@link PrivateNetwork}. */
export interface PrivateNetworkArgs {
  /** Subnet CIDR, e.g. "192.168.222.0/24" (the seed's). */
  cidr: string;
  /**
   * External network the router uses as gateway (floating IPs come from it).
   * @default no router: the network is isolated
   */
  externalNetworkId?: pulumi.Input<string>;
  /**
   * DNS servers handed out by DHCP.
   * @default none (the subnet's defaults)
   */
  dnsNameservers?: string[];
}

/** Network, subnet and router of a tenant or a bubble. */
export class PrivateNetwork extends pulumi.ComponentResource {
  /** Neutron network ID, what servers attach to. */
  public readonly networkId: pulumi.Output<string>;
  /** Subnet ID. */
  public readonly subnetId: pulumi.Output<string>;
  /** Router ID, or undefined for an isolated network. */
  public readonly routerId: pulumi.Output<string> | undefined;
  /**
   * The router interface's ID, known once the subnet is routed to the
   * external network (what a floating IP's association waits for), or
   * undefined for an isolated network.
   */
  public readonly routerInterfaceId: pulumi.Output<string> | undefined;
  /** The subnet's CIDR. */
  public readonly cidr: string;

  constructor(name: string, args: PrivateNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("socle:openstack:PrivateNetwork", name, {}, opts);
    this.cidr = assertCidr("cidr", args.cidr);
    const network = new openstack.networking.Network(name, { name, adminStateUp: true }, { parent: this });
    const subnet = new openstack.networking.Subnet(
      name,
      { name, networkId: network.id, cidr: args.cidr, ipVersion: 4, dnsNameservers: args.dnsNameservers },
      { parent: this },
    );
    if (args.externalNetworkId !== undefined) {
      const router = new openstack.networking.Router(
        name,
        { name, externalNetworkId: args.externalNetworkId, adminStateUp: true },
        { parent: this },
      );
      const routerInterface = new openstack.networking.RouterInterface(
        name,
        { routerId: router.id, subnetId: subnet.id },
        { parent: this },
      );
      this.routerId = router.id;
      this.routerInterfaceId = routerInterface.id;
    } else {
      this.routerId = undefined;
      this.routerInterfaceId = undefined;
    }
    this.networkId = network.id;
    this.subnetId = subnet.id;
    this.registerOutputs({ networkId: this.networkId, subnetId: this.subnetId, routerId: this.routerId });
  }
}
