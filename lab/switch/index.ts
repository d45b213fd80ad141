// Simulated HP 5120 EI switches (Comware 5.20, IRF) over SSH/SFTP: see README.md beside this file.
export { startSwitchLab, defaultSpecs } from "./lab";
export type {
  SwitchLab,
  SwitchLabOptions,
  SwitchHandle,
  Manifest,
  ManifestEntry,
  BootInfo,
  LabClock,
} from "./lab";
export type { SwitchSpec } from "./state";
export type { SwitchFaults } from "./faults";
export { releaseFromImageName } from "./version";
export { PAGE_LINES } from "./shell";
