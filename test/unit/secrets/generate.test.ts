// The secrets provider's decisions and generators: passwords hold what their
// spec asks for and nothing else, SSH keys are real OpenSSH keys (checked by
// ssh-keygen), and only a new rotation draws again.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { utils } from "ssh2";
import { describe, expect, it } from "vitest";
import {
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  PASSWORD_SPECIAL_CHARACTERS,
  generatePassword,
  generateSshKey,
  passwordSpecFailures,
  rotationDiff,
  sshKeySpecFailures,
  type PasswordSpec,
} from "../../../providers/secrets/generate";

const CLASS_PATTERNS: Record<string, RegExp> = {
  lower: /[a-z]/,
  upper: /[A-Z]/,
  digits: /[0-9]/,
  special: new RegExp(`[${PASSWORD_SPECIAL_CHARACTERS.replace(/[-^\\\]]/g, "\\$&")}]`),
};

const validSpec = fc
  .record({
    length: fc.integer({ min: PASSWORD_MIN_LENGTH, max: PASSWORD_MAX_LENGTH }),
    lower: fc.boolean(),
    upper: fc.boolean(),
    digits: fc.boolean(),
    special: fc.boolean(),
  })
  .filter((s) => s.lower || s.upper || s.digits || s.special);

describe("generatePassword", () => {
  it("has the length asked for, every class enabled and no other character", () => {
    fc.assert(
      fc.property(validSpec, (spec) => {
        const pw = generatePassword(spec);
        expect(pw).toHaveLength(spec.length);
        for (const [name, pattern] of Object.entries(CLASS_PATTERNS)) {
          const enabled = spec[name as keyof PasswordSpec] === true;
          if (enabled) expect(pw, name).toMatch(pattern);
          else expect(pw, name).not.toMatch(pattern);
        }
      }),
    );
  });

  it("draws a different value each time", () => {
    const spec = { length: 32, lower: true, upper: true, digits: true, special: false };
    const drawn = new Set(Array.from({ length: 50 }, () => generatePassword(spec)));
    expect(drawn.size).toBe(50);
  });

  it("lists every problem of a spec, naming the field and the fix", () => {
    expect(
      passwordSpecFailures({ length: 4, lower: false, upper: false, digits: false, special: false }),
    ).toEqual([
      { property: "length", reason: "4 is not allowed; use a whole number from 12 to 128" },
      {
        property: "lower",
        reason: "no character class is enabled; enable lower, upper, digits or special",
      },
    ]);
    expect(
      passwordSpecFailures({ length: 12.5, lower: true, upper: true, digits: true, special: true }),
    ).toHaveLength(1);
    expect(() =>
      generatePassword({ length: 500, lower: true, upper: false, digits: false, special: false }),
    ).toThrow(/length: 500 is not allowed/);
  });
});

describe("generateSshKey", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "socle-sshkey-"));

  it.each([2048, 3072])("makes an OpenSSH RSA %i-bit keypair ssh-keygen agrees with", (bits) => {
    const key = generateSshKey({ rsaBits: bits, comment: "socle:test" });
    expect(key.privateKeyOpenssh).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
    expect(key.publicKeyOpenssh).toMatch(/^ssh-rsa AAAA[0-9A-Za-z+/=]+ socle:test$/);
    const file = path.join(dir, `id_${bits}`);
    fs.writeFileSync(file, key.privateKeyOpenssh, { mode: 0o600 });
    const derived = execFileSync("ssh-keygen", ["-y", "-f", file], { encoding: "utf8" }).trim();
    expect(key.publicKeyOpenssh.startsWith(derived)).toBe(true);
    const info = execFileSync("ssh-keygen", ["-l", "-f", file], { encoding: "utf8" });
    expect(info).toMatch(new RegExp(`^${bits} SHA256:.*\\(RSA\\)`));
    const parsed = utils.parseKey(key.privateKeyOpenssh);
    expect(parsed instanceof Error ? parsed.message : parsed.type).toBe("ssh-rsa");
  });

  it("allows only 2048, 3072 and 4096 bits", () => {
    expect(sshKeySpecFailures({ rsaBits: 4096, comment: "" })).toEqual([]);
    expect(sshKeySpecFailures({ rsaBits: 1024, comment: "" })).toEqual([
      { property: "rsaBits", reason: "1024 is not allowed; use 2048, 3072, 4096" },
    ]);
  });
});

describe("rotationDiff", () => {
  const base = { rotation: "", length: 32, lower: true };
  it.each([
    ["nothing moved", base, { changes: false, replaces: [] }],
    ["a new rotation replaces", { ...base, rotation: "2027-01" }, { changes: true, replaces: ["rotation"] }],
    ["a new length updates in place (value kept)", { ...base, length: 40 }, { changes: true, replaces: [] }],
    [
      "both: the rotation wins",
      { ...base, length: 40, rotation: "x" },
      { changes: true, replaces: ["rotation"] },
    ],
  ])("%s", (_label, news, expected) => {
    expect(rotationDiff(base, news, ["length", "lower"])).toEqual(expected);
  });

  it("replaces exactly when the rotation differs, whatever else moves", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.integer(), fc.integer(), (r1, r2, l1, l2) => {
        const diff = rotationDiff({ rotation: r1, length: l1 }, { rotation: r2, length: l2 }, ["length"]);
        expect(diff.replaces).toEqual(r1 === r2 ? [] : ["rotation"]);
        expect(diff.changes).toBe(r1 !== r2 || l1 !== l2);
      }),
    );
  });
});
