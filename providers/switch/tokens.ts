// The switch resources' type tokens, written once. A token decides the URN of
// every resource of that type: changing one replaces real resources, so treat
// these as a public API. Resources, the policy pack and the component package
// import them from here. No imports: the policy pack loads this file as is.

/** Module part of the dynamic resources' tokens (`pulumi-nodejs:dynamic/<module>:<Type>`). */
export const SWITCH_MODULE = "switch";

/** Type part of each switch resource's token. */
export const SWITCH_TYPE_NAMES = {
  firmware: "Firmware",
  configuration: "Configuration",
  backup: "ConfigBackup",
} as const;

/** The full type token a dynamic resource registers with (as @pulumi/pulumi builds it). */
function dynamicToken(typeName: string): string {
  return `pulumi-nodejs:dynamic/${SWITCH_MODULE}:${typeName}`;
}

/** `pulumi-nodejs:dynamic/switch:Firmware`: SwitchFirmware. */
export const SWITCH_FIRMWARE_TYPE = dynamicToken(SWITCH_TYPE_NAMES.firmware);
/** `pulumi-nodejs:dynamic/switch:Configuration`: SwitchConfiguration. */
export const SWITCH_CONFIGURATION_TYPE = dynamicToken(SWITCH_TYPE_NAMES.configuration);
/** `pulumi-nodejs:dynamic/switch:ConfigBackup`: SwitchConfigBackup. */
export const SWITCH_BACKUP_TYPE = dynamicToken(SWITCH_TYPE_NAMES.backup);

/** The switch operating systems socle has a device profile for (`os` of the switch resources; absent: detected). */
export const SWITCH_OS_NAMES = ["comware5", "comware7"] as const;
/** One of {@link SWITCH_OS_NAMES}. */
export type SwitchOsName = (typeof SWITCH_OS_NAMES)[number];

/** `socle:network:SwitchFleet`: the fleet component. */
export const SWITCH_FLEET_TYPE = "socle:network:SwitchFleet";
