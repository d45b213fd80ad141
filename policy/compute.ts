// Servers log in with keypairs, never passwords; images are verified against
// a checksum recorded with them.
import { describe, isRecord, UNKNOWN, type PolicyResource } from "./resource";

export const INSTANCE = "openstack:compute/instance:Instance";
export const IMAGE = "openstack:images/image:Image";
/** Glance property holding the SHA-256 of the image file (socle's convention). */
export const IMAGE_SHA256_PROPERTY = "socle-sha256";

export function checkServerUsesKeypair(resource: PolicyResource): string[] {
  if (resource.type !== INSTANCE) return [];
  const violations: string[] = [];
  const keyPair = resource.props.keyPair;
  if (typeof keyPair !== "string" || keyPair.trim() === "") {
    violations.push(
      `${describe(resource)} has no keyPair: set keyPair to the name of an openstack.compute.Keypair (socle's Keypair component makes one) so logins use a key.`,
    );
  }
  if (
    resource.props.adminPass !== undefined &&
    resource.props.adminPass !== null &&
    resource.props.adminPass !== ""
  ) {
    violations.push(
      `${describe(resource)} sets adminPass: remove it and log in with the keypair; a password can be guessed or leaked.`,
    );
  }
  return violations;
}

export function checkImageHasChecksum(resource: PolicyResource): string[] {
  if (resource.type !== IMAGE) return [];
  const violations: string[] = [];
  if (resource.props.verifyChecksum === false) {
    violations.push(
      `${describe(resource)} sets verifyChecksum: false: remove it so Glance checks the upload.`,
    );
  }
  const properties = isRecord(resource.props.properties) ? resource.props.properties : {};
  const sha = properties[IMAGE_SHA256_PROPERTY];
  // Known only at the update (another resource's output): checked then.
  const later = resource.props.properties === UNKNOWN || sha === UNKNOWN;
  if (!later && (typeof sha !== "string" || !/^[0-9a-fA-F]{64}$/.test(sha))) {
    violations.push(
      `${describe(resource)} carries no checksum: set properties["${IMAGE_SHA256_PROPERTY}"] to the SHA-256 published with the image (ServerImage's expectedSha256), so a corrupted or substituted file is caught.`,
    );
  }
  return violations;
}
