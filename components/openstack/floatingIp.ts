// A floating IP from the external pool, associated with a server's port. The
// association is its own resource: moving the address to another server
// replaces the association, never the server. (Neutron's association by port:
// compute.FloatingIpAssociate is gone from the Terraform provider the
// OpenStack plugin is built from.)
import * as openstack from "@pulumi/openstack";
import * as pulumi from "@pulumi/pulumi";

/** Arguments of {@link ServerFloatingIp}. */
export interface ServerFloatingIpArgs {
  /** Name of the external network to allocate from ("external"). */
  pool: pulumi.Input<string>;
  /** Port of the server to associate with (AppServer's `port`). */
  portId: pulumi.Input<string>;
  /**
   * IDs the association waits for: the router interface that routes the
   * port's subnet to the external network (PrivateNetwork's
   * `routerInterfaceId`), since Neutron refuses the association before. Only
   * the association waits: the address and the server are made meanwhile.
   * @default nothing more than the port
   */
  after?: pulumi.Input<string>[];
}

/** A floating IP associated with one server. */
export class ServerFloatingIp extends pulumi.ComponentResource {
  /** The floating IP address. */
  public readonly address: pulumi.Output<string>;

  constructor(name: string, args: ServerFloatingIpArgs, opts?: pulumi.ComponentResourceOptions) {
    super("socle:openstack:ServerFloatingIp", name, {}, opts);
    const fip = new openstack.networking.FloatingIp(
      name,
      { pool: args.pool, description: name },
      { parent: this },
    );
    new openstack.networking.FloatingIpAssociate(
      name,
      {
        floatingIp: fip.address,
        // With `after`, the port's ID is given once all of it exists: so the engine orders them.
        portId: args.after?.length
          ? pulumi.all([args.portId, ...args.after]).apply(([port]) => port)
          : args.portId,
      },
      { parent: this },
    );
    this.address = fip.address;
    this.registerOutputs({ address: this.address });
  }
}
