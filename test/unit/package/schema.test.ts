// The component package's schema is generated from the TypeScript args
// interfaces; these tests keep the committed file current and check the rules
// a multi-language package needs (no unions, secrets marked, plain inputs).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { exposedComponents } from "../../../components/package/exposed";
import { renderSchema, schemaPath } from "../../../components/package/generate";
import { assertPlainInputs } from "../../../components/package/inputs";
import { schemaFromSource } from "../../../components/package/schemaFromSource";

const pkg = { version: "0.0.0", description: "test", license: "Apache-2.0" };

function schemaOf(source: string, outputs?: string[]) {
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
          outputs,
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

  it("Bubble: enum roles, inherited flavor sizes, outputs that can cross, secrets", () => {
    const schema = JSON.parse(renderSchema());
    const bubble = schema.resources["socle:openstack:Bubble"];
    expect(bubble.requiredInputs).toEqual([
      "externalNetworkId",
      "imageId",
      "flavors",
      "templates",
      "adminCidr",
      "clientCidr",
    ]);
    expect(bubble.inputProperties.imageId.plain).toBeUndefined();
    expect(bubble.inputProperties.templates.plain).toBe(true);
    expect(bubble.inputProperties.createApplicationCredential.secret).toBeUndefined();
    expect(schema.types["socle:openstack:FlavorSpec"].required).toEqual([
      "vcpus",
      "ramMiB",
      "diskGiB",
      "name",
    ]);
    expect(schema.types["socle:openstack:ProjectRole"].enum.map((e: { value: string }) => e.value)).toEqual([
      "member",
      "admin",
      "reader",
    ]);
    // The fields named in exposed.ts, not the child resources nor the scoped provider.
    const published = exposedComponents.find((c) => c.token === "socle:openstack:Bubble")?.outputs;
    expect(Object.keys(bubble.properties)).toEqual(published);
    expect(published).toContain("checklist");
    expect(published).not.toContain("provider");
    expect(bubble.properties.operatorPassword.secret).toBe(true);
    expect(bubble.properties.sshPrivateKey.secret).toBe(true);
    expect(bubble.required).not.toContain("sshPrivateKey");
  });

  it("app servers and modules: security groups from other resources, outputs from the base class", () => {
    const schema = JSON.parse(renderSchema());
    const server = schema.resources["socle:openstack:AppServer"];
    expect(server.inputProperties.securityGroupIds.plain).toBeUndefined();
    expect(server.inputProperties.metadata.plain).toBe(true);
    expect(Object.keys(server.properties)).toEqual(["privateAddress", "floatingAddress", "protected"]);
    const odoo = schema.resources["socle:openstack:OdooApp"];
    expect(odoo.inputProperties.securityGroupIds.plain).toBeUndefined();
    expect(odoo.properties.kind).toMatchObject({ $ref: "#/types/socle:openstack:AppKind" });
    expect(odoo.properties.dbPassword.secret).toBe(true);
    expect(odoo.required).toEqual(["kind", "privateAddress", "backendPort", "publicPort"]);
    expect(schema.resources["socle:openstack:WordPressApp"].inputProperties).toEqual(odoo.inputProperties);
  });

  it("reads string enums, members of bases declared in the sources, and T | undefined as optional", () => {
    const schema = schemaOf(
      `
      import * as pulumi from "@pulumi/pulumi";
      /** How big. */
      export enum Size {
        /** One core. */
        Small = "small",
        Large = "large",
      }
      interface Sized { size: Size; }
      export interface ThingArgs extends Sized { name: string; }
      class Base extends pulumi.ComponentResource {
        readonly address: pulumi.Output<string> | undefined;
        constructor() { super("socle:test:Thing", "x"); this.address = undefined; }
      }
      export class Thing extends Base {
        readonly child: pulumi.ComponentResource;
        readonly port: number;
        constructor() { super(); this.child = this; this.port = 1; }
      }`,
      ["address", "port"],
    );
    const thing = schema.resources["socle:test:Thing"];
    expect(thing.requiredInputs).toEqual(["size", "name"]);
    expect(thing.inputProperties?.size).toEqual({ $ref: "#/types/socle:test:Size", plain: true });
    expect(schema.types["socle:test:Size"]).toEqual({
      type: "string",
      description: "How big.",
      enum: [
        { name: "Small", value: "small", description: "One core." },
        { name: "Large", value: "large" },
      ],
    });
    expect(Object.keys(thing.properties)).toEqual(["address", "port"]);
    expect(thing.required).toEqual(["port"]);
  });

  it("names an output to publish that the class does not have", () => {
    expect(() =>
      schemaOf(
        `export interface ThingArgs { a: string; }
         export class Thing { readonly b = 1; }`,
        ["c"],
      ),
    ).toThrow(/Thing\.c: no public readonly field of that name to publish/);
  });

  it("refuses numeric enums, naming the field", () => {
    expect(() =>
      schemaOf(`
        export enum Level { Low, High }
        export interface ThingArgs { level: Level; }
        export class Thing {}`),
    ).toThrow(/ThingArgs\.level: enum Level must have string values/);
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
