// Each rule of the policy pack, as a plain function: a violating resource
// yields a message naming the resource and the fix; a compliant one passes.
import { describe, expect, it } from "vitest";
import { checkImageHasChecksum, checkServerUsesKeypair } from "../../policy/compute";
import { checkNamespacePodSecurity, checkNoPrivilegedContainers } from "../../policy/kubernetes";
import { checkNoOpenAdminPorts } from "../../policy/network";
import { UNKNOWN, type PolicyResource } from "../../policy/resource";
import { checkSwitchRebootInWindow, SWITCH_FIRMWARE_TYPE } from "../../policy/switch";
import { SWITCH_BACKUP_TYPE, SWITCH_CONFIGURATION_TYPE } from "../../providers/switch/tokens";
import { checkOwnerAndBubbleTags } from "../../policy/tags";

function res(type: string, name: string, props: Record<string, unknown>, parentType = ""): PolicyResource {
  const qualified = parentType ? `${parentType}$${type}` : type;
  return { type, name, urn: `urn:pulumi:prod::socle::${qualified}::${name}`, props };
}

const RULE = "openstack:networking/secGroupRule:SecGroupRule";
const ssh = { direction: "ingress", ethertype: "IPv4", protocol: "tcp", portRangeMin: 22, portRangeMax: 22 };

describe("no-open-admin-ports", () => {
  it("flags SSH open to the world, naming the rule and the fix", () => {
    const [message] = checkNoOpenAdminPorts(res(RULE, "web-ssh", { ...ssh, remoteIpPrefix: "0.0.0.0/0" }));
    expect(message).toContain(`${RULE} "web-ssh"`);
    expect(message).toContain("22 (SSH) to 0.0.0.0/0");
    expect(message).toContain("restrict the remote prefix");
  });

  it("flags IPv6 world, a missing prefix, a wide range and any protocol", () => {
    expect(
      checkNoOpenAdminPorts(res(RULE, "v6", { ...ssh, ethertype: "IPv6", remoteIpPrefix: "::/0" })),
    ).toHaveLength(1);
    expect(checkNoOpenAdminPorts(res(RULE, "none", { ...ssh }))[0]).toContain(
      "every address (no remoteIpPrefix)",
    );
    const wide = checkNoOpenAdminPorts(
      res(RULE, "wide", { ...ssh, portRangeMin: 1, portRangeMax: 65535, remoteIpPrefix: "0.0.0.0/0" }),
    );
    expect(wide[0]).toMatch(/22 \(SSH\), 3306 \(MySQL\/MariaDB\), 5432 \(PostgreSQL\)/);
    expect(
      checkNoOpenAdminPorts(res(RULE, "any", { direction: "ingress", remoteIpPrefix: "0.0.0.0/0" })),
    ).toHaveLength(1);
    expect(
      checkNoOpenAdminPorts(
        res(RULE, "pg", { ...ssh, portRangeMin: 5432, portRangeMax: 5432, remoteIpPrefix: "0.0.0.0/0" }),
      )[0],
    ).toContain("5432 (PostgreSQL)");
  });

  it("passes restricted sources, web ports, UDP, egress and group-based rules", () => {
    expect(checkNoOpenAdminPorts(res(RULE, "a", { ...ssh, remoteIpPrefix: "10.10.0.0/24" }))).toEqual([]);
    expect(
      checkNoOpenAdminPorts(
        res(RULE, "b", { ...ssh, portRangeMin: 443, portRangeMax: 443, remoteIpPrefix: "0.0.0.0/0" }),
      ),
    ).toEqual([]);
    expect(
      checkNoOpenAdminPorts(res(RULE, "c", { ...ssh, protocol: "udp", remoteIpPrefix: "0.0.0.0/0" })),
    ).toEqual([]);
    expect(
      checkNoOpenAdminPorts(res(RULE, "d", { ...ssh, direction: "egress", remoteIpPrefix: "0.0.0.0/0" })),
    ).toEqual([]);
    expect(checkNoOpenAdminPorts(res(RULE, "e", { ...ssh, remoteGroupId: "bastion-sg" }))).toEqual([]);
  });

  it("checks the inline rules of legacy compute security groups", () => {
    const legacy = res("openstack:compute/secGroup:SecGroup", "legacy", {
      rules: [
        { ipProtocol: "tcp", fromPort: 80, toPort: 80, cidr: "0.0.0.0/0" },
        { ipProtocol: "tcp", fromPort: 3306, toPort: 3306, cidr: "0.0.0.0/0" },
      ],
    });
    expect(checkNoOpenAdminPorts(legacy)).toEqual([
      expect.stringContaining('"legacy" rule 1 opens 3306 (MySQL/MariaDB)'),
    ]);
  });
});

