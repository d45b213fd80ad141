// The generated secrets under the real engine: drawn once at up, encrypted in
// the stored state (the clear values appear nowhere on disk), kept by a
// preview, refresh or spec change, drawn again only on a new rotation.
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../lab/engine";
import { changesIn, openProgramStack, resourceCount, storedStateText, type ProgramStack } from "./harness";

const PASSWORD = "pulumi-nodejs:dynamic/secrets:GeneratedPassword";
const SSH_KEY = "pulumi-nodejs:dynamic/secrets:GeneratedSshKey";
/** Pulumi's marker of a secret value in state and over the wire. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

interface Drawn {
  password: string;
  privateKey: string;
  publicKey: string;
}

describe("generated secrets under the real engine", () => {
  let program: ProgramStack;
  let first: Drawn;

  async function drawn(): Promise<Drawn> {
    const out = await program.stack.outputs();
    return {
      password: String(out.passwordValue?.value),
      privateKey: String(out.privateKey?.value),
      publicKey: String(out.publicKey?.value),
    };
  }

  beforeAll(async () => {
    program = await openProgramStack(path.join(__dirname, "programs", "secrets"), {
      socleRoot: { value: repoRoot },
    });
  });
  afterAll(async () => {
    await program?.dispose();
  });

  it("up draws a password and an OpenSSH keypair, handed back as secrets", async () => {
    const up = await program.stack.up();
    expect(up.summary.result).toBe("succeeded");
    expect(up.outputs.passwordValue?.secret).toBe(true);
    expect(up.outputs.privateKey?.secret).toBe(true);
    first = await drawn();
    expect(first.password).toHaveLength(24);
    expect(first.privateKey).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----/);
    expect(first.publicKey).toMatch(/^ssh-rsa AAAA\S+ socle:admin$/);
  });

  it("the stored state holds neither clear value", () => {
    const state = storedStateText(program.backendDir);
    expect(state).toContain(PASSWORD);
    expect(state).toContain(SSH_KEY);
    expect(state).not.toContain(first.password);
    const keyBody = first.privateKey.split("\n")[1] ?? "";
    expect(keyBody.length).toBeGreaterThan(40);
    expect(state).not.toContain(keyBody);
    // Not merely absent: stored as ciphertext under the secret marker.
    for (const field of ["result", "privateKeyOpenssh"]) {
      expect(state).toMatch(
        new RegExp(`"${field}":\\s*\\{\\s*"${SECRET_SIG}":\\s*"[0-9a-f]+",\\s*"ciphertext"`),
      );
    }
  });

  it("a second preview and a refresh change nothing", async () => {
    expect(changesIn((await program.stack.preview()).changeSummary)).toEqual({});
    const refresh = await program.stack.refresh();
    expect(changesIn(refresh.summary.resourceChanges ?? {})).toEqual({});
    expect(await drawn()).toEqual(first);
  });

  it("a new length updates in place and keeps the password", async () => {
    await program.stack.setConfig("length", { value: "40" });
    expect(changesIn((await program.stack.preview()).changeSummary)).toEqual({ update: 1 });
    await program.stack.up();
    expect((await drawn()).password).toBe(first.password);
  });

  it("a new rotation replaces both and draws new values", async () => {
    await program.stack.setConfig("rotation", { value: "2027-01" });
    expect(changesIn((await program.stack.preview()).changeSummary)).toEqual({ replace: 2 });
    await program.stack.up();
    const next = await drawn();
    expect(next.password).not.toBe(first.password);
    expect(next.password).toHaveLength(40);
    expect(next.publicKey).not.toBe(first.publicKey);
    expect(storedStateText(program.backendDir)).not.toContain(next.password);
  });

  it("destroys everything", async () => {
    const destroy = await program.stack.destroy();
    expect(destroy.summary.result).toBe("succeeded");
    expect(await resourceCount(program.stack)).toBe(0);
  });
});
