// A switch reboots only inside its maintenance window, never by surprise
// (seed 000: the network team's firmware upgrades).
//
// Assumption shared with the switch provider: the firmware resource is a
// socle dynamic resource (type pulumi-nodejs:dynamic:Resource) whose inputs
// carry `socleKind` starting with "switch" (or whose parent component is a
// socle:network:/socle:switch: type), a firmware/image field, and
// `maintenanceWindow: { start: "HH:MM", end: "HH:MM" }` in switch-clock time
// (`rebootWindow` is read as a synonym). `allowReboot: false` leaves the reboot pending.
import { describe, isRecord, type PolicyResource } from "./resource";

export const DYNAMIC_RESOURCE = "pulumi-nodejs:dynamic:Resource";

function isSwitchResource(resource: PolicyResource): boolean {
  if (resource.type !== DYNAMIC_RESOURCE) return false;
  const kind = resource.props.socleKind;
  if (typeof kind === "string") return kind.toLowerCase().startsWith("switch");
  // The URN's type part lists the parents' types: socle:network:SwitchStack$pulumi-nodejs:dynamic:Resource.
  const qualifiedType = resource.urn.split("::")[2] ?? "";
  return /(^|\$)socle:(network|switch):/.test(qualifiedType);
}

/** A resource that installs firmware may reboot the switch to run it. */
function mayReboot(props: Record<string, unknown>): boolean {
  if (props.allowReboot === false || props.reboot === false) return false;
  return Object.keys(props).some((key) => /firmware|image|release|reboot/i.test(key));
}

const HH_MM = /^([01]?\d|2[0-3]):[0-5]\d$/;

export function checkSwitchRebootInWindow(resource: PolicyResource): string[] {
  if (!isSwitchResource(resource) || !mayReboot(resource.props)) return [];
  const p = resource.props;
  const violations: string[] = [];
  if (p.rebootNow === true || p.rebootImmediately === true) {
    violations.push(
      `${describe(resource)} asks for an immediate reboot: remove rebootNow and let the reboot be scheduled inside maintenanceWindow.`,
    );
  }
  const window = p.maintenanceWindow ?? p.rebootWindow;
  if (!isRecord(window)) {
    violations.push(
      `${describe(resource)} may reboot the switch but has no maintenanceWindow: set maintenanceWindow { start: "02:00", end: "04:00" } (switch clock), or allowReboot: false to leave the reboot pending.`,
    );
    return violations;
  }
  for (const field of ["start", "end"] as const) {
    const value = window[field];
    if (typeof value !== "string" || !HH_MM.test(value.trim())) {
      violations.push(
        `${describe(resource)} maintenanceWindow.${field} is ${JSON.stringify(value)}: give a switch-clock time "HH:MM" (00:00-23:59).`,
      );
    }
  }
  if (violations.length === 0 && String(window.start).trim() === String(window.end).trim()) {
    violations.push(
      `${describe(resource)} maintenanceWindow starts and ends at ${String(window.start)}: give a window of at least one minute.`,
    );
  }
  return violations;
}