describe("servers-use-keypairs", () => {
  const INSTANCE = "openstack:compute/instance:Instance";
  it("flags a server without keypair or with a password", () => {
    const [noKey] = checkServerUsesKeypair(res(INSTANCE, "odoo", { flavorName: "m1.small" }));
    expect(noKey).toContain(`${INSTANCE} "odoo" has no keyPair: set keyPair`);
    expect(
      checkServerUsesKeypair(res(INSTANCE, "odoo", { keyPair: "ops", adminPass: "hunter2" }))[0],
    ).toContain("sets adminPass: remove it");
    expect(
      checkServerUsesKeypair(res(INSTANCE, "odoo", { keyPair: "ops", adminPass: "x" })).join(),
    ).not.toContain("hunter2");
  });
  it("passes a server with a keypair", () => {
    expect(checkServerUsesKeypair(res(INSTANCE, "odoo", { keyPair: "ops" }))).toEqual([]);
  });
});

describe("images-carry-checksums", () => {
  const IMAGE = "openstack:images/image:Image";
  const sha = "a".repeat(64);
  it("flags an image without recorded SHA-256, or with verification off", () => {
    expect(
      checkImageHasChecksum(res(IMAGE, "jammy", { imageSourceUrl: "https://x/jammy.img" }))[0],
    ).toContain(`${IMAGE} "jammy" carries no checksum: set properties["socle-sha256"]`);
    expect(
      checkImageHasChecksum(res(IMAGE, "jammy", { properties: { "socle-sha256": "abc" } })),
    ).toHaveLength(1);
    expect(
      checkImageHasChecksum(
        res(IMAGE, "jammy", { verifyChecksum: false, properties: { "socle-sha256": sha } }),
      )[0],
    ).toContain("verifyChecksum: false");
  });
  it("leaves a SHA-256 known only at the update to the update's own check", () => {
    const later = (props: Record<string, unknown>) => checkImageHasChecksum(res(IMAGE, "jammy", props));
    expect(later({ properties: { "socle-sha256": UNKNOWN } })).toEqual([]);
    expect(later({ properties: UNKNOWN })).toEqual([]);
    expect(later({ properties: { os_distro: UNKNOWN } })).toHaveLength(1);
  });
  it("passes an image with its SHA-256", () => {
    expect(
      checkImageHasChecksum(
        res(IMAGE, "jammy", { verifyChecksum: true, properties: { "socle-sha256": sha } }),
      ),
    ).toEqual([]);
  });
});

describe("namespaces-enforce-pod-security", () => {
  const NS = "kubernetes:core/v1:Namespace";
  it("flags a team namespace without label or at privileged", () => {
    expect(checkNamespacePodSecurity(res(NS, "team-a", { metadata: { name: "team-a" } }))[0]).toContain(
      `${NS} "team-a" has no Pod Security level: add the label metadata.labels["pod-security.kubernetes.io/enforce"] = "restricted"`,
    );
    const privileged = res(NS, "team-b", {
      metadata: { labels: { "pod-security.kubernetes.io/enforce": "privileged" } },
    });
    expect(checkNamespacePodSecurity(privileged)[0]).toContain('has "privileged" as Pod Security level');
  });
  it("passes baseline/restricted namespaces and Kubernetes' own", () => {
    expect(
      checkNamespacePodSecurity(
        res(NS, "t", { metadata: { labels: { "pod-security.kubernetes.io/enforce": "restricted" } } }),
      ),
    ).toEqual([]);
    expect(checkNamespacePodSecurity(res(NS, "sys", { metadata: { name: "kube-system" } }))).toEqual([]);
  });
});

describe("no-privileged-containers", () => {
  const deployment = (securityContext: Record<string, unknown>) =>
    res("kubernetes:apps/v1:Deployment", "nextcloud", {
      spec: { template: { spec: { containers: [{ name: "app", image: "nextcloud:29", securityContext }] } } },
    });
  it("flags privileged containers and SYS_ADMIN, in every workload kind", () => {
    expect(checkNoPrivilegedContainers(deployment({ privileged: true }))[0]).toContain(
      'kubernetes:apps/v1:Deployment "nextcloud" container "app" runs privileged: remove securityContext.privileged',
    );
    expect(
      checkNoPrivilegedContainers(
        deployment({ capabilities: { add: ["NET_BIND_SERVICE", "SYS_ADMIN"] } }),
      )[0],
    ).toContain("adds capability SYS_ADMIN");
    const cron = res("kubernetes:batch/v1:CronJob", "backup", {
      spec: {
        jobTemplate: {
          spec: {
            template: { spec: { initContainers: [{ name: "init", securityContext: { privileged: true } }] } },
          },
        },
      },
    });
    expect(checkNoPrivilegedContainers(cron)[0]).toContain('container "init" runs privileged');
    const pod = res("kubernetes:core/v1:Pod", "debug", {
      spec: { containers: [{ name: "sh", securityContext: { privileged: true } }] },
    });
    expect(checkNoPrivilegedContainers(pod)).toHaveLength(1);
  });
  it("passes unprivileged containers", () => {
    expect(checkNoPrivilegedContainers(deployment({ privileged: false, runAsNonRoot: true }))).toEqual([]);
    expect(checkNoPrivilegedContainers(deployment({ capabilities: { add: ["NET_BIND_SERVICE"] } }))).toEqual(
      [],
    );
  });
});

