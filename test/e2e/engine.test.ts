// The foundation's proof: a program of ours runs under the real Pulumi engine
// through preview -> up -> preview -> refresh -> destroy, and the engine's own
// results say what happened.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changesIn, openProgramStack, resourceCount, type ProgramStack } from "./harness";

describe("real engine lifecycle (engine-smoke program)", () => {
  let program: ProgramStack;
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "socle-smoke-out-"));

  beforeAll(async () => {
    program = await openProgramStack(path.join(__dirname, "programs", "engine-smoke"), {
      dir: { value: outDir },
      content: { value: "bonjour" },
    });
  });
  afterAll(async () => {
    await program?.dispose();
    fs.rmSync(outDir, { recursive: true, force: true });
  });

  it("previews the creation of the dynamic resource", async () => {
    const preview = await program.stack.preview();
    expect(preview.changeSummary.create).toBe(2); // the stack and the file
  });

  it("creates it for real on up", async () => {
    const up = await program.stack.up();
    expect(up.summary.result).toBe("succeeded");
    expect(up.summary.resourceChanges?.create).toBe(2);
    expect(up.outputs.size.value).toBe(7);
    expect(fs.readFileSync(path.join(outDir, "greeting.txt"), "utf8")).toBe("bonjour");
  });

  it("has nothing to change on a second preview", async () => {
    const preview = await program.stack.preview();
    expect(changesIn(preview.changeSummary)).toEqual({});
  });

  it("sees no drift on refresh", async () => {
    const refresh = await program.stack.refresh();
    expect(refresh.summary.result).toBe("succeeded");
    expect(changesIn(refresh.summary.resourceChanges ?? {})).toEqual({});
  });

  it("sees a hand change as drift on refresh, and up puts it back", async () => {
    fs.writeFileSync(path.join(outDir, "greeting.txt"), "changed by hand");
    const refresh = await program.stack.refresh();
    expect(refresh.summary.resourceChanges?.update).toBe(1);
    const preview = await program.stack.preview();
    expect(preview.changeSummary.update).toBe(1);
    await program.stack.up();
    expect(fs.readFileSync(path.join(outDir, "greeting.txt"), "utf8")).toBe("bonjour");
  });

  it("destroys everything", async () => {
    const destroy = await program.stack.destroy();
    expect(destroy.summary.result).toBe("succeeded");
    expect(await resourceCount(program.stack)).toBe(0);
    expect(fs.existsSync(path.join(outDir, "greeting.txt"))).toBe(false);
  });
});
