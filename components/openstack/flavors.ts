// Flavors (Nova "gabarits"): planned from the applications' minimum sizes,
// created by an administrator. Flavor changes on a server resize it in place.
import * as openstack from "@pulumi/openstack";
import * as pulumi from "@pulumi/pulumi";
import { appProfile, type AppKind, type ServerSize } from "./apps";
import { assertValidName, joinName } from "./naming";

/** One flavor to create. */
export interface FlavorSpec extends ServerSize {
  /** Flavor name in Nova. */
  name: string;
}

/** One flavor per application, sized from its profile, named "<prefix>-<app>". */
export function planAppFlavors(prefix: string, apps: AppKind[]): FlavorSpec[] {
  return [...new Set(apps)].map((kind) => ({ name: joinName(prefix, kind), ...appProfile(kind).minSize }));
}

/** The smallest flavor (by vCPUs, then RAM, then disk) that fits `size`; throws if none does. */
export function pickFlavor(size: ServerSize, flavors: FlavorSpec[]): FlavorSpec {
  const fitting = flavors
    .filter((f) => f.vcpus >= size.vcpus && f.ramMiB >= size.ramMiB && f.diskGiB >= size.diskGiB)
    .sort((a, b) => a.vcpus - b.vcpus || a.ramMiB - b.ramMiB || a.diskGiB - b.diskGiB);
  const best = fitting[0];
  if (!best) {
    throw new Error(
      `flavors: none fits ${size.vcpus} vCPU / ${size.ramMiB} MiB / ${size.diskGiB} GiB; available: ${flavors.map((f) => f.name).join(", ") || "(none)"}`,
    );
  }
  return best;
}

/** Arguments of {@link FlavorSet}. */
export interface FlavorSetArgs {
  /** Flavors to create; names must be unique. */
  flavors: FlavorSpec[];
  /**
   * Whether every project may use the flavors.
   * @default true (public flavors, as in the seed)
   */
  isPublic?: boolean;
}

/** A set of Nova flavors. Needs an admin provider. */
export class FlavorSet extends pulumi.ComponentResource {
  /** Flavor name by spec name. */
  public readonly names: Record<string, pulumi.Output<string>> = {};
  /** Flavor ID by spec name. */
  public readonly ids: Record<string, pulumi.Output<string>> = {};

  constructor(name: string, args: FlavorSetArgs, opts?: pulumi.ComponentResourceOptions) {
    super("socle:openstack:FlavorSet", name, {}, opts);
    const seen = new Set<string>();
    for (const f of args.flavors) {
      assertValidName("flavors[].name", f.name.replace(/\./g, "-"));
      if (seen.has(f.name)) throw new Error(`flavors: "${f.name}" appears twice`);
      seen.add(f.name);
      for (const [field, v] of [
        ["vcpus", f.vcpus],
        ["ramMiB", f.ramMiB],
        ["diskGiB", f.diskGiB],
      ] as const) {
        if (!Number.isInteger(v) || v <= 0)
          throw new Error(`flavors["${f.name}"].${field}: ${v} must be a positive integer`);
      }
      const flavor = new openstack.compute.Flavor(
        f.name,
        { name: f.name, vcpus: f.vcpus, ram: f.ramMiB, disk: f.diskGiB, isPublic: args.isPublic ?? true },
        { parent: this },
      );
      this.names[f.name] = flavor.name;
      this.ids[f.name] = flavor.id;
    }
    this.registerOutputs({ names: this.names, ids: this.ids });
  }
}
