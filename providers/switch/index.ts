// socle/switch: HP Comware switch stacks as Pulumi resources, and the
// engine-free pieces under them (session, operations, device profiles).
export { SwitchFirmware, SwitchConfiguration, SwitchConfigBackup } from "./resources";
export type {
  SwitchConnection,
  SwitchFirmwareArgs,
  SwitchConfigurationArgs,
  SwitchConfigBackupArgs,
} from "./resources";
// Output types of SwitchFirmware. Its status is renamed: operations has its own FirmwareStatus.
export type { MemberBootState, FirmwareStatus as SwitchFirmwareStatus } from "./runtime";
export * from "./operations";
export { SwitchSession } from "./session";
export type { SessionOptions, RunOptions } from "./session";
export { SwitchSftp } from "./sftp";
export type { SftpConnection, UploadOptions, UploadResult } from "./sftp";
export {
  // What can go wrong, so callers can tell a bad password from a network cut.
  SwitchError,
  SwitchConnectionError,
  CommandTimeoutError,
  SwitchAuthError,
  HostKeyMismatchError,
  DeviceCommandError,
  ConfigLineError,
  SftpError,
  UnsupportedSwitchOsError,
} from "./errors";
export { ParseError } from "./parsers/common";
export { withRetry, mapLimit, mapLimitSettled } from "./retry";
export type { RetryOptions } from "./retry";
export { comware5 } from "./profiles/comware5";
export { comware7, ipeImages } from "./profiles/comware7";
export { identifyProfile, profileForVersion, profileNamed } from "./profiles";
export type { Identification } from "./profiles";
export type {
  DeviceProfile,
  DeviceCommands,
  DeviceParsers,
  ConfirmationAnswer,
  RebootAt,
  BootImageKind,
} from "./profiles/types";
// What the parsers return (command outputs as typed values).
export type { SummerTime, SwitchClock } from "./parsers/clock";
export type { ScheduledReboot } from "./parsers/scheduleReboot";
export type { ParsedConfig, ConfigSection } from "./parsers/config";
export type { VersionInfo, BoardVersion, ComwareGeneration } from "./parsers/version";
export type { IrfInfo, IrfMember } from "./parsers/irf";
export type { BootLoaderInfo, BootImages } from "./parsers/bootLoader";
export type { DirListing, DirEntry } from "./parsers/dir";
