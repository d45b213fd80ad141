// The components socle offers to Pulumi YAML and Python programs through its
// component package. One entry per component: where its class and args live
// (read by the schema generator) and how to load the class (by the provider,
// lazily, so the schema tools never load the switch runtime).
import type * as pulumi from "@pulumi/pulumi";
import { KUBERNETES_TYPES } from "../kubernetes/contract";
import { SWITCH_FLEET_TYPE } from "../../providers/switch/tokens";

/** A component class as the provider builds it: name, args, options. */
export type ComponentClass = new (
  name: string,
  // The provider passes the engine's inputs, checked against the generated schema.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  args: any,
  opts?: pulumi.ComponentResourceOptions,
) => pulumi.ComponentResource;

/** One component of the package, as the schema generator and the provider see it. */
export interface ExposedComponent {
  /** Type token, `socle:<domain>:<Type>`; the component registers itself with the same one. */
  token: string;
  /** Source file of the class and its args interface, relative to the repository root. */
  sourceFile: string;
  /** Exported class name in `sourceFile`. */
  className: string;
  /** Exported args interface name in `sourceFile`. */
  argsInterface: string;
  /**
   * The public readonly fields YAML programs read, when not all of them can
   * cross (child resources, providers).
   * @default every public readonly field of the class and its bases
   */
  outputs?: string[];
  /** Loads the class. */
  load(): Promise<ComponentClass>;
}

/** One application module (one VM, its database included): they share their args and outputs. */
function appModule(
  className: "OdooApp" | "NextcloudApp" | "SyncthingApp" | "WordPressApp",
): ExposedComponent {
  return {
    token: `socle:openstack:${className}`,
    sourceFile: "components/openstack/appModule.ts",
    className,
    argsInterface: "AppModuleArgs",
    outputs: ["kind", "privateAddress", "dbPassword", "backendPort", "publicPort"],
    load: () => import("../openstack/appModule").then((m) => m[className]),
  };
}

export const exposedComponents: ExposedComponent[] = [
  {
    token: SWITCH_FLEET_TYPE,
    sourceFile: "components/network/fleet.ts",
    className: "SwitchFleet",
    argsInterface: "SwitchFleetArgs",
    load: () => import("../network/fleet").then((m) => m.SwitchFleet),
  },
  {
    token: "socle:kubernetes:TeamNamespace",
    sourceFile: "components/kubernetes/teamNamespace.ts",
    className: "TeamNamespace",
    argsInterface: "TeamNamespaceArgs",
    load: () => import("../kubernetes/teamNamespace").then((m) => m.TeamNamespace),
  },
  {
    token: KUBERNETES_TYPES.app,
    sourceFile: "components/kubernetes/app.ts",
    className: "App",
    argsInterface: "AppArgs",
    load: () => import("../kubernetes/app").then((m) => m.App),
  },
  {
    token: KUBERNETES_TYPES.sharedRedis,
    sourceFile: "components/kubernetes/sharedRedis.ts",
    className: "SharedRedis",
    argsInterface: "SharedRedisArgs",
    load: () => import("../kubernetes/sharedRedis").then((m) => m.SharedRedis),
  },
  {
    token: KUBERNETES_TYPES.gitlabRunner,
    sourceFile: "components/kubernetes/gitlabRunner.ts",
    className: "GitLabRunner",
    argsInterface: "GitLabRunnerArgs",
    load: () => import("../kubernetes/gitlabRunner").then((m) => m.GitLabRunner),
  },
  {
    token: KUBERNETES_TYPES.vulnerabilityScanner,
    sourceFile: "components/kubernetes/vulnerabilityScanner.ts",
    className: "VulnerabilityScanner",
    argsInterface: "VulnerabilityScannerArgs",
    load: () => import("../kubernetes/vulnerabilityScanner").then((m) => m.VulnerabilityScanner),
  },
  {
    token: KUBERNETES_TYPES.clusterBackups,
    sourceFile: "components/kubernetes/backups.ts",
    className: "ClusterBackups",
    argsInterface: "ClusterBackupsArgs",
    load: () => import("../kubernetes/backups").then((m) => m.ClusterBackups),
  },
  {
    token: "socle:openstack:Bubble",
    sourceFile: "components/openstack/bubble.ts",
    className: "Bubble",
    argsInterface: "BubbleArgs",
    outputs: [
      "bubbleName",
      "projectId",
      "operatorName",
      "operatorPassword",
      "sshPrivateKey",
      "quotas",
      "checklist",
    ],
    load: () => import("../openstack/bubble").then((m) => m.Bubble),
  },
  {
    token: "socle:openstack:AppServer",
    sourceFile: "components/openstack/server.ts",
    className: "AppServer",
    argsInterface: "AppServerArgs",
    // `id` is reserved in a package schema; the server is reached by its addresses.
    outputs: ["privateAddress", "floatingAddress", "protected"],
    load: () => import("../openstack/server").then((m) => m.AppServer),
  },
  appModule("OdooApp"),
  appModule("NextcloudApp"),
  appModule("SyncthingApp"),
  appModule("WordPressApp"),
];
