// socle/kubernetes: platform pieces for the teams' workloads.
export * from "./teamNamespace";
