// socle/switch: HP Comware switch stacks as Pulumi resources, and the
// engine-free pieces under them (session, operations, device profiles).
export { SwitchFirmware, SwitchConfiguration, SwitchConfigBackup } from "./resources";
export type {
  SwitchConnection,
  SwitchFirmwareArgs,
  SwitchConfigurationArgs,
  SwitchConfigBackupArgs,
} from "./resources";
export * from "./operations";
export { SwitchSession } from "./session";
export type { SessionOptions } from "./session";
export { withRetry, mapLimit, mapLimitSettled } from "./retry";
export { comware5 } from "./profiles/comware5";
export type { DeviceProfile } from "./profiles/types";
