// A floating IP from the external pool, associated with a server. The
// association is its own resource: moving the address to another server
// replaces the association, never the server.
import * as openstack from "@pulumi/openstack";
import * as pulumi from "@pulumi/pulumi";

/** Arguments of {@link ServerFloatingIp}. */
export interface ServerFloatingIpArgs {
  /** Name of the external network to allocate from ("external"). */
  pool: pulumi.Input<string>;
  /** Server to associate with. */
  instanceId: pulumi.Input<string>;
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
    // compute.FloatingIpAssociate uses Nova's addFloatingIp, verified on the lab.
    new openstack.compute.FloatingIpAssociate(
      name,
      { floatingIp: fip.address, instanceId: args.instanceId },
      { parent: this },
    );
    this.address = fip.address;
    this.registerOutputs({ address: this.address });
  }
}
