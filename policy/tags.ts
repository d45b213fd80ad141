// Every resource that can carry tags says who owns it and which bubble
// (tenant) it belongs to, so an incident or a bill lands on the right team.
import { asArray, describe, isRecord, type PolicyResource } from "./resource";

export const OWNER_TAG = "socle-owner";
export const BUBBLE_TAG = "socle-bubble";

/** Types checked, and where each keeps its tags. */
export const TAGGABLE: Record<string, "metadata" | "tags" | "labels"> = {
  "openstack:compute/instance:Instance": "metadata",
  "openstack:blockstorage/volume:Volume": "metadata",
  "openstack:networking/network:Network": "tags",
  "openstack:networking/subnet:Subnet": "tags",
  "openstack:networking/router:Router": "tags",
  "openstack:networking/port:Port": "tags",
  "openstack:networking/secGroup:SecGroup": "tags",
  "openstack:images/image:Image": "tags",
  "kubernetes:core/v1:Namespace": "labels",
};

/** Reads key=value pairs from a metadata map, a Kubernetes labels map or an OpenStack tag list. */
export function tagsOf(resource: PolicyResource): Map<string, string> {
  const found = new Map<string, string>();
  const add = (key: unknown, value: unknown) => {
    if (typeof value === "string" && value.trim() !== "") found.set(String(key), value);
  };
  if (isRecord(resource.props.metadata)) {
    const metadata = resource.props.metadata;
    // A Kubernetes object's metadata holds labels; an OpenStack server's metadata is the map itself.
    if (isRecord(metadata.labels)) for (const [k, v] of Object.entries(metadata.labels)) add(k, v);
    else for (const [k, v] of Object.entries(metadata)) add(k, v);
  }
  for (const tag of asArray(resource.props.tags)) {
    if (typeof tag !== "string") continue;
    const at = tag.indexOf("=");
    if (at > 0) add(tag.slice(0, at), tag.slice(at + 1));
  }
  return found;
}

export function checkOwnerAndBubbleTags(resource: PolicyResource): string[] {
  const where = TAGGABLE[resource.type];
  if (!where) return [];
  const tags = tagsOf(resource);
  const missing = [OWNER_TAG, BUBBLE_TAG].filter((key) => !tags.has(key));
  if (missing.length === 0) return [];
  const how =
    where === "tags"
      ? `add tags ${missing.map((k) => `"${k}=<value>"`).join(" and ")}`
      : where === "labels"
        ? `add metadata.labels ${missing.map((k) => `"${k}"`).join(" and ")}`
        : `add metadata ${missing.map((k) => `"${k}"`).join(" and ")}`;
  return [
    `${describe(resource)} does not say ${missing.map((k) => k.replace("socle-", "its ")).join(" nor ")}: ${how}.`,
  ];
}
