// Generated secrets as resources of our own dynamic provider, in place of
// @pulumi/random and @pulumi/tls (whose plugins cannot be had here). The value
// is drawn once, at create, in the provider process; it lives only in the
// state, as a Pulumi secret (encrypted there), and is drawn again only when
// the `rotation` input changes.
import * as pulumi from "@pulumi/pulumi";
import { providerLoader } from "../inProvider";
import * as generate from "./generate";

// Resolved now, in the program; required later, in the provider process.
const load = providerLoader<typeof generate>(__filename, "generate");

type PasswordState = generate.PasswordSpec & generate.Rotatable & { result: string };
type PasswordInputs = generate.PasswordSpec & generate.Rotatable;

const PASSWORD_SPEC_FIELDS = ["length", "lower", "upper", "digits", "special"] as const;

const passwordProvider: pulumi.dynamic.ResourceProvider<PasswordInputs, PasswordState> = {
  async check(_olds, news) {
    return { inputs: news, failures: load().passwordSpecFailures(news) };
  },
  async diff(_id, olds, news) {
    return load().rotationDiff<PasswordInputs>(olds, news, PASSWORD_SPEC_FIELDS);
  },
  async create(inputs) {
    const result = load().generatePassword(inputs);
    return { id: "password", outs: { ...inputs, result } };
  },
  async update(_id, olds, news) {
    return { outs: { ...news, result: olds.result } };
  },
};

/** Arguments of {@link GeneratedPassword}. */
export interface GeneratedPasswordArgs {
  /** Number of characters (12 to 128). @default 32 */
  length?: number;
  /** Use lower-case letters. @default true */
  lower?: boolean;
  /** Use upper-case letters. @default true */
  upper?: boolean;
  /** Use digits. @default true */
  digits?: boolean;
  /**
   * Use the special characters `!%*+-.:=?@^_~` (safe in SQL, PHP, shell, YAML and INI values).
   * @default false (letters and digits only)
   */
  special?: boolean;
  /**
   * Any string; changing it draws a new password (a rotation). Changing the other
   * args alone keeps the current password: they apply at the next rotation.
   * @default "" (never rotated)
   */
  rotation?: pulumi.Input<string>;
}

/**
 * A password drawn once from Node's CSPRNG, with at least one character of each
 * class asked for. `result` is a secret, encrypted in the state.
 * Type token `pulumi-nodejs:dynamic/secrets:GeneratedPassword`.
 */
export class GeneratedPassword extends pulumi.dynamic.Resource {
  /** The password (secret). */
  declare readonly result: pulumi.Output<string>;

  constructor(name: string, args: GeneratedPasswordArgs = {}, opts?: pulumi.CustomResourceOptions) {
    const spec: generate.PasswordSpec = {
      length: args.length ?? 32,
      lower: args.lower ?? true,
      upper: args.upper ?? true,
      digits: args.digits ?? true,
      special: args.special ?? false,
    };
    generate.assertNoFailures(`password "${name}"`, generate.passwordSpecFailures(spec));
    super(
      passwordProvider,
      name,
      { ...spec, rotation: args.rotation ?? "", result: undefined },
      { ...opts, additionalSecretOutputs: ["result"] },
      "secrets",
      "GeneratedPassword",
    );
  }
}

type SshKeyInputs = generate.SshKeySpec & generate.Rotatable;
type SshKeyState = SshKeyInputs & generate.SshKeyMaterial;

const sshKeyProvider: pulumi.dynamic.ResourceProvider<SshKeyInputs, SshKeyState> = {
  async check(_olds, news) {
    return { inputs: news, failures: load().sshKeySpecFailures(news) };
  },
  async diff(_id, olds, news) {
    return load().rotationDiff<SshKeyInputs>(olds, news, ["rsaBits", "comment"]);
  },
  async create(inputs) {
    const key = load().generateSshKey(inputs);
    return { id: "ssh-key", outs: { ...inputs, ...key } };
  },
  async update(_id, olds, news) {
    return {
      outs: { ...news, privateKeyOpenssh: olds.privateKeyOpenssh, publicKeyOpenssh: olds.publicKeyOpenssh },
    };
  },
};

/** Arguments of {@link GeneratedSshKey}. */
export interface GeneratedSshKeyArgs {
  /** RSA key size: 2048, 3072 or 4096. @default 4096 */
  rsaBits?: number;
  /**
   * Any string; changing it draws a new keypair (a rotation). Changing rsaBits
   * alone keeps the current key: it applies at the next rotation.
   * @default "" (never rotated)
   */
  rotation?: pulumi.Input<string>;
}

/**
 * An RSA keypair drawn once, in OpenSSH formats: the private key is a secret,
 * encrypted in the state; the public key is an `ssh-rsa AAAA... socle:<name>` line.
 * Type token `pulumi-nodejs:dynamic/secrets:GeneratedSshKey`.
 */
export class GeneratedSshKey extends pulumi.dynamic.Resource {
  /** Private key in OpenSSH format ("-----BEGIN OPENSSH PRIVATE KEY-----"), a secret. */
  declare readonly privateKeyOpenssh: pulumi.Output<string>;
  /** Public key, one OpenSSH line ("ssh-rsa AAAA... socle:<name>"). */
  declare readonly publicKeyOpenssh: pulumi.Output<string>;

  constructor(name: string, args: GeneratedSshKeyArgs = {}, opts?: pulumi.CustomResourceOptions) {
    const spec: generate.SshKeySpec = { rsaBits: args.rsaBits ?? 4096, comment: `socle:${name}` };
    generate.assertNoFailures(`ssh key "${name}"`, generate.sshKeySpecFailures(spec));
    super(
      sshKeyProvider,
      name,
      { ...spec, rotation: args.rotation ?? "", privateKeyOpenssh: undefined, publicKeyOpenssh: undefined },
      { ...opts, additionalSecretOutputs: ["privateKeyOpenssh"] },
      "secrets",
      "GeneratedSshKey",
    );
  }
}
