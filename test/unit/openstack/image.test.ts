// ServerImage under Pulumi mocks: the SHA-256 it verified is recorded on the
// Glance image where the policy pack's images-carry-checksums rule reads it.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  assertFileChecksum,
  IMAGE_SHA256_PROPERTY,
  ServerImage,
  sha256OfFile,
} from "../../../components/openstack";
import {
  checkImageHasChecksum,
  IMAGE,
  IMAGE_SHA256_PROPERTY as POLICY_PROPERTY,
} from "../../../policy/compute";
import { installMocks, runProgram } from "./mocks";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "socle-image-"));
const file = path.join(dir, "disk.qcow2");
fs.writeFileSync(file, "QFI\xfb not really a disk");
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function imageInputs(args: ConstructorParameters<typeof ServerImage>[1]) {
  const rec = await installMocks();
  await runProgram(rec, () => new ServerImage("jammy", args));
  return rec.one(IMAGE, "jammy").inputs;
}

describe("ServerImage checksums", () => {
  it("records the verified SHA-256 as the property the policy pack reads, and passes its rule", async () => {
    expect(IMAGE_SHA256_PROPERTY).toBe(POLICY_PROPERTY);
    const sha = sha256OfFile(file);
    const inputs = await imageInputs({
      localFilePath: file,
      expectedSha256: sha.toUpperCase(),
      properties: { os_distro: "ubuntu" },
    });
    expect(inputs.properties).toEqual({ os_distro: "ubuntu", [IMAGE_SHA256_PROPERTY]: sha });
    expect(checkImageHasChecksum({ type: IMAGE, name: "jammy", urn: "urn", props: inputs })).toEqual([]);
  });

  it("without expectedSha256 records nothing, and the rule says so", async () => {
    const inputs = await imageInputs({ localFilePath: file });
    expect(inputs.properties).toBeUndefined();
    expect(checkImageHasChecksum({ type: IMAGE, name: "jammy", urn: "urn", props: inputs })).toHaveLength(1);
  });

  it("refuses a file whose SHA-256 is not the expected one, naming both", () => {
    expect(() => assertFileChecksum(file, "0".repeat(64))).toThrow(
      /has SHA-256 [0-9a-f]{64}, expected 0{64}; re-download the image/,
    );
  });
});
