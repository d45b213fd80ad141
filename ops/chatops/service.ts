// The ChatOps HTTP service: Slack slash commands through Bolt (@slack/bolt
// verifies the signing secret and the 5-minute replay window), Mattermost
// slash commands on a route of the same server (command token checked here).
// Each request gets an immediate answer (accepted, refused, or a confirmation
// code to type); the result arrives later on the platform's response URL.
import * as crypto from "node:crypto";
import type { IncomingMessage, ServerResponse, Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { App, HTTPReceiver, LogLevel } from "@slack/bolt";
import * as actions from "./actions";
import { appendAudit, type AuditEntry } from "./audit";
import { Confirmations } from "./confirmations";
import { COMMAND_HELP, decide, parseCommand, type ChatCommand, type ChatOpsConfig } from "./policy";
import { StackQueue } from "./queue";

export interface ChatOpsSecrets {
  /** Slack app's signing secret. @default Slack commands are not served */
  slackSigningSecret?: string;
  /** Mattermost slash commands' tokens (one per command). @default Mattermost commands are not served */
  mattermostTokens?: string[];
}

export interface ChatOpsService {
  /** Base URL: Slack posts to <url>/slack/commands, Mattermost to <url>/mattermost/commands. */
  url: string;
  close(): Promise<void>;
}

interface ChatRequest {
  platform: AuditEntry["platform"];
  userId: string;
  userName: string;
  text: string;
  /** Posts the result on the platform's response URL. */
  respond(text: string): Promise<void>;
}

/** The text of an action's result, for the chat. */
function perform(config: ChatOpsConfig, command: Exclude<ChatCommand, { action: "help" }>): Promise<string> {
  switch (command.action) {
    case "info":
      return actions.info(config, command.stack);
    case "preview":
      return actions.preview(config, command.stack);
    case "up":
      return actions.up(config, command.stack);
    case "run":
      return actions.run(config, command.playbook, command.group);
  }
}

function equalSecret(a: string, b: string): boolean {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startChatOps(
  config: ChatOpsConfig,
  secrets: ChatOpsSecrets,
  listen: { host: string; port: number } = { host: "127.0.0.1", port: 0 },
): Promise<ChatOpsService> {
  const auditLog = config.auditLog ?? path.join(config.projectDir, ".socle", "chatops-audit.log");
  const queue = new StackQueue();
  const confirmations = new Confirmations();

  /** The immediate answer to a verified request; starts the action when it is allowed. */
  const handle = (request: ChatRequest): string => {
    const user = `${request.platform}:${request.userId}`;
    const name = config.users[user]?.name ?? request.userName;
    const audit = (event: AuditEntry["event"], detail?: string) =>
      appendAudit(auditLog, { platform: request.platform, user, name, text: request.text, event, detail });
    const command = parseCommand(request.text);
    if ("error" in command) {
      audit("refused", command.error);
      return command.error;
    }
    const decision = decide(config, user, command);
    if (!decision.allowed) {
      audit("refused", decision.reason);
      return `refused: ${decision.reason}`;
    }
    if (command.action === "help") return COMMAND_HELP;
    if (command.action === "up" && decision.needsConfirmation) {
      if (command.confirmation === undefined) {
        const code = confirmations.issue(user, command.stack);
        audit("confirm");
        return `${command.stack} is a production stack: to update it, type \`up ${command.stack} confirm ${code}\` within 5 minutes`;
      }
      if (!confirmations.consume(user, command.stack, command.confirmation)) {
        audit("refused", "wrong or expired confirmation code");
        return `refused: wrong or expired confirmation code for ${command.stack}; type \`up ${command.stack}\` for a new one`;
      }
    }
    audit("accepted");
    const key = command.action === "run" ? `run ${command.group}` : `${command.action} ${command.stack}`;
    const task = () => perform(config, command);
    // Updates and playbook runs one at a time per stack (per group); reads run at once.
    const running = command.action === "up" || command.action === "run" ? queue.run(key, task) : task();
    void running
      .then(
        async (text) => {
          audit("done", text.split("\n")[0]);
          await request.respond(text);
        },
        async (error: Error) => {
          audit("failed", error.message.split("\n")[0]);
          await request.respond(`${request.text} failed: ${error.message}`);
        },
      )
      .catch((error: Error) => audit("failed", `could not post the answer: ${error.message}`));
    return `\`${request.text}\` accepted for ${name}: the answer follows here.`;
  };

  const mattermost = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const form = new URLSearchParams(await readBody(req));
    const reply = (status: number, text: string) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify({ response_type: "ephemeral", text }));
    };
    const token = form.get("token") ?? "";
    if (!(secrets.mattermostTokens ?? []).some((t) => equalSecret(t, token))) {
      return reply(401, "refused: invalid command token");
    }
    const responseUrl = form.get("response_url") ?? "";
    if (!/^https?:\/\//.test(responseUrl)) return reply(400, "refused: the request has no response_url");
    const text = handle({
      platform: "mattermost",
      userId: form.get("user_id") ?? "",
      userName: form.get("user_name") ?? "",
      text: form.get("text") ?? "",
      async respond(answer) {
        const posted = await fetch(responseUrl, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ response_type: "ephemeral", text: answer }),
        });
        if (!posted.ok) throw new Error(`response URL answered ${posted.status}`);
      },
    });
    reply(200, text);
  };

  const receiver = new HTTPReceiver({
    // Without a Slack secret, every Slack request fails verification.
    signingSecret: secrets.slackSigningSecret ?? crypto.randomBytes(32).toString("hex"),
    endpoints: "/slack/commands",
    logLevel: LogLevel.ERROR,
    customRoutes: [
      {
        path: "/mattermost/commands",
        method: ["POST"],
        handler: (req, res) => {
          mattermost(req, res).catch((error: Error) => {
            res.writeHead(500);
            res.end(error.message);
          });
        },
      },
    ],
  });
  const app = new App({ receiver, authorize: async () => ({}), logLevel: LogLevel.ERROR });
  app.command(/.*/, async ({ command, ack, respond }) => {
    const text = handle({
      platform: "slack",
      userId: command.user_id,
      userName: command.user_name,
      text: command.text,
      async respond(answer) {
        await respond({ response_type: "ephemeral", text: answer });
      },
    });
    await ack({ response_type: "ephemeral", text });
  });
  const server = (await app.start({ port: listen.port, host: listen.host })) as Server;
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${listen.host}:${port}`,
    close: () => app.stop().then(() => undefined),
  };
}
