// socle's policy pack: `pulumi preview --policy-pack <path to this folder>`.
import { PolicyPack } from "@pulumi/policy";
import { soclePolicies } from "./pack";

new PolicyPack("socle-safe-defaults", {
  description: "socle's safe defaults for hospital and public-sector infrastructure.",
  policies: soclePolicies(),
});
