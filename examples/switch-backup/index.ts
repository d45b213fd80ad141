// Configuration backup only: a dated archive of every switch's configuration
// with the diff against the previous one, committed to git. Run daily with
// `pulumi up --refresh --yes` from cron or a pipeline.
import * as pulumi from "@pulumi/pulumi";
import { SwitchConfigBackup } from "socle/switch";

interface Switch {
  name: string;
  host: string;
  port?: number;
  hostKeySha256: string;
}

const config = new pulumi.Config();
const password = config.requireSecret("password");
export const latest = config.requireObject<Switch[]>("switches").map(
  (sw) =>
    new SwitchConfigBackup(`${sw.name}-backup`, {
      switchName: sw.name,
      host: sw.host,
      port: sw.port,
      username: config.require("username"),
      password,
      hostKeySha256: sw.hostKeySha256,
      directory: config.require("backupDirectory"),
      git: true,
    }).latestFile,
);
