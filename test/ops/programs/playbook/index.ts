// A playbook run by socle's Playbook resource on the hosts given in config
// (the SSH lab's), with a plain and a secret variable.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type * as ansible from "../../../../providers/ansible";

const config = new pulumi.Config();
// socle is loaded by path, as the e2e programs do (the program runs from a copy).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const socle = require(path.join(config.require("socleRoot"), "providers", "ansible")) as typeof ansible;

const motd = new socle.Playbook("motd", {
  playbook: "motd.yml",
  hosts: config.requireObject<Record<string, Record<string, string | number>>>("hosts"),
  vars: {
    motd: config.require("motd"),
    fail_on: config.get("failOn") ?? "",
    api_token: config.requireSecret("apiToken"),
  },
});

export const drift = motd.drift;
