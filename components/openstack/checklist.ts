// The delivery check-list of a bubble (seed 003: "once the bubble is
// delivered, the team makes a check-list of everything it built and hands
// support over"). Built from resolved values by a pure function, exported as
// a stack output.

/** A server as it appears on the check-list. */
export interface ChecklistServer {
  name: string;
  template: string;
  role: string;
  address: string;
  dataBearing: boolean;
  protected: boolean;
}

/** A role assignment on the bubble's project. */
export interface ChecklistGrant {
  user: string;
  role: string;
}

/** What the bubble component knows once everything is created. */
export interface ChecklistInput {
  bubble: string;
  projectId: string;
  subnetCidr: string;
  routerId: string;
  servers: ChecklistServer[];
  endpoints: { name: string; url: string }[];
  grants: ChecklistGrant[];
  quotas: Record<string, number>;
  securityGroups: string[];
}

/** One line of the check-list, ticked or not. */
export interface ChecklistItem {
  item: string;
  done: boolean;
  detail: string;
}

/** The check-list handed over with the bubble. */
export interface DeliveryChecklist {
  bubble: string;
  projectId: string;
  items: ChecklistItem[];
  servers: ChecklistServer[];
  endpoints: { name: string; url: string }[];
  grants: ChecklistGrant[];
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
