// The delivery check-list of a bubble (seed 003: "once the bubble is
// delivered, the team makes a check-list of everything it built and hands
// support over"). Built from resolved values by a pure function, exported as
// a stack output.

/** A server as it appears on the check-list. */
export interface ChecklistServer {
  /** Server name, "<bubble>-<instance>-<role>". */
  name: string;
  /** Catalogue template it was built from. */
  template: string;
  /** Role inside the template ("app", "db", ...). */
  role: string;
  /** Private address. */
  address: string;
  /** Holds data that must survive. */
  dataBearing: boolean;
  /** Protected against deletion and replacement. */
  protected: boolean;
}

/** A role assignment on the bubble's project. */
export interface ChecklistGrant {
  /** Keystone user name. */
  user: string;
  /** Role on the project ("member", "admin", "reader"). */
  role: string;
}

/** An endpoint published to the client's users. */
export interface ChecklistEndpoint {
  /** "<vm>:<port>". */
  name: string;
  /** "tcp://<private address>:<port>". */
  url: string;
}

/** What the bubble component knows once everything is created. */
export interface ChecklistInput {
  /** Bubble name. */
  bubble: string;
  /** Keystone project ID ("" if missing). */
  projectId: string;
  /** The bubble's subnet. */
  subnetCidr: string;
  /** Router ID ("" when the network has no router). */
  routerId: string;
  /** Every server built in the bubble. */
  servers: ChecklistServer[];
  /** Endpoints published to the client's users, one per flow from "clients". */
  endpoints: ChecklistEndpoint[];
  /** Role assignments on the project (the operator's included). */
  grants: ChecklistGrant[];
  /** Quotas set, by name (instances, cores, ramMiB, ...). */
  quotas: Record<string, number>;
  /** Names of the security groups the servers carry. */
  securityGroups: string[];
}

/** One line of the check-list, ticked or not. */
export interface ChecklistItem {
  /** What was checked, e.g. "project created". */
  item: string;
  /** Whether the check passed. */
  done: boolean;
  /** Evidence: IDs, names or counts. */
  detail: string;
}

/** The check-list handed over with the bubble. */
export interface DeliveryChecklist {
  /** Bubble name. */
  bubble: string;
  /** Keystone project ID. */
  projectId: string;
  /** The checks, in a fixed order. */
  items: ChecklistItem[];
  /** Servers, sorted by name. */
  servers: ChecklistServer[];
  /** Endpoints published to the client's users. */
  endpoints: ChecklistEndpoint[];
  /** Role assignments on the project. */
  grants: ChecklistGrant[];
  /** Quotas set, by name. */
  quotas: Record<string, number>;
}

/** Builds the check-list; every item says what was checked and its evidence. */
export function buildDeliveryChecklist(input: ChecklistInput): DeliveryChecklist {
  const instances = input.quotas["instances"] ?? 0;
  const items: ChecklistItem[] = [
    { item: "project created", done: input.projectId.length > 0, detail: input.projectId },
    {
      item: "isolated network and router",
      done: input.routerId.length > 0,
      detail: `${input.subnetCidr} via ${input.routerId}`,
    },
    {
      item: "default-deny security group",
      done: input.securityGroups.length > 0,
      detail: input.securityGroups.join(", "),
    },
    {
      item: "quotas set and sufficient",
      done: instances >= input.servers.length,
      detail: `${input.servers.length} servers, quota ${instances}`,
    },
    {
      item: "data-bearing servers protected",
      done: input.servers.every((s) => !s.dataBearing || s.protected),
      detail: input.servers
        .filter((s) => s.dataBearing)
        .map((s) => `${s.name}${s.protected ? "" : " (NOT protected)"}`)
        .join(", "),
    },
    {
      item: "an administrator is assigned",
      done: input.grants.some((g) => g.role === "admin"),
      detail: input.grants.map((g) => `${g.user}:${g.role}`).join(", "),
    },
  ];
  return {
    bubble: input.bubble,
    projectId: input.projectId,
    items,
    servers: [...input.servers].sort((a, b) => a.name.localeCompare(b.name)),
    endpoints: input.endpoints,
    grants: input.grants,
    quotas: input.quotas,
  };
}
