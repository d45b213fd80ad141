// A Glance image from a local file or a URL, qcow2 or raw, with its checksum
// verified: by socle at construction for a local file with an expected
// SHA-256, and by the provider (MD5 against Glance's) after upload.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as openstack from "@pulumi/openstack";
import * as pulumi from "@pulumi/pulumi";

/** Disk formats socle uploads. */
export enum DiskFormat {
  /** QEMU copy-on-write image, the usual cloud image format. */
  Qcow2 = "qcow2",
  /** Raw disk image. */
  Raw = "raw",
}

/** Who can see the image. */
export enum ImageVisibility {
  /** Only the owning project. */
  Private = "private",
  /** The owning project and the projects it is shared with. */
  Shared = "shared",
  /** Usable by every project, but not listed to them by default. */
  Community = "community",
  /** Listed to and usable by every project. */
  Public = "public",
}

/**
 * Glance property recording the image file's SHA-256 (the policy pack's
 * images-carry-checksums rule looks for it), set from expectedSha256.
 */
export const IMAGE_SHA256_PROPERTY = "socle-sha256";

/** SHA-256 of a file, streamed in chunks so large images do not fill memory. */
export function sha256OfFile(path: string): string {
  const hash = createHash("sha256");
  const fd = fs.openSync(path, "r");
  try {
    const buf = Buffer.alloc(1 << 20);
    let n: number;
    while ((n = fs.readSync(fd, buf, 0, buf.length, null)) > 0) hash.update(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest("hex");
}

/** Throws if `path`'s SHA-256 is not `expected` (case-insensitive hex). */
export function assertFileChecksum(path: string, expected: string): void {
  if (!/^[0-9a-fA-F]{64}$/.test(expected)) {
    throw new Error(`expectedSha256: "${expected}" is not a SHA-256 (64 hexadecimal characters)`);
  }
  if (!fs.existsSync(path)) throw new Error(`localFilePath: "${path}" does not exist`);
  const actual = sha256OfFile(path);
  if (actual !== expected.toLowerCase()) {
    throw new Error(
      `localFilePath: "${path}" has SHA-256 ${actual}, expected ${expected.toLowerCase()}; re-download the image`,
    );
  }
}

/** Arguments of {@link ServerImage}. Exactly one of localFilePath / sourceUrl. */
export interface ServerImageArgs {
  /**
   * Path of the image file on the machine running Pulumi.
   * @default none: sourceUrl must be given
   */
  localFilePath?: string;
  /**
   * URL the provider downloads the image from.
   * @default none: localFilePath must be given
   */
  sourceUrl?: string;
  /**
   * SHA-256 the local file must have; checked before anything is created, and
   * recorded on the image as the property "socle-sha256".
   * @default no pre-upload check nor recorded checksum (the provider still compares MD5 after upload)
   */
  expectedSha256?: string;
  /**
   * Disk format.
   * @default DiskFormat.Qcow2
   */
  diskFormat?: DiskFormat;
  /**
   * Visibility of the image.
   * @default ImageVisibility.Private
   */
  visibility?: ImageVisibility;
  /**
   * Minimum disk (GiB) a server needs to boot this image.
   * @default 0 (Glance does not check)
   */
  minDiskGiB?: number;
  /**
   * Extra Glance properties (os_distro, os_version...).
   * @default none
   */
  properties?: Record<string, string>;
}

/**
 * A Glance image. Changing the file, URL or format replaces the image; servers
 * referencing it by ID would then be rebuilt, which socle's data-bearing
 * servers ignore unless they set `allowRebuild`.
 */
export class ServerImage extends pulumi.ComponentResource {
  /** Glance image ID, what servers reference. */
  public readonly id: pulumi.Output<string>;
  /** Image name in Glance (the resource name). */
  public readonly name: pulumi.Output<string>;
  /** MD5 checksum Glance computed. */
  public readonly checksum: pulumi.Output<string>;

  constructor(name: string, args: ServerImageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("socle:openstack:ServerImage", name, {}, opts);
    const hasFile = args.localFilePath !== undefined;
    const hasUrl = args.sourceUrl !== undefined;
    if (hasFile === hasUrl) {
      throw new Error(`image "${name}": give exactly one of localFilePath or sourceUrl`);
    }
    if (args.expectedSha256 !== undefined) {
      if (!args.localFilePath) throw new Error(`image "${name}": expectedSha256 needs localFilePath`);
      assertFileChecksum(args.localFilePath, args.expectedSha256);
    }
    const diskFormat = args.diskFormat ?? DiskFormat.Qcow2;
    if (!Object.values(DiskFormat).includes(diskFormat)) {
      throw new Error(
        `diskFormat: "${String(diskFormat)}" is not allowed; use ${Object.values(DiskFormat).join(" or ")}`,
      );
    }
    const image = new openstack.images.Image(
      name,
      {
        name,
        containerFormat: "bare",
        diskFormat,
        localFilePath: args.localFilePath,
        imageSourceUrl: args.sourceUrl,
        verifyChecksum: true,
        visibility: args.visibility ?? ImageVisibility.Private,
        minDiskGb: args.minDiskGiB,
        properties: withChecksum(args.properties, args.expectedSha256),
      },
      { parent: this },
    );
    this.id = image.id;
    this.name = image.name;
    this.checksum = image.checksum;
    this.registerOutputs({ id: this.id, checksum: this.checksum });
  }
}

/** The image's Glance properties, with the verified SHA-256 recorded when there is one. */
function withChecksum(
  properties: Record<string, string> | undefined,
  sha256: string | undefined,
): Record<string, string> | undefined {
  if (sha256 === undefined) return properties;
  return { ...properties, [IMAGE_SHA256_PROPERTY]: sha256.toLowerCase() };
}
