// The provider side of socle's component package: Pulumi YAML and Python
// programs ask the engine for `socle:<domain>:<Type>`; the engine starts
// bin/pulumi-resource-socle, which serves this provider and builds the
// component with the same class a TypeScript program uses.
import type * as pulumi from "@pulumi/pulumi";
import type * as provider from "@pulumi/pulumi/provider";
import { exposedComponents, type ExposedComponent } from "./exposed";
import { assertPlainInputs } from "./inputs";
import schema from "./schema.json";

type OutputSpecs = Record<string, { properties: Record<string, unknown> }>;

/** socle's component provider: schema and construct, nothing else. */
export class SocleComponentProvider implements provider.Provider {
  readonly version = schema.version;
  readonly schema = JSON.stringify(schema);
  private readonly components = new Map<string, ExposedComponent>(
    exposedComponents.map((component) => [component.token, component]),
  );

  async construct(
    name: string,
    type: string,
    inputs: pulumi.Inputs,
    options: pulumi.ComponentResourceOptions,
  ): Promise<provider.ConstructResult> {
    const component = this.components.get(type);
    if (!component) {
      throw new Error(
        `socle has no component "${type}"; it offers ${[...this.components.keys()].join(", ")}`,
      );
    }
    assertPlainInputs(type, inputs);
    const ComponentClass = await component.load();
    const instance = new ComponentClass(name, inputs, options);
    // The outputs the schema declares, read from the instance's public fields.
    const state: pulumi.Inputs = {};
    for (const output of Object.keys((schema.resources as OutputSpecs)[type].properties)) {
      state[output] = (instance as unknown as Record<string, pulumi.Input<unknown>>)[output];
    }
    return { urn: instance.urn, state };
  }
}
