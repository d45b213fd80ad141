// Which inputs of an OpenStack server replace it, rebuild it or update it in
// place. Taken from @pulumi/openstack 3.15.2's own documentation of
// compute.Instance (node_modules/@pulumi/openstack/compute/instance.d.ts,
// "Changing this creates a new server" / "rebuilds" / "resizes"). A
// replacement deletes the VM and its root disk; a rebuild keeps the server ID
// but re-images the root disk: both lose data on a data-bearing server.

/** Effect of changing one input of compute.Instance. */
export enum ServerChangeEffect {
  /** Nothing changes on the server. */
  None = "none",
  /** Updated in place (metadata, tags, name, security groups, flavor resize). */
  Update = "update",
  /** Root disk re-imaged in place: data on it is lost. */
  Rebuild = "rebuild",
  /** Server deleted and created again: data and addresses are lost. */
  Replace = "replace",
}

/** Inputs documented as "Changing this creates a new server". */
export const SERVER_REPLACING_INPUTS: readonly string[] = [
  "availabilityZone",
  "availabilityZoneHints",
  "blockDevices",
  "configDrive",
  "keyPair",
  "networks",
  "region",
  "userData",
];

/** Inputs documented as "Changing this rebuilds the existing server". */
export const SERVER_REBUILDING_INPUTS: readonly string[] = ["imageId", "imageName", "personalities"];

/** Inputs documented as changed in place (resize, metadata, tags, security groups, password). */
export const SERVER_IN_PLACE_INPUTS: readonly string[] = [
  "adminPass",
  "flavorId",
  "flavorName",
  "metadata",
  "name",
  "powerState",
  "securityGroups",
  "tags",
];

/**
 * Inputs socle tells the engine to ignore on a data-bearing server, and why:
 * - userData: cloud-init runs at first boot only; a new user-data would
 *   otherwise replace the VM (the most reported OpenStack IaC data loss).
 *   A hash of it is kept in metadata, which updates in place and shows the drift.
 * - imageId: a new image would rebuild (re-image) the root disk; the server
 *   keeps its image until `allowRebuild` is set.
 * Stateless servers (a reverse proxy) ignore nothing: replacing them is how a
 * new configuration reaches them.
 */
export function ignoredServerInputs(dataBearing: boolean, allowRebuild: boolean): string[] {
  if (!dataBearing) return [];
  return allowRebuild ? ["userData"] : ["userData", "imageId"];
}

/** Result of comparing two sets of server inputs. */
export interface ServerChange {
  /** The most destructive effect among the changed inputs. */
  effect: ServerChangeEffect;
  /** Inputs that differ and are not ignored, sorted. */
  changed: string[];
}

const RANK: Record<ServerChangeEffect, number> = {
  [ServerChangeEffect.None]: 0,
  [ServerChangeEffect.Update]: 1,
  [ServerChangeEffect.Rebuild]: 2,
  [ServerChangeEffect.Replace]: 3,
};

function effectOf(input: string): ServerChangeEffect {
  if (SERVER_REPLACING_INPUTS.includes(input)) return ServerChangeEffect.Replace;
  if (SERVER_REBUILDING_INPUTS.includes(input)) return ServerChangeEffect.Rebuild;
  return ServerChangeEffect.Update;
}

/**
 * Classifies the change between two input sets of one server, the way the
 * provider's schema would, after removing `ignored` inputs. Values are
 * compared structurally (JSON).
 */
export function classifyServerChange(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  ignored: readonly string[],
): ServerChange {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const changed = [...keys]
    .filter((k) => !ignored.includes(k) && JSON.stringify(before[k]) !== JSON.stringify(after[k]))
    .sort();
  let effect = ServerChangeEffect.None;
  for (const k of changed) {
    const e = effectOf(k);
    if (RANK[e] > RANK[effect]) effect = e;
  }
  return { effect, changed };
}
