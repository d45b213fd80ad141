// Drift guards: resources of our own dynamic provider that make changes made
// by hand in OpenStack visible to `pulumi refresh` and undone by `pulumi up`,
// where the openstack provider (terraform-provider-openstack v3.4.0) does not
// read them back: rules added to a security group (each rule is its own
// resource, the group has no rule list) and a server's metadata (not re-read).
// Each guard reads the live object on refresh; its state then differs from
// the program, which the engine counts as an update; `up` puts socle's back.
import * as pulumi from "@pulumi/pulumi";
import { providerLoader } from "../inProvider";
import type { GuardAuth } from "./auth";
import type { GuardRule } from "./drift";
import type * as operations from "./operations";

// Resolved now, in the program; required later, in the provider process.
const load = providerLoader<typeof operations>(__filename, "operations");

/**
 * A guard's dynamic provider: `pick` chooses its operations once loaded.
 * Deleting a guard leaves the guarded object alone.
 */
function guardProvider<I extends object, S extends I>(
  what: string,
  pick: (ops: typeof operations) => operations.Guard<I, S>,
): pulumi.dynamic.ResourceProvider<I, S> {
  return {
    async diff(_id, olds, news) {
      return pick(load()).diff(olds, news);
    },
    async create(inputs) {
      const guard = pick(load());
      return { id: guard.idOf(inputs), outs: await guard.enforce(inputs) };
    },
    async read(id, props) {
      if (!props) throw new Error(`${what} ${id}: no state to refresh from`);
      return pick(load()).read(id, props);
    },
    async update(_id, _olds, news) {
      return { outs: await pick(load()).enforce(news) };
    },
    async delete() {},
  };
}

const rulesProvider = guardProvider("security group rules guard", (ops) => ops.rulesGuard);
const metadataProvider = guardProvider("server metadata guard", (ops) => ops.metadataGuard);
const serverSetProvider = guardProvider("servers metadata guard", (ops) => ops.serverSetGuard);

/**
 * Credentials of a guard. Each field left out is taken from the engine's
 * environment (OS_AUTH_URL, OS_USERNAME, OS_PASSWORD, OS_PROJECT_ID /
 * OS_PROJECT_NAME, OS_USER_DOMAIN_NAME, OS_PROJECT_DOMAIN_NAME,
 * OS_REGION_NAME, OS_INTERFACE) when the guard runs; a project given here wins
 * over the environment's. The password is kept in the state as a secret;
 * tokens are never kept.
 */
export type GuardAuthArgs = { [K in keyof GuardAuth]: pulumi.Input<GuardAuth[K]> };

/** A rule as socle declares it (the remote group may be another resource's ID). */
export type GuardRuleArgs = { [K in keyof GuardRule]: pulumi.Input<NonNullable<GuardRule[K]>> };

/** Arguments of {@link SecurityGroupRulesGuard}. */
export interface SecurityGroupRulesGuardArgs extends GuardAuthArgs {
  /** The guarded security group's ID; another ID replaces the guard. */
  securityGroupId: pulumi.Input<string>;
  /** Exactly the rules the group may hold; `up` deletes any other. */
  expectedRules: pulumi.Input<pulumi.Input<GuardRuleArgs>[]>;
}

/** What the guards share: credentials, the password kept secret, no-op delete. */
export abstract class DriftGuard extends pulumi.dynamic.Resource {
  protected constructor(
    provider: pulumi.dynamic.ResourceProvider,
    type: string,
    liveSlot: string,
    name: string,
    args: GuardAuthArgs,
    opts: pulumi.CustomResourceOptions | undefined,
  ) {
    const password = args.password === undefined ? undefined : pulumi.secret(args.password);
    super(
      provider,
      name,
      { ...args, password, [liveSlot]: undefined },
      // The password is an output too (refresh logs in with it): a secret there as well.
      { ...opts, additionalSecretOutputs: ["password"] },
      "openstack",
      type,
    );
  }
}

/**
 * Keeps a security group's rules exactly socle's: `refresh` shows a rule added
 * by hand as an update of this resource (its `liveRules`), `up` deletes it.
 * Missing rules are their own resources' business (refresh shows them deleted,
 * `up` makes them again). Deleting the guard changes nothing in OpenStack.
 * Type token `pulumi-nodejs:dynamic/openstack:SecurityGroupRulesGuard`.
 */
export class SecurityGroupRulesGuard extends DriftGuard {
  /** The group's rules as last read or left, one line each ("ingress IPv4 tcp 22-22 from 10.0.0.0/24"). */
  declare readonly liveRules: pulumi.Output<string[]>;

  constructor(name: string, args: SecurityGroupRulesGuardArgs, opts?: pulumi.CustomResourceOptions) {
    super(rulesProvider, "SecurityGroupRulesGuard", "liveRules", name, args, opts);
  }
}

/** Arguments of {@link ServerMetadataGuard}. */
export interface ServerMetadataGuardArgs extends GuardAuthArgs {
  /** The guarded server's ID; another ID replaces the guard. */
  serverId: pulumi.Input<string>;
  /** Exactly the metadata the server may hold; `up` restores these keys and removes any other. */
  expectedMetadata: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/**
 * Keeps a server's metadata exactly socle's: `refresh` shows a key set,
 * changed or removed by hand as an update of this resource (its
 * `liveMetadata`), `up` puts socle's keys back and removes the others (the
 * server is socle's alone: a key a tool needs is declared in the program).
 * Deleting the guard changes nothing in OpenStack.
 * Type token `pulumi-nodejs:dynamic/openstack:ServerMetadataGuard`.
 */
export class ServerMetadataGuard extends DriftGuard {
  /** The server's metadata as last read or set. */
  declare readonly liveMetadata: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: ServerMetadataGuardArgs, opts?: pulumi.CustomResourceOptions) {
    super(metadataProvider, "ServerMetadataGuard", "liveMetadata", name, args, opts);
  }
}

/** One server of a {@link ServerSetMetadataGuard}. */
export interface GuardedServerArgs {
  /** The server's ID. */
  serverId: pulumi.Input<string>;
  /** Exactly the metadata the server may hold. */
  expectedMetadata: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** Arguments of {@link ServerSetMetadataGuard}. */
export interface ServerSetMetadataGuardArgs extends GuardAuthArgs {
  /** The guarded servers by name (the names show in the diff of `liveMetadata`). */
  servers: pulumi.Input<Record<string, pulumi.Input<GuardedServerArgs>>>;
}

/**
 * {@link ServerMetadataGuard} for many servers at once (a bubble's): one
 * resource, one login, Nova read a few servers at a time. `refresh` shows a
 * key set, changed or removed by hand on any of them as an update of this
 * resource (its `liveMetadata`, by server name); `up` puts socle's keys back
 * on the servers that drifted. A thousand servers cost twenty resources
 * instead of a thousand (bench/openstack, construction).
 * Type token `pulumi-nodejs:dynamic/openstack:ServerSetMetadataGuard`.
 */
export class ServerSetMetadataGuard extends DriftGuard {
  /** Each server's metadata as last read or set, by server name. */
  declare readonly liveMetadata: pulumi.Output<Record<string, Record<string, string>>>;

  constructor(name: string, args: ServerSetMetadataGuardArgs, opts?: pulumi.CustomResourceOptions) {
    super(serverSetProvider, "ServerSetMetadataGuard", "liveMetadata", name, args, opts);
  }
}
