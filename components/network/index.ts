// socle/network: switch fleets as code.
export { SwitchFleet } from "./fleet";
export type { SwitchFleetArgs, FleetStack, FirmwareTarget, FleetStackOutputs } from "./fleet";
export { renderBaseline } from "./baseline";
export type { SiteBaseline, Vlan } from "./baseline";
export * from "../../providers/switch";
