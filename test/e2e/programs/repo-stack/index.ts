// Runs the repository's stack program of the same name as this stack
// (stacks/index.ts picks it). The test copies this folder to a temporary
// directory, so the repository is found through config.
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";

const socleRoot = new pulumi.Config("e2e").require("socleRoot");
module.exports = require(path.join(socleRoot, "stacks", "index"));
