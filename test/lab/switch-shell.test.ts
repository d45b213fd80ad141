// The simulated switch CLI over real SSH: prompts, views, paging, displays, boot-loader, save, reboot.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "ssh2";
import { startSwitchLab, type SwitchLab, type SwitchHandle } from "../../lab/switch";
import { Shell, connect, connectConfig, exec } from "./ssh-helpers";

let lab: SwitchLab;
let dir: string;
let stack: SwitchHandle; // 2 members
let single: SwitchHandle; // standalone

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "switch-lab-"));
  lab = await startSwitchLab({
    dir,
    switches: [
      { name: "core-a", members: 2 },
      { name: "edge-b", members: 1 },
      { name: "irf-c", members: 3 },
    ],
    rebootDelayMs: 150,
  });
  stack = lab.get("core-a");
  single = lab.get("edge-b");
});

afterAll(async () => {
  await lab?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("login and prompts", () => {
  it("accepts the password, prints the user-view prompt and reprints it on Enter", async () => {
    const sh = await Shell.open(single);
    sh.send("\r\n");
    expect(await sh.expect(/<edge-b>$/)).toBe("\r\n<edge-b>");
    sh.send("\n");
    expect(await sh.expect(/<edge-b>$/)).toBe("\r\n<edge-b>");
    sh.close();
  });

  it("rejects a wrong password", async () => {
    await expect(connect(connectConfig(single, { password: "not-it" }))).rejects.toThrow(/authentication/i);
  });

  it("accepts a public key listed for the user", async () => {
    const keyDir = fs.mkdtempSync(path.join(os.tmpdir(), "switch-key-"));
    const { utils } = await import("ssh2");
    const pair = utils.generateKeyPairSync("ed25519");
    const keyLab = await startSwitchLab({
      dir: keyDir,
      switches: [{ name: "key-sw", authorizedKeys: [pair.public] }],
    });
    try {
      const sw = keyLab.switches[0];
      const client = await connect({
        host: sw.host,
        port: sw.port,
        username: sw.username,
        privateKey: pair.private,
      });
      expect(await exec(client, "display clock")).toMatch(/^\d\d:\d\d:\d\d UTC \w{3} \d\d\/\d\d\/\d{4}\r\n$/);
      client.end();
      const other = utils.generateKeyPairSync("ed25519");
      await expect(
        connect({ host: sw.host, port: sw.port, username: sw.username, privateKey: other.private }),
      ).rejects.toThrow(/authentication/i);
    } finally {
      await keyLab.close();
      fs.rmSync(keyDir, { recursive: true, force: true });
    }
  });

  it("presents a host key whose fingerprint is in the manifest and stays the same across restarts", async () => {
    let seen = "";
    const client = await connect(
      connectConfig(single, {
        hostVerifier: (key: Buffer) => {
          seen = "SHA256:" + createHash("sha256").update(key).digest("base64").replace(/=+$/, "");
          return true;
        },
      }),
    );
    client.end();
    expect(seen).toBe(single.hostKeyFingerprint);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8")) as {
      switches: { name: string; hostKeyFingerprint: string; port: number; password: string }[];
    };
    const entry = manifest.switches.find((s) => s.name === "edge-b");
    expect(entry).toMatchObject({ hostKeyFingerprint: seen, port: single.port, password: single.password });
  });

  it("moves between views with system-view, quit, return and Ctrl+Z", async () => {
    const sh = await Shell.open(single);
    expect(await sh.run("system-view")).toBe(
      "system-view\r\nSystem View: return to User View with Ctrl+Z.\r\n",
    );
    sh.send("vlan 30\r");
    await sh.expect(/\[edge-b-vlan30\]$/);
    sh.send("interface GigabitEthernet1/0/5\r");
    await sh.expect(/\[edge-b-GigabitEthernet1\/0\/5\]$/);
    sh.send("quit\r");
    await sh.expect(/\r\n\[edge-b\]$/);
    sh.send("local-user ops\r");
    expect(await sh.expect(/\[edge-b-luser-ops\]$/)).toContain("New local user added.");
    sh.send("return\r");
    await sh.expect(/\r\n<edge-b>$/);
    sh.send("sys\r");
    await sh.expect(/\[edge-b\]$/);
    sh.send("\x1a");
    await sh.expect(/<edge-b>$/);
    sh.send("quit\r");
    expect(await sh.closedOrTimeout()).toBe(true);
  });

  it("prints the real error lines with a caret under the bad token", async () => {
    const sh = await Shell.open(single);
    expect(await sh.run("display foo")).toBe(
      "display foo\r\n" + " ".repeat(8 + 8) + "^\r\n % Unrecognized command found at '^' position.\r\n",
    );
    expect(await sh.run("bogus")).toContain(" % Unrecognized command found at '^' position.");
    expect(await sh.run("display")).toContain(" % Incomplete command found at '^' position.");
    expect(await sh.run("display clock now")).toContain(" % Too many parameters found at '^' position.");
    expect(await sh.run("di")).toContain(" % Ambiguous command found at '^' position.");
    await sh.run("system-view");
    expect(await sh.run("vlan 5000")).toContain(" % Wrong parameter found at '^' position.");
    expect(await sh.run("reboot")).toContain("% Unrecognized command"); // user-view only
    sh.close();
  });

  it("accepts abbreviated keywords", async () => {
    const sh = await Shell.open(single);
    expect(await sh.run("dis clo")).toMatch(/UTC/);
    sh.close();
  });
});

describe("paging", () => {
  it("pages long output with ---- More ---- until screen-length disable", async () => {
    const sh = await Shell.open(stack);
    sh.send("display current-configuration\r");
    const first = await sh.expect(/ {2}---- More ----$/);
    expect(first.split("\r\n").length).toBe(1 + 24 + 1); // echo line, 24 lines, the More line
    sh.send(" ");
    const second = await sh.expect(/ {2}---- More ----$/);
    expect(second.startsWith("\x1b[16D" + " ".repeat(16) + "\x1b[16D")).toBe(true);
    sh.send("q");
    await sh.expect(/<core-a>$/);
    expect(await sh.run("screen-length disable")).toBe(
      "screen-length disable\r\n% Screen-length configuration is disabled for current user.\r\n",
    );
    const full = await sh.run("display current-configuration");
    expect(full).not.toContain("---- More ----");
    expect(full).toContain("interface GigabitEthernet2/0/28");
    expect(full.trimEnd().endsWith("return")).toBe(true);
    sh.close();
    // paging is per session: a new session pages again
    const again = await Shell.open(stack);
    again.send("display current-configuration\r");
    await again.expect(/---- More ----$/);
    again.close();
  });

  it("never pages exec output", async () => {
    const client = await connect(connectConfig(stack));
    const out = await exec(client, "display current-configuration");
    client.end();
    expect(out).not.toContain("More");
    expect(out.startsWith("#\r\n version 5.20.99, Release 2208P01\r\n")).toBe(true);
  });
});

describe("display commands", () => {
  let sh: Shell;
  beforeAll(async () => {
    sh = await Shell.open(stack);
    await sh.run("screen-length disable");
  });
  afterAll(() => sh.close());

  it("display version", async () => {
    const out = await sh.run("display version");
    expect(out).toContain("Comware Software, Version 5.20.99, Release 2208P01\r\n");
    expect(out).toMatch(
      /HP A5120-24G EI Switch with 2 Interface Slots uptime is 0 week, 0 day, 0 hour, \d+ minutes?\r\n/,
    );
    expect(out).toContain(" Slot 2:\r\n");
  });

  it("display irf lists every member, the master marked *+", async () => {
    const out = await sh.run("display irf");
    expect(out).toContain("Switch  Role   Priority  CPU-Mac         Description\r\n");
    expect(out).toMatch(/\r\n\*\+1 {3}Master {2}/);
    expect(out).toMatch(/\r\n {2}2 {3}Slave {3}/);
  });

  it("display boot-loader has a Slot header per member", async () => {
    const out = await sh.run("display boot-loader");
    expect(
      out.match(/ Slot \d\r\nThe current boot app is: flash:\/s5120ei-cmw520-r2208p01\.bin\r\n/g),
    ).toHaveLength(2);
    const standalone = await single.runCommand("display boot-loader");
    expect(standalone).not.toContain("Slot");
    expect(standalone).toContain("The main boot app is: flash:/s5120ei-cmw520-r2208p01.bin");
  });

  it("dir per member with free space per member", async () => {
    stack.setFaults({ flashFreeKB: { "2": 1234 } });
    const master = await sh.run("dir");
    const member2 = await sh.run("dir slot2#flash:/");
    stack.setFaults({});
    expect(master).toContain("Directory of flash:/\r\n");
    expect(master).toMatch(
      / {3}0\(\*\) {2}-rw- {5}65536 {2}\w{3} \d\d \d{4} \d\d:\d\d:\d\d {3}s5120ei-cmw520-r2208p01\.bin/,
    );
    expect(master).toMatch(/131072 KB total \(\d+ KB free\)/);
    expect(member2).toContain("Directory of slot2#flash:/\r\n");
    expect(member2).toContain("131072 KB total (1234 KB free)");
    expect(await sh.run("dir slot5#flash:/")).toContain("Wrong parameter");
  });

  it("display clock follows the per-switch lab clock", async () => {
    stack.clock.set(new Date(Date.UTC(2011, 0, 8, 19, 35, 31)));
    expect(await sh.run("display clock")).toMatch(/^display clock\r\n19:35:3\d UTC Sat 01\/08\/2011\r\n$/);
    expect(await single.runCommand("display clock")).not.toContain("2011");
    stack.clock.set(new Date());
  });

  it("display current-configuration and saved-configuration are # sectioned", async () => {
    const current = await sh.run("display current-configuration");
    const saved = await sh.run("display saved-configuration");
    expect(current).toContain("#\r\n sysname core-a\r\n#\r\n");
    expect(saved).toContain(" sysname core-a");
  });
});

describe("configuration in system view", () => {
  it("keeps a sectioned running config, undo removes, save makes it the saved config", async () => {
    const sw = lab.get("irf-c");
    const sh = await Shell.open(sw);
    await sh.run("screen-length disable");
    await sh.run("system-view");
    for (const line of [
      "vlan 20",
      "name Servers",
      "quit",
      "vlan 10",
      "description Users",
      "interface GigabitEthernet3/0/4",
      "description uplink to core",
      "port access vlan 10",
      "quit",
      "ntp-service unicast-server 10.0.0.1",
      "snmp-agent community read s3cret",
      "snmp-agent sys-info location B2",
    ]) {
      const out = await sh.run(line);
      expect(out).not.toContain("% ");
    }
    let config = sw.runningConfig();
    expect(config).toContain("#\nvlan 1\n#\nvlan 10\n description Users\n#\nvlan 20\n name Servers\n#\n");
    expect(config).toContain(
      "#\ninterface GigabitEthernet3/0/4\n description uplink to core\n port access vlan 10\n#\n",
    );
    expect(config).toContain(" ntp-service unicast-server 10.0.0.1\n");
    expect(config).toMatch(/ snmp-agent community read s3cret\n snmp-agent sys-info location B2\n/);
    await sh.run("interface gi 3/0/4");
    await sh.run("description to core");
    await sh.run("undo port access vlan");
    await sh.run("quit");
    await sh.run("undo vlan 20");
    await sh.run("undo snmp-agent community s3cret");
    config = sw.runningConfig();
    expect(config).toContain("interface GigabitEthernet3/0/4\n description to core\n#");
    expect(config).not.toContain("vlan 20");
    expect(config).not.toContain("s3cret");
    expect(await sh.run("sysname irf-c2", /\[irf-c2\]$/)).toBe("sysname irf-c2\r\n");
    expect(sw.savedConfig()).not.toContain("to core");
    const saved = await sh.run("save force");
    expect(saved).toBe(
      "save force\r\n Validating file. Please wait....\r\n Saved the current configuration to mainboard device successfully.\r\n" +
        " Slot 2:\r\n Save next configuration file successfully.\r\n Slot 3:\r\n Save next configuration file successfully.\r\n" +
        " Configuration is saved to device successfully.\r\n",
    );
    expect(sw.savedConfig()).toContain("description to core");
    expect(sw.readFlashFile(3, "startup.cfg").toString()).toContain("sysname irf-c2");
    await sh.run("sysname irf-c", /\[irf-c\]$/);
    await sh.run("save force");
    sh.close();
  });

  it("configureByHand changes the running config like an operator", async () => {
    await single.configureByHand(["interface GigabitEthernet1/0/7", "description changed by hand"]);
    expect(single.runningConfig()).toContain(
      "interface GigabitEthernet1/0/7\n description changed by hand\n",
    );
    await expect(single.configureByHand(["frobnicate"])).rejects.toThrow(/Unrecognized/);
  });
});

describe("save dialogue", () => {
  it("asks, proposes the file name, asks to overwrite, then saves", async () => {
    const sh = await Shell.open(single);
    await single.configureByHand(["vlan 77"]);
    sh.send("save\r");
    await sh.expect(/The current configuration will be written to the device\. Are you sure\? \[Y\/N\]:$/);
    sh.send("y\r");
    await sh.expect(
      /Please input the file name\(\*\.cfg\)\[flash:\/startup\.cfg\]\r\n\(To leave the existing filename unchanged, press the enter key\):$/,
    );
    sh.send("\r");
    await sh.expect(/flash:\/startup\.cfg exists, overwrite\? \[Y\/N\]:$/);
    sh.send("y\r");
    const out = await sh.expect(/<edge-b>$/);
    expect(out).toContain(" Configuration is saved to device successfully.\r\n");
    expect(single.savedConfig()).toContain("vlan 77");
    sh.close();
  });
});

describe("boot-loader", () => {
  const image = "s5120ei-cmw520-r2221p25.bin";

  it("refuses a file that is missing on a member (no automatic copy), changes nothing", async () => {
    stack.writeFlashFile(1, image, Buffer.alloc(4096, 1));
    const out = await stack.runCommand(`boot-loader file flash:/${image} slot all main`);
    expect(out).toBe(`%The file slot2#flash:/${image} does not exist.\r\n`);
    expect(stack.bootInfo().map((b) => b.main)).toEqual([
      "s5120ei-cmw520-r2208p01.bin",
      "s5120ei-cmw520-r2208p01.bin",
    ]);
  });

  it("copies to a member with copy and its confirmation", async () => {
    const sh = await Shell.open(stack);
    sh.send(`copy flash:/${image} slot2#flash:/\r`);
    await sh.expect(
      new RegExp(`Copy flash:/${image} to slot2#flash:/${image}\\?\\[Y/N\\]:$`.replace(/\./g, "\\.")),
    );
    sh.send("y\r");
    expect(await sh.expect(/<core-a>$/)).toContain(
      `%Copy file flash:/${image} to slot2#flash:/${image}...Done.`,
    );
    expect(stack.readFlashFile(2, image).equals(stack.readFlashFile(1, image))).toBe(true);
    sh.close();
  });

  it("asks for confirmation and prints one line per slot; N changes nothing", async () => {
    const sh = await Shell.open(stack);
    sh.send(`boot-loader file flash:/${image} slot all main\r`);
    await sh.expect(
      / This command will set the boot file of the specified board\(s\)\. Continue\? \[Y\/N\]:$/,
    );
    sh.send("n\r");
    await sh.expect(/<core-a>$/);
    expect(stack.bootInfo()[0].main).toBe("s5120ei-cmw520-r2208p01.bin");
    sh.send(`boot-loader file flash:/${image} slot all main\r`);
    await sh.expect(/Continue\? \[Y\/N\]:$/);
    sh.send("y\r");
    const out = await sh.expect(/<core-a>$/);
    expect(out).toContain(
      ` The specified file will be used as the main boot file at the next reboot on slot 1!\r\n`,
    );
    expect(out).toContain(
      ` The specified file will be used as the main boot file at the next reboot on slot 2!\r\n`,
    );
    sh.send("boot-loader file s5120ei-cmw520-r2208p01.bin slot 2 backup\r");
    await sh.expect(/Continue\? \[Y\/N\]:$/);
    sh.send("y\r");
    expect(await sh.expect(/<core-a>$/)).toContain("backup boot file at the next reboot on slot 2!");
    await sh.run("screen-length disable");
    const display = await sh.run("display boot-loader");
    expect(display).toContain(
      ` Slot 2\r\nThe current boot app is: flash:/s5120ei-cmw520-r2208p01.bin\r\nThe main boot app is: flash:/${image}\r\nThe backup boot app is: flash:/s5120ei-cmw520-r2208p01.bin\r\n`,
    );
    expect(await sh.run("dir slot2#flash:/")).toMatch(
      / {3}0\(b\) {2}-rw-.*r2208p01\.bin\r\n {3}1\(\*\) {2}-rw-.*r2221p25\.bin/,
    );
    sh.close();
  });

  it("standalone form without slot prints the sample's line", async () => {
    single.writeFlashFile(1, image, Buffer.alloc(1000));
    const sh = await Shell.open(single);
    sh.send(`boot-loader file ${image} main\r`);
    await sh.expect(/ This command will set the boot file\. Continue\? \[Y\/N\]:$/);
    sh.send("y\r");
    expect(await sh.expect(/<edge-b>$/)).toContain(
      " The specified file will be used as the main boot file at the next reboot!\r\n",
    );
    sh.close();
    expect(single.bootInfo()[0].main).toBe(image);
    expect(await single.runCommand("boot-loader file startup.cfg main")).toContain(
      "is not a valid boot file",
    );
  });
});

describe("reboot", () => {
  it("asks to save when the config changed, drops the session and comes back on the main image", async () => {
    await stack.configureByHand(["vlan 99"]);
    const bootsBefore = stack.bootCount;
    const sh = await Shell.open(stack);
    sh.send("reboot\r");
    await sh.expect(
      / Start to check configuration with next startup configuration file, please wait\.+DONE!\r\n/,
    );
    await sh.expect(
      / This command will reboot the device\. Current configuration will be lost, save current configuration\? \[Y\/N\]:$/,
    );
    sh.send("n\r");
    await sh.expect(/ This command will reboot the device\. Continue\? \[Y\/N\]:$/);
    sh.send("y\r");
    await sh.expect(/DEVM\/5\/SYSTEM_REBOOT: System is rebooting now\.\r\n/);
    expect(await sh.closedOrTimeout()).toBe(true);
    expect(stack.isUp()).toBe(false);
    await expect(connect(connectConfig(stack))).rejects.toThrow();
    await stack.waitUntilUp();
    expect(stack.bootCount).toBe(bootsBefore + 1);
    expect(stack.version()).toBe("Release 2221P25");
    expect(stack.bootInfo().map((b) => b.current)).toEqual([
      "s5120ei-cmw520-r2221p25.bin",
      "s5120ei-cmw520-r2221p25.bin",
    ]);
    expect(stack.runningConfig()).not.toContain("vlan 99"); // unsaved change lost
    const client = await connect(connectConfig(stack));
    const version = await exec(client, "display version");
    client.end();
    expect(version).toContain(
      "HPE Comware Platform Software\r\nComware Software, Version 5.20.99, Release 2221P25\r\n",
    );
    expect(version).toContain("uptime is 0 week, 0 day, 0 hour, 0 minute");
  });
});

describe("schedule reboot", () => {
  it("confirms, displays, can be undone, and fires when the lab clock reaches it", async () => {
    const sw = lab.get("irf-c");
    sw.clock.set(new Date(Date.UTC(2026, 2, 14, 1, 0, 0)));
    const sh = await Shell.open(sw);
    sh.send("schedule reboot at 02:30\r");
    await sh.expect(
      / Reboot system at 02:30 03\/14\/2026 \(in 1 hours and 30 minutes\)\. Confirm\? \[Y\/N\]:$/,
    );
    sh.send("y\r");
    await sh.expect(/<irf-c>$/);
    expect(await sh.run("display schedule reboot")).toBe(
      "display schedule reboot\r\n System will reboot at 02:30 03/14/2026 (in 1 hours and 30 minutes).\r\n",
    );
    await sh.run("undo schedule reboot");
    expect(await sh.run("display schedule reboot")).toBe("display schedule reboot\r\n");
    sh.send("schedule reboot delay 10\r");
    await sh.expect(
      / Reboot system at 01:10 03\/14\/2026 \(in 0 hours and 10 minutes\)\. Confirm\? \[Y\/N\]:$/,
    );
    sh.send("y\r");
    await sh.expect(/<irf-c>$/);
    expect(await sh.run("schedule reboot at 02:00 05/30/2026")).toContain("Wrong parameter"); // > 30 days
    expect(sw.scheduledReboot()?.toISOString()).toBe("2026-03-14T01:10:00.000Z");
    const boots = sw.bootCount;
    sw.clock.advance(9 * 60_000);
    expect(sw.isUp()).toBe(true);
    sw.clock.advance(60_000);
    expect(await sh.closedOrTimeout()).toBe(true);
    await sw.waitUntilUp();
    expect(sw.bootCount).toBe(boots + 1);
    expect(sw.scheduledReboot()).toBeNull();
  });

  it("clock datetime sets the lab clock and cancels a scheduled reboot", async () => {
    const sw = lab.get("irf-c");
    const sh = await Shell.open(sw);
    sh.send("schedule reboot delay 01:00\r");
    await sh.expect(/Confirm\? \[Y\/N\]:$/);
    sh.send("y\r");
    await sh.expect(/<irf-c>$/);
    await sh.run("clock datetime 10:00:00 2026/04/01");
    expect(await sh.run("display clock")).toMatch(/10:00:0\d UTC Wed 04\/01\/2026/);
    expect(sw.scheduledReboot()).toBeNull();
    sh.close();
  });
});

describe("state persistence", () => {
  it("a restarted lab keeps configuration, boot settings, password and host key", async () => {
    const dir2 = fs.mkdtempSync(path.join(os.tmpdir(), "switch-persist-"));
    const first = await startSwitchLab({ dir: dir2, switches: [{ name: "p1", members: 2 }] });
    const sw = first.switches[0];
    await sw.configureByHand(["vlan 42", "name kept"]);
    sw.writeFlashFile(2, "notes.txt", Buffer.from("hello"));
    const before = { password: sw.password, fp: sw.hostKeyFingerprint };
    await first.close();
    const second = await startSwitchLab({ dir: dir2, switches: [{ name: "p1", members: 2 }] });
    const again = second.switches[0];
    expect(again.runningConfig()).toContain("vlan 42\n name kept");
    expect(again.readFlashFile(2, "notes.txt").toString()).toBe("hello");
    expect({ password: again.password, fp: again.hostKeyFingerprint }).toEqual(before);
    const client: Client = await connect(connectConfig(again));
    client.end();
    await second.close();
    fs.rmSync(dir2, { recursive: true, force: true });
  });
});
