// `socle chatops --config FILE [--host H] [--port N]`: the ChatOps service.
// Secrets come from the environment only: SOCLE_SLACK_SIGNING_SECRET and
// SOCLE_MATTERMOST_TOKENS (comma-separated); the state's PULUMI_BACKEND_URL
// and passphrase too.
import * as fs from "node:fs";
import * as path from "node:path";
import { configFailures, type ChatOpsConfig } from "./policy";
import { startChatOps } from "./service";

const USAGE = "usage: socle chatops --config FILE [--host 127.0.0.1] [--port 8787]";

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const option = (name: string) => {
    const at = argv.indexOf(name);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const file = option("--config");
  if (!file) throw new Error(USAGE);
  const config = JSON.parse(fs.readFileSync(file, "utf8")) as ChatOpsConfig;
  config.projectDir = path.resolve(path.dirname(file), config.projectDir ?? "");
  if (config.playbookDir) config.playbookDir = path.resolve(path.dirname(file), config.playbookDir);
  const secrets = {
    slackSigningSecret: process.env.SOCLE_SLACK_SIGNING_SECRET,
    mattermostTokens: (process.env.SOCLE_MATTERMOST_TOKENS ?? "").split(",").filter(Boolean),
  };
  const failures = configFailures(config);
  if (!secrets.slackSigningSecret && secrets.mattermostTokens.length === 0) {
    failures.push(
      "SOCLE_SLACK_SIGNING_SECRET or SOCLE_MATTERMOST_TOKENS: set at least one in the environment",
    );
  }
  if (failures.length > 0) throw new Error(`${file}:\n  - ${failures.join("\n  - ")}`);
  const service = await startChatOps(config, secrets, {
    host: option("--host") ?? "127.0.0.1",
    port: Number(option("--port") ?? 8787),
  });
  process.stdout.write(`socle chatops listening on ${service.url} (/slack/commands, /mattermost/commands)\n`);
  const stop = () => void service.close().then(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error: Error) => {
  process.stderr.write(`socle chatops: ${error.message}\n`);
  process.exit(1);
});
