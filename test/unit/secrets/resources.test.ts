// The secrets resources as the program declares them (Pulumi mocks): defaults
// filled in, every bad arg named at construction, stable type tokens.
import { describe, expect, it } from "vitest";
import { GeneratedPassword, GeneratedSshKey } from "../../../providers/secrets";
import { installMocks, runProgram } from "../openstack/mocks";

describe("GeneratedPassword and GeneratedSshKey (mocks)", () => {
  it("declare their spec with defaults, under stable type tokens", async () => {
    const rec = await installMocks();
    await runProgram(rec, () => {
      new GeneratedPassword("db");
      new GeneratedSshKey("admin", { rsaBits: 3072, rotation: "2027" });
    });
    expect(rec.one("pulumi-nodejs:dynamic/secrets:GeneratedPassword", "db").inputs).toMatchObject({
      length: 32,
      lower: true,
      upper: true,
      digits: true,
      special: false,
      rotation: "",
    });
    expect(rec.one("pulumi-nodejs:dynamic/secrets:GeneratedSshKey", "admin").inputs).toMatchObject({
      rsaBits: 3072,
      comment: "socle:admin",
      rotation: "2027",
    });
  });

  it("name every bad arg at once", async () => {
    await installMocks();
    expect(
      () => new GeneratedPassword("db", { length: 8, lower: false, upper: false, digits: false }),
    ).toThrow(
      /password "db": length: 8 is not allowed; use a whole number from 12 to 128; lower: no character class is enabled/,
    );
    expect(() => new GeneratedSshKey("k", { rsaBits: 1024 })).toThrow(
      /ssh key "k": rsaBits: 1024 is not allowed; use 2048, 3072, 4096/,
    );
  });
});
