// socle/kubernetes: platform pieces for the teams' workloads.
export * from "./contract";
export type { Failure } from "../../providers/switch/validation";
export * from "./teamNamespace";
export * from "./appPlan";
export * from "./app";
export * from "./sharedRedis";
export * from "./gitlabRunner";
export * from "./vulnerabilityScanner";
export * from "./backupPlan";
export * from "./backups";
