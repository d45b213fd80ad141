import { describe, expect, it } from "vitest";
import { comware5 } from "../../../providers/switch/profiles/comware5";
import type { ConfirmationAnswer } from "../../../providers/switch/profiles/types";
import { sample, samplesFor } from "./samples";

/** Each line of a transcript that ends in a [Y/N] question, cut just after the question (as the device leaves it). */
function questions(text: string): string[] {
  return text
    .replace(/\r/g, "")
    .split("\n")
    .filter((l) => /\[Y\/N\]:|press the enter key\)/.test(l))
    .map((l) => l.replace(/(\[Y\/N\]:|\]|\):)\s*[yYnN]?\s*$/, "$1"));
}

const answerFor = (answers: ConfirmationAnswer[], line: string) =>
  answers.find((a) => a.pattern.test(line))?.answer;

describe("comware5 profile against the public transcripts", () => {
  it("recognises user, system and sub-view prompts seen in the samples", () => {
    for (const prompt of [
      "<4800G>",
      "<dxt-k09-s3-bak>",
      "<L3S-BE-B45-1>",
      "<HPE_SW>",
      "<test5130st1>",
      "<hp>",
    ]) {
      expect(comware5.prompts.user.test(prompt), prompt).toBe(true);
      expect(comware5.prompts.any.test(prompt), prompt).toBe(true);
    }
    for (const prompt of [
      "[4800G]",
      "[H3C]",
      "[hp-luser-stupin]",
      "[sw1-GigabitEthernet1/0/1]",
      "[sw1-Vlan-interface1]",
    ]) {
      expect(comware5.prompts.any.test(prompt), prompt).toBe(true);
      expect(comware5.prompts.user.test(prompt), prompt).toBe(false);
    }
    // Output lines that must not end a command early.
    for (const line of [
      "[SubSlot 0] 48GE+4SFP Hardware Version is REV.A",
      "[SLOT  0]GE0/0          (Hardware)3.0",
      "<----- THIS LEVEL",
    ]) {
      expect(comware5.prompts.any.test(line), line).toBe(false);
    }
  });

  it("finds the user prompt after the login banner of every session sample", () => {
    const banner = sample("session__netmiko-issue-3287__login-banner-hp-2010-2015.txt");
    expect(
      banner.split("\n").some((l) => l.trim() === "<L3S-BE-B45-1>" && comware5.prompts.user.test(l.trim())),
    ).toBe(true);
    expect(samplesFor("session")).toHaveLength(2);
    expect(comware5.prompts.continueBanner.test(" Press Y or ENTER to continue, N to exit.")).toBe(true);
  });

  it("disables paging with the command the samples show, and knows the pager marker", () => {
    const text = sample(
      "screen-length_disable__github-index-68833146762__cw5_hpe-msr931_5.20.106-r2514p14.txt",
    );
    expect(text).toContain(comware5.paging.disableCommand);
    expect(comware5.paging.moreMarker.test("  ---- More ----")).toBe(true);
    expect(comware5.paging.moreMarker.test("---- More ----")).toBe(true);
  });

  it("answers the save dialogue of both save samples and the reboot sample", () => {
    for (const { name, text } of [
      ...samplesFor("save"),
      ...samplesFor("reboot").filter((s) => s.name.includes("arstercz")),
    ]) {
      const qs = questions(text).filter((q) => !/reboot/.test(q));
      expect(qs.length, name).toBeGreaterThanOrEqual(2);
      for (const q of qs) expect(answerFor(comware5.confirmations.save, q), `${name}: ${q}`).toBeDefined();
    }
    const saved = samplesFor("save").map((s) => s.text);
    for (const text of saved) expect(comware5.saveSucceeded.test(text)).toBe(true);
    // The file-name question is answered on its last line only: its first line may arrive alone.
    for (const text of saved) {
      const first = text.split("\n").find((l) => l.startsWith("Please input the file name"));
      expect(first).toBeDefined();
      expect(answerFor(comware5.confirmations.save, first!.trim())).toBeUndefined();
    }
  });

  it("answers the boot-loader confirmation (standalone and multi-board wording)", () => {
    const qs = questions(sample("boot-loader_file__nonasuomy-blog__cw5_4800g-a5500ei_main-and-backup.txt"));
    expect(qs).toHaveLength(3);
    for (const q of qs) expect(answerFor(comware5.confirmations.setBootImage, q)).toBe("y");
    expect(
      answerFor(
        comware5.confirmations.setBootImage,
        " This command will set the boot file of the specified board(s). Continue? [Y/N]:",
      ),
    ).toBe("y");
  });

  it("answers the copy confirmation and recognises any [Y/N] question", () => {
    const qs = questions(
      sample("file_operations__stupinva-wiki__cw5_hp-a-msr900_cd-mkdir-rmdir-copy-move-rename-delete.txt"),
    );
    const copy = qs.filter((q) => q.startsWith("Copy"));
    expect(copy).toEqual(["Copy flash:/startup.cfg to flash:/startup.bak?[Y/N]:"]);
    expect(answerFor(comware5.confirmations.copyFile, copy[0])).toBe("y");
    // Delete/Move/Rename are never answered by the copy answers: they must be refused as unexpected.
    for (const q of qs.filter((x) => !x.startsWith("Copy"))) {
      expect(answerFor(comware5.confirmations.copyFile, q), q).toBeUndefined();
      expect(comware5.anyConfirmation.test(q), q).toBe(true);
    }
    const reboot = questions(sample("reboot__nonasuomy-blog__cw5_4800g-a5500ei_prompt-variant.txt"));
    expect(reboot).toHaveLength(1);
    expect(comware5.anyConfirmation.test(reboot[0])).toBe(true);
  });

  it("detects the device error lines of the samples", () => {
    const isError = (line: string) => comware5.errorLines.some((re) => re.test(line));
    expect(isError("% Such file or path doesn't exist. ")).toBe(true);
    expect(isError(" % Unrecognized command found at '^' position.")).toBe(true);
    expect(isError("% Incomplete command found at '^' position.")).toBe(true);
    expect(isError("% Too many parameters found at '^' position.")).toBe(true);
    expect(isError("% Wrong parameter found at '^' position.")).toBe(true);
    expect(isError("% Ambiguous command found at '^' position.")).toBe(true);
    expect(isError("%Failed to set the boot file on slot 2: the file is not a valid boot file.")).toBe(true);
    // Informational lines are not errors.
    expect(isError("% Screen-length configuration is disabled for current user.")).toBe(false);
    expect(isError("%Copy file flash:/startup.cfg to flash:/startup.bak...Done.")).toBe(false);
    expect(isError("New local user added.")).toBe(false);
  });

  it("builds the command strings of the README and LAB-DECISIONS", () => {
    const c = comware5.commands;
    expect(c.dir(1, true)).toBe("dir flash:/");
    expect(c.dir(2, false)).toBe("dir slot2#flash:/");
    expect(c.copyToMember("a.bin", 3)).toBe("copy flash:/a.bin slot3#flash:/a.bin");
    expect(c.setBootImage("a.bin", 2, "main")).toBe("boot-loader file flash:/a.bin slot 2 main");
    expect(c.scheduleRebootAt({ hour: 3, minute: 5, date: { year: 2025, month: 6, day: 7 } })).toBe(
      "schedule reboot at 03:05 06/07/2025",
    );
    expect(c.scheduleRebootAt({ hour: 23, minute: 0 })).toBe("schedule reboot at 23:00");
    expect(c.scheduleRebootDelay(90)).toBe("schedule reboot delay 01:30");
    expect(c.md5sum).toBeUndefined();
  });
});
