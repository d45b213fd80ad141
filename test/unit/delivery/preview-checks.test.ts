// What a merge-request preview can refuse before the merge, as tables: the
// offline forms (address, checksum, image path) and the image file itself.
// The host key pin against a real switch is proven in test/delivery/switch-preview.test.ts.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { imageFileFailures } from "../../../providers/switch/preflight";
import { endpointFailures, firmwareFailures } from "../../../providers/switch/validation";

const PIN = `SHA256:${"A".repeat(43)}`;

describe("offline forms", () => {
  it.each([
    ["10.0.1.11", true],
    ["psv-r1.chu.example.org", true],
    ["fd00::11", true],
    ["10.0.1.256", false],
    ["admin@10.0.1.11", false],
    ["10.0.1.11:22", false],
    ["psv r1", false],
  ])("host %s is accepted: %s", (host, ok) => {
    const failures = endpointFailures({ host, hostKeySha256: PIN });
    expect(failures.map((f) => f.property)).toEqual(ok ? [] : ["host"]);
    if (!ok) expect(failures[0].reason).toContain("give an IP address or a DNS name alone");
  });

  it("names a checksum that is not 64 hex characters and an image path that is a folder", () => {
    const failures = firmwareFailures({ imagePath: "/images/", release: "2222P01", sha256: "abc" });
    expect(failures.map((f) => [f.property, f.reason.split(":")[0]])).toEqual([
      ["imagePath", '"/images/" is not a file path'],
      ["sha256", '"abc" is not a SHA-256 checksum'],
    ]);
  });
});

describe("the image file", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "socle-preview-checks-"));
  const image = path.join(dir, "s5120ei-cmw520-r2222p01.bin");
  fs.writeFileSync(image, Buffer.alloc(3 * 1024 * 1024 + 5, "i"));
  const sha256 = createHash("sha256").update(fs.readFileSync(image)).digest("hex");
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each([
    ["present, no checksum", { imagePath: image }, []],
    ["present, its checksum", { imagePath: image, sha256: sha256.toUpperCase() }, []],
    ["present, another checksum", { imagePath: image, sha256: "0".repeat(64) }, ["sha256"]],
    ["absent", { imagePath: path.join(dir, "missing.bin") }, ["imagePath"]],
    ["a folder", { imagePath: dir }, ["imagePath"]],
  ])("%s", (_case, props, properties) => {
    expect(imageFileFailures(props).map((f) => f.property)).toEqual(properties);
  });
});
