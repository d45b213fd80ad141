// Exports hosts (the `hosts` output), switch stacks (the `switches` output of
// psv-network) and an environment, plus a secret the inventory must never show.
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();

export const environment = config.get("environment") ?? "production";
export const hosts = config.requireObject<Record<string, unknown>[]>("hosts");
export const switches = config.getObject<Record<string, unknown>[]>("switches") ?? [];
export const sshPrivateKey = config.requireSecret("sshPrivateKey");
