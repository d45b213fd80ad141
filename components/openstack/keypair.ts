// An SSH keypair for the servers: generated with @pulumi/tls (the private
// key is a Pulumi secret, encrypted in the state) or imported from an
// existing public key. Changing the keypair of a server replaces the server.
import * as openstack from "@pulumi/openstack";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";

/** Arguments of {@link SshKeypair}. */
export interface SshKeypairArgs {
  /**
   * An OpenSSH public key to import ("ssh-ed25519 AAAA... admin@dsi").
   * @default a new RSA key is generated and its private key exported as a secret
   */
  publicKey?: pulumi.Input<string>;
  /**
   * Size of the generated RSA key.
   * @default 4096
   */
  rsaBits?: number;
}

/** A Nova keypair. */
export class SshKeypair extends pulumi.ComponentResource {
  /** Keypair name, to pass to servers. */
  public readonly keyPairName: pulumi.Output<string>;
  /** The OpenSSH public key. */
  public readonly publicKey: pulumi.Output<string>;
  /** PEM private key (secret), only when generated. */
  public readonly privateKeyPem: pulumi.Output<string> | undefined;
  /** Key fingerprint, as Nova reports it. */
  public readonly fingerprint: pulumi.Output<string>;

  constructor(name: string, args: SshKeypairArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super("socle:openstack:SshKeypair", name, {}, opts);
    let publicKey: pulumi.Input<string>;
    if (args.publicKey !== undefined) {
      if (args.rsaBits !== undefined)
        throw new Error(`keypair "${name}": rsaBits only applies to generated keys; drop it or publicKey`);
      publicKey = args.publicKey;
      this.privateKeyPem = undefined;
    } else {
      const bits = args.rsaBits ?? 4096;
      if (![2048, 3072, 4096].includes(bits))
        throw new Error(`rsaBits: ${bits} is not allowed; use 2048, 3072 or 4096`);
      const key = new tls.PrivateKey(name, { algorithm: "RSA", rsaBits: bits }, { parent: this });
      publicKey = key.publicKeyOpenssh;
      this.privateKeyPem = pulumi.secret(key.privateKeyPem);
    }
    const keypair = new openstack.compute.Keypair(name, { name, publicKey }, { parent: this });
    this.keyPairName = keypair.name;
    this.publicKey = keypair.publicKey;
    this.fingerprint = keypair.fingerprint;
    this.registerOutputs({
      keyPairName: this.keyPairName,
      publicKey: this.publicKey,
      privateKeyPem: this.privateKeyPem,
    });
  }
}