describe("owner-and-bubble-tags", () => {
  it("flags missing tags in the form each resource uses", () => {
    expect(
      checkOwnerAndBubbleTags(
        res("openstack:networking/network:Network", "lan", { tags: ["socle-owner=dsi"] }),
      )[0],
    ).toBe(
      'openstack:networking/network:Network "lan" does not say its bubble: add tags "socle-bubble=<value>".',
    );
    expect(
      checkOwnerAndBubbleTags(res("openstack:compute/instance:Instance", "vm", { metadata: {} }))[0],
    ).toContain('does not say its owner nor its bubble: add metadata "socle-owner" and "socle-bubble"');
    expect(
      checkOwnerAndBubbleTags(
        res("kubernetes:core/v1:Namespace", "ns", { metadata: { labels: { "socle-owner": "x" } } }),
      )[0],
    ).toContain('add metadata.labels "socle-bubble"');
  });
  it("passes tagged resources and ignores untaggable types", () => {
    expect(
      checkOwnerAndBubbleTags(
        res("openstack:networking/router:Router", "r", { tags: ["socle-owner=dsi", "socle-bubble=chu"] }),
      ),
    ).toEqual([]);
    expect(
      checkOwnerAndBubbleTags(
        res("openstack:compute/instance:Instance", "vm", {
          metadata: { "socle-owner": "dsi", "socle-bubble": "chu" },
        }),
      ),
    ).toEqual([]);
    expect(checkOwnerAndBubbleTags(res("openstack:compute/flavor:Flavor", "m1", {}))).toEqual([]);
  });
});

describe("switch-reboot-in-window", () => {
  // The token and the input fields of socle's SwitchFirmware (test/policy/engine.test.ts
  // runs the rule on the real resources under pulumi preview).
  const FIRMWARE = SWITCH_FIRMWARE_TYPE;
  const firmware = {
    socleKind: "switch-firmware",
    switchName: "core-irf",
    host: "10.0.0.2",
    imagePath: "/images/s5120ei-cmw520-r2221p25.bin",
    release: "2221P25",
  };
  it("is the real resource's token", () => {
    expect(FIRMWARE).toBe("pulumi-nodejs:dynamic/switch:Firmware");
  });
  it("flags a firmware resource without window, or with a bad window, naming the field and the fix", () => {
    expect(checkSwitchRebootInWindow(res(FIRMWARE, "core-irf-firmware", firmware))).toEqual([
      `${FIRMWARE} "core-irf-firmware" installs firmware without a maintenanceWindow: the stack would boot the new image at whatever reboot comes next; set maintenanceWindow { start: "02:00", end: "04:00" } (switch clock) so the reboot is scheduled inside it.`,
    ]);
    const bad = (window: unknown) =>
      checkSwitchRebootInWindow(res(FIRMWARE, "fw", { ...firmware, maintenanceWindow: window }));
    expect(bad({ start: "25:00", end: "04:00" })).toEqual([
      `${FIRMWARE} "fw" maintenanceWindow.start "25:00" is not a time "HH:MM": give a switch-clock time from 00:00 to 23:59.`,
    ]);
    // Every failure at once.
    expect(bad({ start: "2am", end: "4h" })).toHaveLength(2);
    expect(bad({ start: "02:00", end: "02:00" })[0]).toContain("at least 1 minute");
    expect(bad("02:00-04:00")[0]).toContain('maintenanceWindow give { start: "HH:MM", end: "HH:MM" }');
  });
  it("passes a window, one crossing midnight, and values unknown until the update", () => {
    const ok = (window: unknown) =>
      checkSwitchRebootInWindow(res(FIRMWARE, "fw", { ...firmware, maintenanceWindow: window }));
    expect(ok({ start: "02:00", end: "04:00" })).toEqual([]);
    expect(ok({ start: "22:30", end: "01:00" })).toEqual([]);
    expect(ok(UNKNOWN)).toEqual([]);
    expect(ok({ start: UNKNOWN, end: "04:00" })).toEqual([]);
  });
  it("looks at the firmware only: configuration, backup and other resources pass", () => {
    for (const type of [SWITCH_CONFIGURATION_TYPE, SWITCH_BACKUP_TYPE, "pulumi-nodejs:dynamic:Resource"]) {
      expect(checkSwitchRebootInWindow(res(type, "x", firmware))).toEqual([]);
    }
  });
});
