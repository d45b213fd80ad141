// Exports hosts (the `hosts` output), switch stacks (the `switches` output of
// psv-network) and an environment, plus a secret the inventory must never
// show. `holdMs` keeps an update open that long (the ChatOps test's
// concurrent updates).
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();

export = async () => {
  await new Promise((resolve) => setTimeout(resolve, config.getNumber("holdMs") ?? 0));
  return {
    environment: config.get("environment") ?? "production",
    hosts: config.requireObject<Record<string, unknown>[]>("hosts"),
    switches: config.getObject<Record<string, unknown>[]>("switches") ?? [],
    sshPrivateKey: config.requireSecret("sshPrivateKey"),
  };
};
