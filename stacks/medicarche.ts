// The MedicArche tenant of seed 002, as one program: flavors, an Ubuntu
// image, a private network behind a router, least-privilege security groups
// (edge: 22 from admins, 80/443 and the apps' seed ports from clients;
// backends: app ports from the proxy only), a generated RSA keypair, Odoo,
// Nextcloud, Syncthing and WordPress VMs, the reverse proxy with a floating
// IP, and the IT team's users with member/admin/reader roles.
import * as openstack from "@pulumi/openstack";
import * as pulumi from "@pulumi/pulumi";
import {
  AppKind,
  DiskFormat,
  FlavorSet,
  ImageVisibility,
  PrivateNetwork,
  ProjectRole,
  ProjectUsers,
  ReverseProxy,
  RuleSecurityGroup,
  ServerImage,
  SshKeypair,
  createAppModule,
  joinName,
  planAppFlavors,
  planBackendRules,
  planEdgeRules,
  planEgressRules,
  type ProjectUserSpec,
} from "../components/openstack";

/** The apps of the seed, in the order they are published. */
export const MEDICARCHE_APPS: AppKind[] = [
  AppKind.Odoo,
  AppKind.Nextcloud,
  AppKind.Syncthing,
  AppKind.WordPress,
];

/** Declares the tenant; returns the stack outputs. */
export default function medicarche(): Record<string, pulumi.Input<unknown>> {
  const config = new pulumi.Config();
  const prefix = config.get("prefix") ?? "medicarche";
  const adminCidr = config.require("adminCidr");
  const clientCidr = config.get("clientCidr") ?? "0.0.0.0/0";
  const externalNetwork = config.get("externalNetwork") ?? "external";
  const protectData = config.getBoolean("protectData") ?? true;
  const users = config.getObject<ProjectUserSpec[]>("users") ?? [
    { name: `${prefix}-dsi-admin`, role: ProjectRole.Admin },
    { name: `${prefix}-dsi-member`, role: ProjectRole.Member },
    { name: `${prefix}-audit-reader`, role: ProjectRole.Reader },
  ];

  // Decide first: a bad CIDR fails before any resource is declared.
  const egress = planEgressRules(config.getObject<string[]>("egressCidrs") ?? ["0.0.0.0/0"]);
  const edgeRules = planEdgeRules({ apps: MEDICARCHE_APPS, adminCidr, clientCidr, http: true, https: true });
  const backendRules = planBackendRules({ apps: MEDICARCHE_APPS, adminCidr, proxyGroup: "proxy" });

  const projectId =
    config.get("projectId") ?? openstack.identity.getAuthScopeOutput({ name: "current" }).projectId;
  const external = openstack.networking.getNetworkOutput({ name: externalNetwork });

  const flavorSpecs = [
    ...planAppFlavors(prefix, MEDICARCHE_APPS),
    { name: joinName(prefix, "proxy"), vcpus: 1, ramMiB: 512, diskGiB: 5 },
  ];
  const flavors = new FlavorSet(joinName(prefix, "flavors"), { flavors: flavorSpecs });
  const image = new ServerImage(joinName(prefix, "ubuntu"), {
    localFilePath: config.get("imagePath"),
    sourceUrl: config.get("imageUrl"),
    expectedSha256: config.get("imageSha256"),
    diskFormat: (config.get("imageFormat") as DiskFormat | undefined) ?? DiskFormat.Qcow2,
    visibility: ImageVisibility.Private,
    properties: { os_distro: "ubuntu" },
  });
  const network = new PrivateNetwork(joinName(prefix, "private"), {
    cidr: config.get("subnetCidr") ?? "192.168.222.0/24",
    externalNetworkId: external.id,
  });
  const edge = new RuleSecurityGroup(joinName(prefix, "edge"), {
    rules: [...edgeRules, ...egress],
    description: "reverse proxy: seed ports from clients, SSH from admins",
  });
  const backend = new RuleSecurityGroup(joinName(prefix, "apps"), {
    rules: [...backendRules, ...egress],
    remoteGroups: { proxy: edge.id },
    description: "application servers: app ports from the proxy only, SSH from admins",
  });
  const sshPublicKey = config.get("sshPublicKey");
  const keypair = new SshKeypair(
    joinName(prefix, "admin"),
    // A new rotation value draws a new admin key (and so replaces the servers).
    sshPublicKey ? { publicKey: sshPublicKey } : { rotation: config.get("sshKeyRotation") },
  );

  const apps = MEDICARCHE_APPS.map((kind) =>
    createAppModule(kind, joinName(prefix, kind), {
      flavorName: flavors.names[joinName(prefix, kind)] ?? joinName(prefix, kind),
      imageId: image.id,
      networkId: network.networkId,
      subnetId: network.subnetId,
      securityGroupIds: [backend.id],
      keyPairName: keypair.keyPairName,
      odooWorkers: kind === AppKind.Odoo ? (config.getNumber("odooWorkers") ?? 2) : undefined,
      protect: protectData,
    }),
  );
  const proxy = new ReverseProxy(joinName(prefix, "proxy"), {
    backends: apps.map((a) => ({ kind: a.kind, address: a.privateAddress })),
    flavorName: flavors.names[joinName(prefix, "proxy")] ?? joinName(prefix, "proxy"),
    imageId: image.id,
    networkId: network.networkId,
    subnetId: network.subnetId,
    securityGroupIds: [edge.id],
    keyPairName: keypair.keyPairName,
    floatingIpPool: externalNetwork,
    // Neutron associates a floating IP only once the subnet is routed to the
    // external network; only the association waits, not the proxy's server.
    floatingIpAfter: network.routerInterfaceId ? [network.routerInterfaceId] : [],
  });
  const people = new ProjectUsers(joinName(prefix, "users"), { projectId, users });

  const publicAddress = proxy.publicAddress ?? pulumi.output("");
  return {
    proxyAddress: publicAddress,
    endpoints: publicAddress.apply((ip) =>
      Object.fromEntries(apps.map((a) => [a.kind, `http://${ip}:${a.publicPort}`])),
    ),
    appAddresses: pulumi.all(Object.fromEntries(apps.map((a) => [a.kind, a.privateAddress]))),
    dbPasswords: pulumi.secret(
      pulumi.all(
        Object.fromEntries(
          apps.filter((a) => a.dbPassword).map((a) => [a.kind, a.dbPassword as pulumi.Output<string>]),
        ),
      ),
    ),
    sshPrivateKey: keypair.privateKeyOpenssh ?? pulumi.output("(imported key)"),
    userPasswords: people.passwords,
    grants: people.grants,
    edgeRules: edge.ruleKeys,
    imageChecksum: image.checksum,
  };
}
