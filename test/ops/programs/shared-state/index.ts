// A stack two operators update at the same time. The program holds the
// update open for `holdMs` (so the other operator meets the lock), carries a
// secret from config into its outputs, and records who ran it.
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();

export = async () => {
  await new Promise((resolve) => setTimeout(resolve, config.getNumber("holdMs") ?? 0));
  return {
    operator: config.require("operator"),
    apiToken: config.requireSecret("apiToken"),
  };
};
