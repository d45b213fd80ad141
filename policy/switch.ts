// A switch is upgraded inside its maintenance window, never by surprise
// (seed 000: the network team's firmware upgrades).
//
// socle's SwitchFirmware (type pulumi-nodejs:dynamic/switch:Firmware) installs
// the image as the main boot image of every member, then schedules the reboot
// inside `maintenanceWindow` (switch clock). Without a window the stack is left
// "pending reboot": the new image then boots at whatever reboot comes next (a
// power cut, someone's `reboot`), which is the surprise this rule forbids. A
// team that reboots by hand suppresses the rule with its reason. The token and
// the window's checks are the switch provider's own (tokens.ts, validation.ts).
import { SWITCH_FIRMWARE_TYPE } from "../providers/switch/tokens";
import { windowFailures } from "../providers/switch/validation";
import { describe, UNKNOWN, type PolicyResource } from "./resource";

export { SWITCH_FIRMWARE_TYPE };

export function checkSwitchRebootInWindow(resource: PolicyResource): string[] {
  if (resource.type !== SWITCH_FIRMWARE_TYPE) return [];
  const window = resource.props.maintenanceWindow;
  if (window === undefined || window === null) {
    return [
      `${describe(resource)} installs firmware without a maintenanceWindow: the stack would boot the new image at whatever reboot comes next; set maintenanceWindow { start: "02:00", end: "04:00" } (switch clock) so the reboot is scheduled inside it.`,
    ];
  }
  return windowFailures(window, "maintenanceWindow", UNKNOWN).map(
    (failure) => `${describe(resource)} ${failure.property} ${failure.reason}.`,
  );
}
