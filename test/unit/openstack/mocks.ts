// A small recorder over Pulumi mocks: every resource a program registers is
// kept as plain data (type, name, inputs, protect, ignoreChanges, provider,
// dependsOn), so component tests read like CDK assertions instead of promise
// plumbing.
import * as pulumi from "@pulumi/pulumi";

/** One registered resource, as plain data. */
export interface RecordedResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  protect: boolean;
  ignoreChanges: string[];
  /** Name of the provider resource, if not the default one. */
  providerName: string | undefined;
  /** Top-level inputs that arrived as secrets. */
  secretInputs: string[];
}

/** What a test reads back. */
export class Recorder {
  /** Resources whose inputs reached the (mock) engine. */
  readonly resources: RecordedResource[] = [];
  /** Options seen by the stack transformation, by "type::name". */
  readonly options = new Map<
    string,
    {
      protect: boolean;
      ignoreChanges: string[];
      providerName: string | undefined;
      /** "type::name" of each resource given in dependsOn. */
      dependsOn: string[];
    }
  >();

  ofType(type: string): RecordedResource[] {
    return this.resources.filter((r) => r.type === type);
  }

  one(type: string, name: string): RecordedResource {
    const found = this.resources.find((r) => r.type === type && r.name === name);
    if (!found) {
      const names = this.ofType(type).map((r) => r.name);
      throw new Error(`no ${type} named "${name}"; have: ${names.join(", ") || "(none)"}`);
    }
    return found;
  }

  /** Waits until no new resource has been registered for a few event-loop turns. */
  async settle(): Promise<void> {
    let last = -1;
    let stable = 0;
    while (stable < 5) {
      await new Promise((r) => setTimeout(r, 5));
      if (this.resources.length === last) stable++;
      else {
        stable = 0;
        last = this.resources.length;
      }
    }
  }
}

function computedState(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  switch (type) {
    case "openstack:networking/port:Port":
      return { ...inputs, allFixedIps: [`10.0.0.${(hash(name) % 250) + 2}`] };
    case "openstack:networking/floatingIp:FloatingIp":
      return { ...inputs, address: `203.0.113.${(hash(name) % 250) + 2}` };
    case "pulumi-nodejs:dynamic/secrets:GeneratedPassword":
      return { ...inputs, result: `pw${hash(name).toString(36)}`.padEnd(Number(inputs.length ?? 16), "x") };
    case "pulumi-nodejs:dynamic/secrets:GeneratedSshKey":
      return {
        ...inputs,
        privateKeyOpenssh: `-----BEGIN OPENSSH PRIVATE KEY-----\n${name}\n-----END OPENSSH PRIVATE KEY-----\n`,
        publicKeyOpenssh: `ssh-rsa AAAA${name}`,
      };
    case "openstack:identity/applicationCredential:ApplicationCredential":
      return { ...inputs, secret: `appcred-${name}` };
    case "openstack:images/image:Image":
      return { ...inputs, checksum: "d41d8cd98f00b204e9800998ecf8427e" };
    default:
      return inputs;
  }
}

const SECRET_SIG = "4dabf18193072939515e22adb298388d";

function isSecretValue(v: unknown): boolean {
  return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SECRET_SIG] !== undefined;
}

/** Replaces the engine's secret envelopes by their values, recursively. */
function unwrapSecrets(v: unknown): unknown {
  if (isSecretValue(v)) return unwrapSecrets((v as Record<string, unknown>).value);
  if (Array.isArray(v)) return v.map(unwrapSecrets);
  if (typeof v === "object" && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapSecrets(x)]));
  }
  return v;
}

/** "urn:pulumi:stack::project::type::name::id" -> "name"; default providers -> undefined. */
function providerFromRef(ref: string | undefined): string | undefined {
  if (!ref) return undefined;
  const name = ref.split("::")[3];
  return name === undefined || name.startsWith("default") ? undefined : name;
}

function hash(s: string): number {
  let h = 7;
  for (const c of s) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h;
}

function providerNameOf(provider: pulumi.ProviderResource | undefined): string | undefined {
  if (!provider) return undefined;
  // ProviderResource keeps its name in a private field; read it without `any`.
  const named = provider as unknown as { __name?: string };
  return named.__name;
}

/** "type::name" of the resources of a dependsOn option given as a plain list. */
function dependsOnKeys(dependsOn: pulumi.ResourceOptions["dependsOn"]): string[] {
  const list: unknown[] = Array.isArray(dependsOn) ? dependsOn : dependsOn === undefined ? [] : [dependsOn];
  return list.filter(pulumi.Resource.isInstance).map((r) => {
    // Type token and name are private fields of Resource; read them without `any`.
    const named = r as unknown as { __pulumiType?: string; __name?: string };
    return `${named.__pulumiType ?? "?"}::${named.__name ?? "?"}`;
  });
}

/** Installs mocks and the recorder. Call once per test file, before importing programs. */
export async function installMocks(): Promise<Recorder> {
  const recorder = new Recorder();
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const raw = args.inputs as Record<string, unknown>;
        const inputs = unwrapSecrets(raw) as Record<string, unknown>;
        const opts = recorder.options.get(`${args.type}::${args.name}`);
        recorder.resources.push({
          type: args.type,
          name: args.name,
          inputs,
          protect: opts?.protect ?? false,
          ignoreChanges: opts?.ignoreChanges ?? [],
          providerName: providerFromRef(args.provider) ?? opts?.providerName,
          secretInputs: Object.keys(raw).filter((k) => isSecretValue(raw[k])),
        });
        return { id: `${args.name}-id`, state: computedState(args.type, args.name, inputs) };
      },
      call(args) {
        if (args.token === "openstack:identity/getRole:getRole") {
          const name = String((args.inputs as Record<string, unknown>).name);
          return { id: `role-${name}`, name };
        }
        if (args.token === "openstack:networking/getNetwork:getNetwork") {
          return { id: "external-net-id", name: "external" };
        }
        return args.inputs as Record<string, unknown>;
      },
    },
    "socle",
    "unit",
    true,
  );
  return recorder;
}

/**
 * Runs `program` as a Pulumi stack under the mocks (so stack
 * transformations work) and records each resource's options. Returns the
 * program's result once every resource is registered.
 */
export async function runProgram<T>(recorder: Recorder, program: () => T): Promise<T> {
  let result: T | undefined;
  await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation((args) => {
      recorder.options.set(`${args.type}::${args.name}`, {
        protect: args.opts.protect === true,
        ignoreChanges: args.opts.ignoreChanges ?? [],
        providerName: providerNameOf(args.opts.provider),
        dependsOn: dependsOnKeys(args.opts.dependsOn),
      });
      return undefined;
    });
    result = program();
    return {};
  });
  await recorder.settle();
  return result as T;
}

/** Resolves an Output's value (mocks resolve everything, even in preview). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}
