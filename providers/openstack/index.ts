// Drift guards for OpenStack objects the openstack provider does not read
// back (a security group's rule set, a server's metadata).
export * from "./resources";
export type { GuardAuth } from "./auth";
export type { GuardRule } from "./drift";
