// The in-provider loader registers the TypeScript loader once per provider
// process: each registration wraps Node's module resolution again, and a run
// of a few hundred dynamic-provider operations (secrets, drift guards) then
// spent minutes of CPU resolving one require. Checked in a plain Node process,
// where `require` is Node's own.
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { expect, it } from "vitest";

const root = path.join(__dirname, "..", "..", "..");

it("a provider's loader wraps module resolution at most once, however often it is called", () => {
  const script = `
    const Module = require("node:module");
    const { providerLoader } = require(${JSON.stringify(path.join(root, "providers", "inProvider.ts"))});
    const load = providerLoader(${JSON.stringify(path.join(root, "providers", "secrets", "resources.ts"))}, "generate");
    load();
    const after = Module._resolveFilename;
    for (let i = 0; i < 20; i++) load();
    console.log(JSON.stringify({ same: Module._resolveFilename === after, hasGenerate: typeof load().generatePassword }));
  `;
  const out = execFileSync(process.execPath, ["--require", "tsx/cjs", "-e", script], {
    cwd: root,
    encoding: "utf8",
  });
  expect(JSON.parse(out)).toEqual({ same: true, hasGenerate: "function" });
});
