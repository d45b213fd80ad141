// socle's safe defaults as data: each rule names its check, default level and fix.
import { checkImageHasChecksum, checkServerUsesKeypair, IMAGE, INSTANCE } from "./compute";
import { checkNamespacePodSecurity, checkNoPrivilegedContainers, NAMESPACE } from "./kubernetes";
import { checkNoOpenAdminPorts, LEGACY_SEC_GROUP, SEC_GROUP_RULE } from "./network";
import type { Check } from "./resource";
import { checkSwitchRebootInWindow, SWITCH_FIRMWARE_TYPE } from "./switch";
import { checkOwnerAndBubbleTags } from "./tags";

export type Level = "advisory" | "mandatory";

export interface SocleRule {
  /** Policy name, as written in suppressions and in --policy-pack-config. */
  name: string;
  description: string;
  /** Level when the pack's config does not override it. */
  enforcementLevel: Level;
  /** Types this rule can flag; undefined means it looks at every resource. */
  types?: string[];
  check: Check;
}

export const RULES: readonly SocleRule[] = [
  {
    name: "no-open-admin-ports",
    description:
      "No SSH or database port (22, 3306, 5432, 1433, 1521, 27017, 6379) open to 0.0.0.0/0 or ::/0.",
    enforcementLevel: "mandatory",
    types: [SEC_GROUP_RULE, LEGACY_SEC_GROUP],
    check: checkNoOpenAdminPorts,
  },
  {
    name: "servers-use-keypairs",
    description: "OpenStack servers log in with a keypair, never an admin password.",
    enforcementLevel: "mandatory",
    types: [INSTANCE],
    check: checkServerUsesKeypair,
  },
  {
    name: "images-carry-checksums",
    description: "Glance images record the SHA-256 of their file and keep checksum verification on.",
    enforcementLevel: "mandatory",
    types: [IMAGE],
    check: checkImageHasChecksum,
  },
  {
    name: "namespaces-enforce-pod-security",
    description:
      "Team namespaces carry the pod-security.kubernetes.io/enforce label at baseline or restricted.",
    enforcementLevel: "mandatory",
    types: [NAMESPACE],
    check: checkNamespacePodSecurity,
  },
  {
    name: "no-privileged-containers",
    description: "No container runs privileged or adds the ALL or SYS_ADMIN capability.",
    enforcementLevel: "mandatory",
    check: checkNoPrivilegedContainers,
  },
  {
    name: "owner-and-bubble-tags",
    description:
      "Taggable resources carry socle-owner and socle-bubble tags (OpenStack tags, metadata or Kubernetes labels).",
    enforcementLevel: "advisory",
    check: checkOwnerAndBubbleTags,
  },
  {
    name: "switch-reboot-in-window",
    description:
      "A switch firmware resource has a valid maintenance window, so the new image boots inside it and never by surprise.",
    enforcementLevel: "mandatory",
    types: [SWITCH_FIRMWARE_TYPE],
    check: checkSwitchRebootInWindow,
  },
];
