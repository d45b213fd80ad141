// The project's runtime options reach the Node.js language host. The host
// built here (sdk v3.68.0) reads them from its command line, which the CLI no
// longer fills; the wrapper written by scripts/setup-toolchain.sh passes them
// from Pulumi.yaml. Without it `typescript: false` and `nodeargs` were ignored.
// The wrapper also preloads toolchain/nodejs/defer-heavy-modules.cjs ahead of
// the project's own nodeargs.
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openProgramStack, type ProgramStack } from "./harness";

describe("Pulumi.yaml runtime options under the real engine", () => {
  let program: ProgramStack;
  beforeAll(async () => {
    program = await openProgramStack(path.join(__dirname, "programs", "runtime-options"));
  });
  afterAll(async () => {
    await program?.dispose();
  });

  it("typescript: false runs the program without ts-node; nodeargs preloads a module", async () => {
    const up = await program.stack.up();
    expect(up.summary.result).toBe("succeeded");
    expect(up.outputs.typescript?.value).toBe("off");
    expect(up.outputs.preloaded?.value).toBe(true);
    // A program without dynamic resources never loads TypeScript or Arborist.
    expect(up.outputs.deferred?.value).toEqual({ typescript: true, arborist: true });
  });
});
