// Checks on the inputs the engine sends to socle's component provider.
import * as pulumi from "@pulumi/pulumi";
import schema from "./schema.json";

type InputSpecs = Record<string, { inputProperties: Record<string, { plain?: boolean }> }>;

/** Fails with the field to fix when an input that shapes the component is not a plain value. */
export function assertPlainInputs(token: string, inputs: pulumi.Inputs): void {
  const spec = (schema.resources as InputSpecs)[token];
  if (!spec) throw new Error(`socle has no component "${token}"`);
  for (const [field, property] of Object.entries(spec.inputProperties)) {
    if (property.plain && containsOutput(inputs[field])) {
      throw new Error(
        `${token}: input "${field}" must be a plain value known when the program runs; ` +
          `it depends on another resource's output or is a secret. Write it in the program or in plain stack config.`,
      );
    }
  }
}

function containsOutput(value: unknown): boolean {
  if (pulumi.Output.isInstance(value)) return true;
  if (Array.isArray(value)) return value.some(containsOutput);
  if (value !== null && typeof value === "object") return Object.values(value).some(containsOutput);
  return false;
}
