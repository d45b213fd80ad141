// The component package's schema is generated from the TypeScript args
// interfaces; these tests keep the committed file current and check the rules
// a multi-language package needs (no unions, secrets marked, plain inputs).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { renderSchema, schemaPath } from "../../../components/package/generate";
import { assertPlainInputs } from "../../../components/package/inputs";
import { schemaFromSource } from "../../../components/package/schemaFromSource";

const pkg = { version: "0.0.0", description: "test", license: "Apache-2.0" };

function schemaOf(source: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "socle-schema-"));
  fs.writeFileSync(path.join(dir, "thing.ts"), source);
  try {
    return schemaFromSource(
      dir,
      [
        {
          token: "socle:test:Thing",
          sourceFile: "thing.ts",
          className: "Thing",
          argsInterface: "ThingArgs",
          load: () => Promise.reject(new Error("not built in this test")),
        },
      ],
      pkg,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("component package schema", () => {
  it("the committed schema.json is what the sources generate (run ./socle package schema)", () => {
    expect(fs.readFileSync(schemaPath, "utf8")).toBe(renderSchema());
  });

  it("SwitchFleet: required inputs, secret credentials, plain structure, outputs per stack", () => {
    const schema = JSON.parse(renderSchema());
    const fleet = schema.resources["socle:network:SwitchFleet"];
    expect(fleet.isComponent).toBe(true);
    expect(fleet.requiredInputs).toEqual(["stacks", "username", "vlans"]);
    expect(fleet.inputProperties.password.secret).toBe(true);
    expect(fleet.inputProperties.privateKey.secret).toBe(true);
    expect(fleet.inputProperties.username.plain).toBeUndefined();
    expect(fleet.inputProperties.stacks).toMatchObject({
      type: "array",
      plain: true,
      items: { $ref: "#/types/socle:network:FleetStack" },
    });
    expect(schema.types["socle:network:FleetStack"].required).toEqual(["name", "host", "hostKeySha256"]);
    expect(fleet.properties.stacks.additionalProperties).toEqual({
      $ref: "#/types/socle:network:FleetStackOutputs",
    });
  });

  it("carries doc comments and their @default into descriptions", () => {
    const schema = schemaOf(`
      import * as pulumi from "@pulumi/pulumi";
      /** A thing. */
      export interface ThingArgs {
        /** Disk size in GiB. @default 20 */
        diskGiB?: number;
        names: string[];
        labels: Record<string, string>;
        adminPassword: pulumi.Input<string>;
      }
      /** Makes a thing. */
      export class Thing extends pulumi.ComponentResource {
        readonly address: pulumi.Output<string>;
        private readonly hidden = 1;
        constructor() { super("socle:test:Thing", "x"); this.address = pulumi.output(""); }
      }`);
    const thing = schema.resources["socle:test:Thing"];
    expect(thing.description).toBe("Makes a thing.");
    expect(thing.inputProperties?.diskGiB).toEqual({
      type: "number",
      description: "Disk size in GiB.\n\nDefault: 20.",
      plain: true,
    });
    expect(thing.inputProperties?.names).toEqual({ type: "array", items: { type: "string" }, plain: true });
    expect(thing.inputProperties?.labels).toMatchObject({ additionalProperties: { type: "string" } });
    expect(thing.inputProperties?.adminPassword).toEqual({ type: "string", secret: true });
    expect(thing.requiredInputs).toEqual(["names", "labels", "adminPassword"]);
    expect(Object.keys(thing.properties)).toEqual(["address"]);
  });

  it("refuses union types with the field and the fix", () => {
    expect(() =>
      schemaOf(`
        export interface ThingArgs { size: "small" | "large"; }
        export class Thing {}`),
    ).toThrow(/ThingArgs\.size: union types cannot cross into a multi-language package/);
  });

  it("names the missing declaration", () => {
    expect(() => schemaOf(`export interface ThingArgs { a: string; }`)).toThrow(
      /thing\.ts: no exported declaration named Thing/,
    );
  });
});

describe("component provider input checks", () => {
  it("accepts plain structure and an Output for a credential", () => {
    expect(() =>
      assertPlainInputs("socle:network:SwitchFleet", {
        stacks: [{ name: "a", host: "127.0.0.1", hostKeySha256: "SHA256:x" }],
        vlans: [],
        username: "admin",
        password: pulumi.secret("s3cret"),
      }),
    ).not.toThrow();
  });

  it("refuses an Output where the component needs a plain value, naming the field", () => {
    expect(() =>
      assertPlainInputs("socle:network:SwitchFleet", {
        stacks: [{ name: "a", host: pulumi.output("127.0.0.1"), hostKeySha256: "SHA256:x" }],
        vlans: [],
        username: "admin",
      }),
    ).toThrow(/input "stacks" must be a plain value known when the program runs/);
  });
});
