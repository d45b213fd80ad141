// toolchain/nodejs/defer-heavy-modules.cjs, the preload of the engine's Node
// processes, in a real Node process with the real @pulumi/pulumi: the SDK
// imports without loading TypeScript or Arborist, and the SDK calls that use
// them still work through the stand-ins.
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../../lab/engine";

const preload = path.join(repoRoot, "toolchain", "nodejs", "defer-heavy-modules.cjs");

/** Runs `script` in a fresh node (from the repository root), with or without the preload; its JSON output. */
function inNode(script: string, withPreload = true): Record<string, unknown> {
  const args = [...(withPreload ? ["--require", preload] : []), "-e", script];
  return JSON.parse(execFileSync(process.execPath, args, { cwd: repoRoot, encoding: "utf8" })) as Record<
    string,
    unknown
  >;
}

// Which of the two packages Node has really loaded (a stand-in's exports are a Proxy).
const LOADED = `
  const real = (request) => {
    const cached = require.cache[require.resolve(request)];
    return cached !== undefined && !require("node:util").types.isProxy(cached.exports);
  };
  const loaded = () => ({ typescript: real("typescript"), arborist: real("@npmcli/arborist") });
`;

describe("defer-heavy-modules.cjs", () => {
  it("lets @pulumi/pulumi import without TypeScript or Arborist (without it, both load)", () => {
    const script = `${LOADED} require("@pulumi/pulumi"); console.log(JSON.stringify(loaded()));`;
    expect(inNode(script, false)).toEqual({ typescript: true, arborist: true });
    expect(inNode(script)).toEqual({ typescript: false, arborist: false });
  });

  it("loads each on first use: the SDK serialises a function (TypeScript) and lists code paths (Arborist)", () => {
    const script = `${LOADED}
      const pulumi = require("@pulumi/pulumi");
      (async () => {
        const fn = await pulumi.runtime.serializeFunction(() => 6 * 7);
        const afterSerialise = loaded();
        const paths = await pulumi.runtime.computeCodePaths({ extraIncludePackages: ["yaml"] });
        console.log(JSON.stringify({
          afterSerialise,
          afterCodePaths: loaded(),
          serialised: fn.text.includes("6 * 7"),
          yamlPath: [...paths.keys()].some((p) => p.endsWith("node_modules/yaml")),
          arboristClass: typeof require("@npmcli/arborist").Arborist,
        }));
      })().catch((err) => { console.error(err); process.exit(1); });`;
    expect(inNode(script)).toEqual({
      afterSerialise: { typescript: true, arborist: false },
      afterCodePaths: { typescript: true, arborist: true },
      serialised: true,
      yamlPath: true,
      arboristClass: "function",
    });
  });
});
