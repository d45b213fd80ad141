// ./socle up psv-network: the lab's manifest turned into stack configuration.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { labInventoryConfig, withLabInventory } from "../../../lab/switch/stackConfig";
import type { Manifest } from "../../../lab/switch";

const entry = (name: string, port: number) => ({
  name,
  host: "127.0.0.1",
  port,
  username: "admin",
  password: "lab-only-password",
  hostKeyFingerprint: `SHA256:${name.padEnd(43, "x")}`,
  hostKey: "unused",
  members: 2,
  stateDir: "/tmp/unused",
});
const manifest: Manifest = { switches: [entry("psv-r1", 2301), entry("psv-r2", 2302)] };

describe("the switch lab's manifest as stack configuration", () => {
  it("gives the stacks, the username and the password the program reads", () => {
    expect(labInventoryConfig(manifest)).toEqual({
      "socle:stacks": [
        {
          name: "psv-r1",
          host: "127.0.0.1",
          port: 2301,
          hostKeySha256: `SHA256:${"psv-r1".padEnd(43, "x")}`,
        },
        {
          name: "psv-r2",
          host: "127.0.0.1",
          port: 2302,
          hostKeySha256: `SHA256:${"psv-r2".padEnd(43, "x")}`,
        },
      ],
      "socle:username": "admin",
      "socle:password": "lab-only-password",
    });
    expect(() => labInventoryConfig({ switches: [] })).toThrow(/lists no switch/);
  });

  it("adds them to the committed psv-network stack file, which YAML reads back whole", () => {
    const committed = fs.readFileSync(
      path.join(__dirname, "..", "..", "..", "stacks", "Pulumi.psv-network.yaml"),
      "utf8",
    );
    const merged = parseYaml(withLabInventory(committed, manifest)) as {
      config: Record<string, unknown>;
      encryptionsalt: string;
    };
    const original = parseYaml(committed) as { config: Record<string, unknown>; encryptionsalt: string };
    expect(merged.config).toEqual({ ...original.config, ...labInventoryConfig(manifest) });
    expect(merged.encryptionsalt).toBe(original.encryptionsalt);
    // Run again on its own output: the lab's keys are replaced, not repeated.
    const twice = withLabInventory(withLabInventory(committed, manifest), manifest);
    expect(twice.match(/^ {2}socle:stacks:/gm)).toHaveLength(1);
  });
});
