// A generated password and SSH key. The test copies this program to a
// temporary directory, so socle is loaded from the repository path in config.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type * as secrets from "../../../../providers/secrets";

const config = new pulumi.Config();
const socle = require(path.join(config.require("socleRoot"), "providers", "secrets")) as typeof secrets;

const password = new socle.GeneratedPassword("db", {
  length: config.getNumber("length") ?? 24,
  special: true,
  rotation: config.get("rotation") ?? "",
});
const key = new socle.GeneratedSshKey("admin", { rsaBits: 2048, rotation: config.get("rotation") ?? "" });

export const passwordValue = password.result;
export const privateKey = key.privateKeyOpenssh;
export const publicKey = key.publicKeyOpenssh;
