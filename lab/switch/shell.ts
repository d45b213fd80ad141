// One CLI session on a simulated switch: input echo, views and prompts, paging, confirmations,
// and the commands. The same code serves an interactive shell and an `exec` request.
import { delayMs, logStamp, scheduleAt, scheduleWhen, inHoursMinutes } from "./clock";
import * as fs from "node:fs";
import { createHash } from "node:crypto";
import { bootLoaderComware7, bootLoaderPairComware7, digestLines } from "./bootLoader7";
import { PATTERNS_BY_OS, ViewKind, canonicalInterface } from "./commands";
import {
  cipherOf,
  ensureBlock,
  removeBlock,
  setGlobal,
  setLine,
  undoGlobal,
  undoLine,
  updateBlock,
} from "./config";
import { FlashFullError, SwitchDevice, validFlashName } from "./device";
import { errorLines, matchCommand, tokenize } from "./grammar";
import {
  dirListing,
  displayBootLoader,
  displayClockLines,
  displayIrf,
  displayScheduleReboot,
  displayStartup,
  displayVersion,
} from "./render";
import { displayBootLoader7, displayIrf7, displayVersion7 } from "./render7";
import { releaseFromImageName } from "./version";

export const PAGE_LINES = 24;
const MORE = "  ---- More ----";
const ERASE_MORE = "\x1b[16D" + " ".repeat(16) + "\x1b[16D";
const MAX_SCHEDULE_MS = 30 * 86_400_000;

export interface ShellIO {
  write(text: string): void;
  /** the session ends normally (`quit`) */
  end(): void;
  /** the connection is destroyed (fault injection) */
  drop(): void;
}

interface View {
  kind: ViewKind;
  /** config block head for sub-views, e.g. `interface GigabitEthernet1/0/1` */
  head?: string;
  /** prompt suffix for sub-views, e.g. `GigabitEthernet1/0/1` */
  suffix?: string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Thrown by a handler to print a CLI error under the token at `tokenIndex`. */
class CliError extends Error {
  constructor(
    readonly kind: "Wrong parameter" | "Incomplete command",
    readonly tokenIndex: number,
  ) {
    super(kind);
  }
}

/** `flash:/x.bin`, `x.bin`, `slot2#flash:/x.bin` -> member and file name (no directory support). */
export function parseFlashPath(text: string, defaultMember: number): { member: number; name: string } | null {
  const match = /^(?:slot(\d+)#)?(?:flash:)?\/?([^/]*)$/i.exec(text);
  if (!match) return null;
  return { member: match[1] ? Number(match[1]) : defaultMember, name: match[2] };
}

export class CliShell {
  private input = "";
  private eof = false;
  private wake: (() => void) | null = null;
  private skipLF = false;
  private view: View = { kind: "user" };
  private paging: boolean;
  private ended = false;

  constructor(
    private readonly dev: SwitchDevice,
    private readonly io: ShellIO,
    private readonly interactive: boolean,
  ) {
    this.paging = interactive;
  }

  feed(data: string): void {
    this.input += data;
    this.wake?.();
  }

  endOfInput(): void {
    this.eof = true;
    this.wake?.();
  }

  /** Interactive loop: prompt, read a line, run it, until `quit` or the connection goes. */
  async run(): Promise<void> {
    this.io.write(this.prompt());
    for (;;) {
      const line = await this.readLine();
      if (line === null || this.ended) return;
      await this.execute(line);
      if (this.ended) return;
      this.io.write(this.prompt());
    }
  }

  /** `exec` request: one command (confirmations read from the channel), then the channel ends. */
  async runOnce(command: string): Promise<void> {
    await this.execute(command);
    if (!this.ended) this.io.end();
  }

  /** Runs a line as if typed; used by the in-process API for changes "by hand". */
  async runLine(line: string): Promise<void> {
    await this.execute(line);
  }

  enterSystemView(): void {
    this.view = { kind: "system" };
  }

  prompt(): string {
    const name = this.dev.sysname;
    if (this.view.kind === "user") return `<${name}>`;
    if (this.view.kind === "system") return `[${name}]`;
    return `[${name}-${this.view.suffix}]`;
  }

  // ---- input ----

  private async nextChar(): Promise<string | null> {
    for (;;) {
      if (this.input.length > 0) {
        const c = this.input[0];
        this.input = this.input.slice(1);
        if (this.skipLF) {
          this.skipLF = false;
          if (c === "\n") continue;
        }
        return c;
      }
      if (this.eof || this.ended) return null;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
  }

  /** Reads one line with echo; Ctrl+Z returns "\x1a". */
  private async readLine(): Promise<string | null> {
    let line = "";
    for (;;) {
      const c = await this.nextChar();
      if (c === null) return this.interactive || line === "" ? null : line;
      if (c === "\r" || c === "\n") {
        this.skipLF = c === "\r";
        if (this.interactive) this.io.write("\r\n");
        return line;
      }
      if (c === "\x1a") {
        if (this.interactive) this.io.write("\r\n");
        return "\x1a";
      }
      if (c === "\x03") {
        if (this.interactive) this.io.write("\r\n");
        return "";
      }
      if (c === "\x7f" || c === "\b") {
        if (line.length > 0) {
          line = line.slice(0, -1);
          if (this.interactive) this.io.write("\b \b");
        }
        continue;
      }
      if (c < " " && c !== "\t") continue;
      line += c;
      if (this.interactive) this.io.write(c);
    }
  }

  private async confirm(question: string): Promise<boolean> {
    this.io.write(question);
    let answer = await this.readLine();
    // A bare Enter is no answer: the device asks again (Comware 7 wording), and the lab counts it.
    while (answer !== null && answer.trim() === "") {
      this.dev.bareEntersAtQuestions++;
      this.io.write("Before pressing ENTER you must choose 'YES' or 'NO'[Y/N]:");
      answer = await this.readLine();
    }
    return answer !== null && /^\s*y(es)?\s*$/i.test(answer);
  }

  private async ask(question: string): Promise<string | null> {
    this.io.write(question);
    return this.readLine();
  }

  // ---- output ----

  private async print(lines: string[]): Promise<void> {
    if (!this.interactive || !this.paging || lines.length <= PAGE_LINES) {
      if (lines.length > 0) this.io.write(lines.join("\r\n") + "\r\n");
      return;
    }
    let i = 0;
    let step = PAGE_LINES;
    while (i < lines.length) {
      const chunk = lines.slice(i, i + step);
      this.io.write(chunk.join("\r\n") + "\r\n");
      i += chunk.length;
      if (i >= lines.length) return;
      this.io.write(MORE);
      const key = await this.nextChar();
      this.io.write(ERASE_MORE);
      if (key === null || key === "q" || key === "Q" || key === "\x03") return;
      step = key === "\r" || key === "\n" ? 1 : PAGE_LINES;
      this.skipLF = key === "\r";
    }
  }

  // ---- commands ----

  private async execute(raw: string): Promise<void> {
    if (raw === "\x1a") {
      this.view = { kind: "user" };
      return;
    }
    const line = raw.trim();
    if (line === "") return;
    if (this.dev.noteCommand()) {
      this.ended = true;
      this.io.drop();
      return;
    }
    const latency = this.dev.latencyMs();
    if (latency > 0) await sleep(latency);
    const patterns = PATTERNS_BY_OS[this.dev.os];
    let match = matchCommand(line, patterns.views[this.view.kind]);
    let asSystem = false;
    if (!match.ok && this.view.kind !== "user" && this.view.kind !== "system") {
      const fromSystem = matchCommand(line, patterns.systemFromSubview);
      if (fromSystem.ok) {
        match = fromSystem;
        asSystem = true;
      }
    }
    const promptLength = this.interactive ? this.prompt().length + (raw.length - raw.trimStart().length) : 0;
    if (!match.ok) {
      await this.print(errorLines(promptLength, match.kind, match.column));
      return;
    }
    try {
      if (asSystem) this.view = { kind: "system" };
      await this.dispatch(match.id, match.words, match.rest, line);
    } catch (error) {
      if (error instanceof CliError) {
        const tokens = tokenize(line);
        const column = tokens[Math.min(error.tokenIndex, tokens.length - 1)]?.start ?? 0;
        await this.print(errorLines(promptLength, error.kind, column));
      } else throw error;
    }
  }

  private async dispatch(id: string, words: string[], rest: string, line: string): Promise<void> {
    const dev = this.dev;
    const cw7 = dev.os === "comware7";
    switch (id) {
      case "displayVersion":
        return this.print(cw7 ? displayVersion7(dev) : displayVersion(dev));
      case "displayIrf":
        return this.print(cw7 ? displayIrf7(dev) : displayIrf(dev));
      case "displayBootLoader":
        return this.print(cw7 ? displayBootLoader7(dev) : displayBootLoader(dev));
      case "displayCurrent":
        return this.print(dev.runningConfigLines());
      case "displaySaved": {
        const text = dev.savedConfigText();
        return this.print(text === null ? [] : text.replace(/\r?\n$/, "").split(/\r?\n/));
      }
      case "displayClock":
        return this.print(displayClockLines(dev));
      case "displaySchedule":
        return this.print(displayScheduleReboot(dev));
      case "displayStartup":
        return this.print(displayStartup(dev));
      case "displayThis":
        return this.print(this.displayThis());
      case "screenLengthDisable":
        this.paging = false;
        // Comware 7 answers nothing (Oxidized's 5130 EI transcript).
        return this.print(cw7 ? [] : ["% Screen-length configuration is disabled for current user."]);
      case "undoScreenLengthDisable":
        this.paging = this.interactive;
        return this.print(["% Screen-length configuration is enabled for current user."]);
      case "terminalMonitor":
      case "undoTerminalMonitor":
        return;
      case "save":
        await this.saveDialogue(true);
        return;
      case "saveForce":
        return this.print(this.saveNow());
      case "saveFile": {
        const target = parseFlashPath(words[1], dev.master);
        if (!target || !/\.cfg$/i.test(target.name) || !validFlashName(target.name))
          throw new CliError("Wrong parameter", 1);
        return this.print(this.saveNow(target.name));
      }
      case "quit":
        return this.quit();
      case "return":
        this.view = { kind: "user" };
        return;
      case "systemView":
        this.view = { kind: "system" };
        return this.print(["System View: return to User View with Ctrl+Z."]);
      case "dir":
        return this.print(dirListing(dev, dev.master));
      case "dirPath": {
        const target = parseFlashPath(words[1], dev.master);
        if (!target || !dev.hasMember(target.member)) throw new CliError("Wrong parameter", 1);
        if (target.name === "") return this.print(dirListing(dev, target.member));
        const listing = dirListing(dev, target.member);
        const file = dev.findFile(target.member, target.name);
        if (!file) return this.print(["% Such file or path doesn't exist."]);
        return this.print(
          listing.filter((l, i) => i < 2 || l.endsWith(`   ${file}`) || / KB total /.test(l) || l === ""),
        );
      }
      case "copy":
        return this.copy(words[1], words[2]);
      case "delete":
      case "deleteUnreserved":
        return this.deleteFile(words[words.length - 1], id === "deleteUnreserved");
      case "resetRecycleBin":
        for (const m of dev.memberIds()) dev.resetRecycleBin(m);
        return;
      case "bootLoader":
      case "bootLoaderSlotAll":
      case "bootLoaderSlot":
        return this.bootLoader(id, words);
      case "reboot":
        return this.rebootDialogue();
      case "bootLoaderPair": {
        // boot-loader file boot <b> system <s> slot N main|backup
        const slot = Number(words[7]);
        const boot = parseFlashPath(words[3], slot);
        const system = parseFlashPath(words[5], slot);
        if (!dev.hasMember(slot)) throw new CliError("Wrong parameter", 7);
        if (!boot?.name) throw new CliError("Wrong parameter", 3);
        if (!system?.name) throw new CliError("Wrong parameter", 5);
        const io = { confirm: (q: string) => this.confirm(q), print: (l: string[]) => this.print(l) };
        return bootLoaderPairComware7(dev, io, slot, boot.name, system.name, words[8] as "main" | "backup");
      }
      case "md5sum":
      case "sha256sum":
        return this.digest(id === "md5sum" ? "md5" : "sha256", words[1]);
      case "scheduleAt":
      case "scheduleAtDate":
        return this.scheduleAt(words[3], words[4]);
      case "scheduleDelay": {
        const ms = delayMs(words[3]);
        if (ms <= 0 || ms > MAX_SCHEDULE_MS) throw new CliError("Wrong parameter", 3);
        const at = new Date(dev.now().getTime() + ms);
        at.setUTCSeconds(0, 0); // schedules are to the minute
        return this.confirmSchedule(at);
      }
      case "undoSchedule":
        dev.scheduleReboot(null);
        return;
      case "clockDatetime": {
        const at = scheduleAt(dev.now(), words[2].split(":").slice(0, 2).join(":"), words[3]);
        if (!at) throw new CliError("Wrong parameter", 3);
        const seconds = Number(words[2].split(":")[2] ?? 0);
        dev.scheduleReboot(null); // as on Comware: changing the clock cancels a scheduled reboot
        dev.setClock(new Date(at.getTime() + seconds * 1000));
        return;
      }
      default:
        return this.configure(id, words, rest, line);
    }
  }

  private quit(): void {
    if (this.view.kind === "user") {
      this.ended = true;
      this.io.end();
    } else if (this.view.kind === "system") {
      this.view = { kind: "user" };
    } else {
      this.view = { kind: "system" };
    }
  }

  private displayThis(): string[] {
    const running = this.dev.state.running;
    if (this.view.head) {
      const block = running.find((b) => b.head === this.view.head);
      return ["#", this.view.head, ...(block?.lines ?? []).map((l) => ` ${l}`), "#", "return"];
    }
    const globals = running
      .filter((b) => b.head === null)
      .flatMap((b) => ["#", ...b.lines.map((l) => ` ${l}`)]);
    return [...globals, "#", "return"];
  }

  // ---- configuration ----

  private configure(id: string, words: string[], rest: string, line: string): void {
    const dev = this.dev;
    let blocks = dev.snapshotRunning();
    const head = this.view.head;
    const enter = (kind: ViewKind, blockHead: string, suffix: string): void => {
      blocks = ensureBlock(blocks, blockHead);
      this.view = { kind, head: blockHead, suffix };
    };
    const full = [...words, rest].filter((w) => w !== "").join(" ");
    switch (id) {
      case "sysname":
        blocks = setGlobal(blocks, `sysname ${words[1]}`);
        break;
      case "undoSysname":
        blocks = setGlobal(blocks, "sysname HP");
        break;
      case "vlan":
        enter("vlan", `vlan ${Number(words[1])}`, `vlan${Number(words[1])}`);
        break;
      case "undoVlan":
        if (Number(words[2]) !== 1) blocks = removeBlock(blocks, `vlan ${Number(words[2])}`);
        break;
      case "interface": {
        const name = canonicalInterface(rest);
        if (!name || !this.interfaceExists(name)) throw new CliError("Wrong parameter", 1);
        enter("interface", `interface ${name}`, name);
        break;
      }
      case "undoInterface": {
        const name = canonicalInterface(rest);
        if (
          !name ||
          !/^(Vlan-interface|Bridge-Aggregation|LoopBack)/.test(name) ||
          name === "Vlan-interface1"
        ) {
          throw new CliError("Wrong parameter", 2);
        }
        blocks = removeBlock(blocks, `interface ${name}`);
        break;
      }
      case "localUser": {
        const exists = blocks.some((b) => b.head === `local-user ${words[1]}`);
        enter("luser", `local-user ${words[1]}`, `luser-${words[1]}`);
        if (!exists) void this.print(["New local user added."]);
        break;
      }
      case "undoLocalUser":
        blocks = removeBlock(blocks, `local-user ${words[2]}`);
        break;
      case "userInterface":
        enter("ui", `user-interface vty ${words[2]} ${words[3]}`, `ui-vty${words[2]}-${words[3]}`);
        break;
      case "global":
      case "clockTimezone":
      case "clockSummerTime":
      case "ipRouteStatic":
        blocks = setGlobal(blocks, full);
        break;
      case "undoGlobal":
      case "undoClockTimezone":
      case "undoClockSummerTime":
      case "undoIpRouteStatic":
        blocks = undoGlobal(blocks, full.replace(/^undo /, ""));
        break;
      case "password":
        if (!head) return;
        blocks = updateBlock(blocks, head, (lines) =>
          setLine(lines, `password cipher ${words[1] === "simple" ? cipherOf(words[2]) : words[2]}`),
        );
        break;
      case "setLine":
        if (!head) return;
        blocks = updateBlock(blocks, head, (lines) => setLine(lines, full));
        break;
      case "undoLine":
        if (!head) return;
        blocks = updateBlock(blocks, head, (lines) => undoLine(lines, full.replace(/^undo /, "")));
        break;
      default:
        throw new Error(`lab/switch: no handler for command "${line}" (${id})`);
    }
    dev.setRunning(blocks);
  }

  private interfaceExists(name: string): boolean {
    const physical = /^(GigabitEthernet|Ten-GigabitEthernet)(\d+)\/(\d+)\/(\d+)$/.exec(name);
    if (physical) {
      const [member, subslot, port] = [Number(physical[2]), Number(physical[3]), Number(physical[4])];
      if (!this.dev.hasMember(member)) return false;
      return physical[1] === "GigabitEthernet"
        ? subslot === 0 && port >= 1 && port <= 28
        : subslot >= 1 && subslot <= 2 && port >= 1 && port <= 2;
    }
    const numbered = /^(Vlan-interface|Bridge-Aggregation|LoopBack)(\d+)$/.exec(name);
    if (numbered) return Number(numbered[2]) >= 0 && Number(numbered[2]) <= 4094;
    return name === "NULL0";
  }

  // ---- file system ----

  private flashLabel(member: number, name: string): string {
    return `${member === this.dev.master ? "" : `slot${member}#`}flash:/${name}`;
  }

  private async copy(srcText: string, dstText: string): Promise<void> {
    const dev = this.dev;
    const src = parseFlashPath(srcText, dev.master);
    const dst = parseFlashPath(dstText, dev.master);
    if (!src || !dev.hasMember(src.member) || !src.name) throw new CliError("Wrong parameter", 1);
    if (!dst || !dev.hasMember(dst.member)) throw new CliError("Wrong parameter", 2);
    const srcName = dev.findFile(src.member, src.name);
    if (!srcName) return this.print(["% Such file or path doesn't exist."]);
    const dstName = dst.name || srcName;
    if (!validFlashName(dstName)) throw new CliError("Wrong parameter", 2);
    const from = this.flashLabel(src.member, srcName);
    const to = this.flashLabel(dst.member, dstName);
    if (!(await this.confirm(`Copy ${from} to ${to}?[Y/N]:`))) return;
    if (
      dev.findFile(dst.member, dstName) &&
      !(await this.confirm(`The file ${to} exists. Overwrite it?[Y/N]:`))
    )
      return;
    try {
      dev.copyFile(src.member, srcName, dst.member, dev.findFile(dst.member, dstName) ?? dstName);
    } catch (error) {
      if (error instanceof FlashFullError)
        return this.print([`%Copy file ${from} to ${to}...Failed. No enough space.`]);
      throw error;
    }
    return this.print([".", `%Copy file ${from} to ${to}...Done.`]);
  }

  private async deleteFile(text: string, unreserved: boolean): Promise<void> {
    const dev = this.dev;
    const target = parseFlashPath(text, dev.master);
    if (!target || !dev.hasMember(target.member) || !target.name)
      throw new CliError("Wrong parameter", unreserved ? 2 : 1);
    const name = dev.findFile(target.member, target.name);
    if (!name) return this.print(["% Such file or path doesn't exist."]);
    const label = this.flashLabel(target.member, name);
    const question = unreserved
      ? `The contents cannot be restored!!! Delete ${label}?[Y/N]:`
      : `Delete ${label}?[Y/N]:`;
    if (!(await this.confirm(question))) return;
    dev.deleteFile(target.member, name, unreserved);
    return this.print([`%Delete file ${label}...Done.`]);
  }

  // ---- boot-loader ----

  private async digest(algorithm: "md5" | "sha256", path: string): Promise<void> {
    const dev = this.dev;
    const file = parseFlashPath(path, dev.master);
    if (!file || !dev.hasMember(file.member) || !file.name) throw new CliError("Wrong parameter", 1);
    const found = dev.findFile(file.member, file.name);
    if (!found) return this.print([`%The file ${this.flashLabel(file.member, file.name)} does not exist.`]);
    const hex = createHash(algorithm)
      .update(fs.readFileSync(dev.filePath(file.member, found)))
      .digest("hex");
    return this.print(digestLines(algorithm === "md5" ? "MD5" : "SHA256", hex));
  }

  private async bootLoader(id: string, words: string[]): Promise<void> {
    const dev = this.dev;
    const kind = words[words.length - 1] as "main" | "backup";
    const file = parseFlashPath(words[2], dev.master);
    if (!file || !file.name) throw new CliError("Wrong parameter", 2);
    let targets: number[];
    if (id === "bootLoaderSlotAll") targets = dev.memberIds();
    else if (id === "bootLoaderSlot") {
      const slot = Number(words[4]);
      if (!dev.hasMember(slot)) throw new CliError("Wrong parameter", 4);
      targets = [slot];
    } else targets = [dev.master];
    if (dev.os === "comware7") {
      const io = { confirm: (q: string) => this.confirm(q), print: (l: string[]) => this.print(l) };
      return bootLoaderComware7(dev, io, targets, file.name, kind);
    }
    const missing = targets.filter((m) => !dev.findFile(m, file.name));
    if (missing.length > 0) {
      return this.print(missing.map((m) => `%The file slot${m}#flash:/${file.name} does not exist.`));
    }
    if (!releaseFromImageName(file.name))
      return this.print([`%The file flash:/${file.name} is not a valid boot file.`]);
    const withSlot = id !== "bootLoader";
    const question = withSlot
      ? " This command will set the boot file of the specified board(s). Continue? [Y/N]:"
      : " This command will set the boot file. Continue? [Y/N]:";
    if (!(await this.confirm(question))) return;
    const standalone = !withSlot && dev.state.members.length === 1;
    const results = dev.setBootFile(targets, file.name, kind);
    return this.print(
      results.map((r) =>
        r.ok
          ? ` The specified file will be used as the ${kind} boot file at the next reboot${standalone ? "" : ` on slot ${r.member}`}!`
          : r.message,
      ),
    );
  }

  // ---- save / reboot / schedule ----

  private saveNow(fileName?: string): string[] {
    this.dev.save(fileName);
    if (this.dev.os === "comware7") {
      // Comware 7 `save force` (lab transcripts and the H3C IRF doc form, README section 4).
      const lines = [
        "Validating file. Please wait...",
        "Saved the current configuration to mainboard device successfully.",
      ];
      for (const m of this.dev.memberIds())
        if (m !== this.dev.master) lines.push(`Slot ${m}:`, "Save next configuration file successfully.");
      return lines;
    }
    const lines = [
      " Validating file. Please wait....",
      " Saved the current configuration to mainboard device successfully.",
    ];
    for (const m of this.dev.memberIds())
      if (m !== this.dev.master) lines.push(` Slot ${m}:`, " Save next configuration file successfully.");
    lines.push(" Configuration is saved to device successfully.");
    return lines;
  }

  /** The `save` questions; `askFirst` false when `reboot` already asked whether to save. */
  private async saveDialogue(askFirst: boolean): Promise<boolean> {
    if (
      askFirst &&
      !(await this.confirm("The current configuration will be written to the device. Are you sure? [Y/N]:"))
    ) {
      return false;
    }
    const current = `flash:/${this.dev.state.startupFile}`;
    const answer = await this.ask(
      `Please input the file name(*.cfg)[${current}]\r\n(To leave the existing filename unchanged, press the enter key):`,
    );
    if (answer === null) return false;
    let name = this.dev.state.startupFile;
    if (answer.trim() !== "") {
      const target = parseFlashPath(answer.trim(), this.dev.master);
      if (!target || !/\.cfg$/i.test(target.name) || !validFlashName(target.name)) {
        await this.print(["The file name is invalid(does not end with .cfg)."]);
        return false;
      }
      name = target.name;
    }
    if (
      this.dev.findFile(this.dev.master, name) &&
      !(await this.confirm(`flash:/${name} exists, overwrite? [Y/N]:`))
    ) {
      return false;
    }
    await this.print(this.saveNow(name));
    return true;
  }

  private async rebootDialogue(): Promise<void> {
    const dev = this.dev;
    await this.print([
      " Start to check configuration with next startup configuration file, please wait.........DONE!",
    ]);
    const cw7 = dev.os === "comware7";
    if (dev.runningDiffersFromSaved()) {
      const save = await this.confirm(
        cw7
          ? "Current configuration may be lost after the reboot, save current configuration? [Y/N]:"
          : " This command will reboot the device. Current configuration will be lost, save current configuration? [Y/N]:",
      );
      if (save) await this.saveDialogue(false);
    }
    if (!(await this.confirm(" This command will reboot the device. Continue? [Y/N]:"))) return;
    const stamp = logStamp(dev.now());
    if (cw7) {
      await this.print([
        "Now rebooting, please wait...",
        `%${stamp} ${dev.sysname} DEV/5/SYSTEM_REBOOT: System is rebooting now.`,
      ]);
      this.ended = true;
      void dev.reboot();
      return;
    }
    await this.print([
      `#${stamp} ${dev.sysname} DEVM/1/REBOOT: `,
      " Reboot device by command. ",
      "",
      `%${stamp} ${dev.sysname} DEVM/5/SYSTEM_REBOOT: System is rebooting now.`,
    ]);
    this.ended = true;
    void dev.reboot();
  }

  private async scheduleAt(time: string, date?: string): Promise<void> {
    const now = this.dev.now();
    const at = scheduleAt(now, time, date);
    if (!at || at.getTime() <= now.getTime() || at.getTime() - now.getTime() > MAX_SCHEDULE_MS) {
      throw new CliError("Wrong parameter", date ? 4 : 3);
    }
    return this.confirmSchedule(at);
  }

  private async confirmSchedule(at: Date): Promise<void> {
    const wait = at.getTime() - this.dev.now().getTime();
    if (
      await this.confirm(` Reboot system at ${scheduleWhen(at)} (${inHoursMinutes(wait)}). Confirm? [Y/N]:`)
    ) {
      this.dev.scheduleReboot(at);
    }
  }
}
