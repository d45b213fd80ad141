// The pure pieces behind a trustworthy note: line diffs (tables and
// properties), the switch meaning of each step, secret masking, the policy
// verdict. The real preview formats are fed in test/delivery/switch-preview.test.ts.
import * as fs from "node:fs";
import * as path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  diffText,
  digestFromEvents,
  knownSecretValues,
  lineDiff,
  maskText,
  renderStackNotes,
  summarizePreview,
  switchImpactOf,
  type DiffLine,
  type PreviewStep,
  type StackPreview,
} from "../../../delivery";
import { SWITCH_CONFIGURATION_TYPE, SWITCH_FIRMWARE_TYPE } from "../../../providers/switch/tokens";

const lines = (n: number, prefix = "line") => Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}`);

describe("lineDiff", () => {
  it.each([
    {
      case: "a line added in the middle",
      before: ["a", "b", "c", "d", "e", "f", "g"],
      after: ["a", "b", "c", "X", "d", "e", "f", "g"],
      shown: ["@@ 1 unchanged line @@", " b", " c", "+X", " d", " e", "@@ 2 unchanged lines @@"],
    },
    {
      case: "a line replaced at the end",
      before: ["a", "b", "c", "d"],
      after: ["a", "b", "c", "D"],
      shown: ["@@ 1 unchanged line @@", " b", " c", "-d", "+D"],
    },
    { case: "from nothing", before: [], after: ["x", "y"], shown: ["+x", "+y"] },
    { case: "no change", before: ["a", "b"], after: ["a", "b"], shown: ["@@ 2 unchanged lines @@"] },
  ])("$case", ({ before, after, shown }) => {
    const diff = lineDiff(before.join("\n"), after.join("\n"));
    expect(diffText(diff)).toEqual(shown);
  });

  it("counts added and removed lines and ignores a final newline", () => {
    const diff = lineDiff("a\nb\nc\n", "a\nB\nc\nd\n");
    expect({ added: diff.added, removed: diff.removed }).toEqual({ added: 2, removed: 1 });
  });

  const text = fc.array(fc.constantFrom("vlan 10", " name a", "#", "vlan 20", " name b", "return"), {
    maxLength: 30,
  });

  it("shows every change and accounts for every unchanged line (property)", () => {
    fc.assert(
      fc.property(text, text, fc.nat(4), (before, after, context) => {
        const diff = lineDiff(before.join("\n"), after.join("\n"), context);
        const shown: DiffLine[] = diff.pieces.flatMap((p) => ("lines" in p ? p.lines : []));
        const hidden = diff.pieces.reduce((n, p) => n + ("hiddenUnchanged" in p ? p.hiddenUnchanged : 0), 0);
        const kept = shown.filter((l) => l.mark === " ").length;
        // Old lines = unchanged (shown or hidden) + removed; new lines = unchanged + added.
        expect(kept + hidden + diff.removed).toBe(before.length);
        expect(kept + hidden + diff.added).toBe(after.length);
        expect(shown.filter((l) => l.mark === "+").length).toBe(diff.added);
        expect(shown.filter((l) => l.mark === "-").length).toBe(diff.removed);
      }),
    );
  });

  it("rebuilds both texts when nothing is hidden (property)", () => {
    fc.assert(
      fc.property(text, text, (before, after) => {
        const diff = lineDiff(before.join("\n"), after.join("\n"), 1_000);
        // Without any change there is nothing to show: the whole text is one gap.
        fc.pre(diff.added + diff.removed > 0);
        const shown = diff.pieces.flatMap((p) => ("lines" in p ? p.lines : []));
        expect(shown.filter((l) => l.mark !== "+").map((l) => l.text)).toEqual(before);
        expect(shown.filter((l) => l.mark !== "-").map((l) => l.text)).toEqual(after);
      }),
    );
  });
});

/** A SwitchConfiguration update step whose config goes from `before` to `after`. */
function configStep(before: string, after: string, switchName = "psv-r1"): PreviewStep {
  const urn = `urn:pulumi:prod::socle::socle:network:SwitchFleet$${SWITCH_CONFIGURATION_TYPE}::${switchName}-config`;
  const inputs = (config: string) => ({ switchName, host: "10.0.1.11", port: 22, config });
  return {
    op: "update",
    urn,
    oldState: { type: SWITCH_CONFIGURATION_TYPE, inputs: inputs(before) },
    newState: { type: SWITCH_CONFIGURATION_TYPE, inputs: inputs(after) },
  };
}

function firmwareStep(
  op: string,
  olds: Record<string, unknown> | undefined,
  news: Record<string, unknown> | undefined,
  outputs: Record<string, unknown> = {},
): PreviewStep {
  const base = { switchName: "psv-r2", host: "10.0.1.12", port: 22 };
  return {
    op,
    urn: `urn:pulumi:prod::socle::socle:network:SwitchFleet$${SWITCH_FIRMWARE_TYPE}::psv-r2-firmware`,
    oldState: olds && { type: SWITCH_FIRMWARE_TYPE, inputs: { ...base, ...olds }, outputs },
    newState: news && { type: SWITCH_FIRMWARE_TYPE, inputs: { ...base, ...news } },
  };
}

const WINDOW = { start: "02:00", end: "04:00" };
const MEMBERS = { members: [{ member: 2 }, { member: 1 }], runningRelease: "2221P25", status: "up-to-date" };
const IMAGE_A = { imagePath: "/img/s5120ei-cmw520-r2221p25.bin", release: "2221P25" };
const IMAGE_B = { imagePath: "/img/s5120ei-cmw520-r2222p01.bin", release: "2222P01" };

describe("switch meaning of a step", () => {
  it.each([
    {
      case: "a new image with a window",
      step: firmwareStep(
        "update",
        { ...IMAGE_A, maintenanceWindow: WINDOW },
        { ...IMAGE_B, maintenanceWindow: WINDOW },
        MEMBERS,
      ),
      meaning:
        "firmware 2221P25 → 2222P01: members 1, 2 will boot s5120ei-cmw520-r2222p01.bin; reboot in the maintenance window 02:00–04:00 (switch clock)",
      reboots: [1, 2],
    },
    {
      case: "a new image without a window",
      step: firmwareStep("update", IMAGE_A, IMAGE_B, MEMBERS),
      meaning:
        "firmware 2221P25 → 2222P01: members 1, 2 will boot s5120ei-cmw520-r2222p01.bin; no maintenance window: the reboot is left pending, nothing reboots",
      reboots: [1, 2],
    },
    {
      case: "only the window moves",
      step: firmwareStep(
        "update",
        { ...IMAGE_B, maintenanceWindow: WINDOW },
        { ...IMAGE_B, maintenanceWindow: { start: "03:00", end: "05:00" } },
        { ...MEMBERS, status: "reboot-scheduled" },
      ),
      meaning: "maintenance window 02:00–04:00 → 03:00–05:00 (switch clock); firmware stays 2222P01",
      reboots: [],
    },
    {
      case: "a stack managed for the first time",
      step: firmwareStep("create", undefined, { ...IMAGE_B, maintenanceWindow: WINDOW }),
      meaning:
        "firmware 2222P01: every member will boot s5120ei-cmw520-r2222p01.bin; reboot in the maintenance window 02:00–04:00 (switch clock)",
      reboots: [],
    },
    {
      case: "a stack removed from the program",
      step: firmwareStep("delete", IMAGE_A, undefined, MEMBERS),
      meaning:
        "firmware no longer managed: socle leaves the switch as it is (no downgrade, no reboot, nothing unconfigured)",
      reboots: [],
    },
  ])("$case", ({ step, meaning, reboots }) => {
    const impact = switchImpactOf(step, step.op);
    expect(impact?.switchStack).toBe("psv-r2");
    expect(impact?.meaning).toBe(meaning);
    expect(impact?.rebootingMembers).toEqual(reboots);
  });

  it("counts configuration lines, and says when the configuration is secret", () => {
    expect(
      switchImpactOf(configStep("#\nvlan 10\n#\n", "#\nvlan 10\n#\nvlan 20\n#\n"), "update")?.meaning,
    ).toBe("configuration +2 −0 lines, applied in system view and saved; no reboot");
    expect(switchImpactOf(configStep("[secret]", "[secret]"), "update")?.meaning).toMatch(
      /partly secret, not shown/,
    );
  });

  it("leaves other resources alone", () => {
    const step: PreviewStep = {
      op: "update",
      urn: "urn:pulumi:prod::socle::openstack:compute/instance:Instance::web",
    };
    expect(switchImpactOf(step, "update")).toBeUndefined();
  });
});

describe("masking", () => {
  it("masks device-profile secret lines and known secrets, keeping the keyword", () => {
    const text =
      " snmp-agent community read Hosp1tal-ro\n local-user admin\n  password simple Adm1n-pw\nvlan 10";
    expect(maskText(text, { knownSecrets: ["vlan 10"] })).toBe(
      " snmp-agent community read <secret>\n local-user admin\n  password simple <secret>\n[secret]",
    );
  });

  it("reads the known secrets of a stack's configuration: scalars, secret-named leaves, free-text lines", () => {
    const config = {
      "socle:password": { value: "Fleet-pw-1", secret: true },
      "socle:username": { value: "admin", secret: false },
      "socle:stacks": {
        value: JSON.stringify([
          {
            name: "psv-r1",
            host: "10.0.1.11",
            extraConfig: " snmp-agent community read Comm-1\n",
            password: "R1-pw-99",
          },
        ]),
        secret: true,
      },
      "socle:ab": { value: "ab", secret: true },
    };
    expect(knownSecretValues(config).sort()).toEqual(
      ["Fleet-pw-1", "R1-pw-99", "snmp-agent community read Comm-1"].sort(),
    );
  });

  it("shows a replaced secret line as changed, masked on both sides", () => {
    const preview = summarizePreview(
      {
        steps: [
          configStep(
            "#\n ntp-service unicast-server 192.0.2.1\n#\n",
            "#\n ntp-service unicast-server 192.0.2.2\n#\n",
          ),
        ],
      },
      { mask: { knownSecrets: ["192.0.2.1", "192.0.2.2"] } },
    );
    const note = renderStackNotes(preview).join("\n");
    expect(note).toContain("- ntp-service unicast-server [secret]\n+ ntp-service unicast-server [secret]");
    expect(note).not.toMatch(/192\.0\.2\.[12]/);
  });
});

describe("rendering", () => {
  it("folds a long line diff, saying how many lines it holds, and never cuts it", () => {
    const before = ["#", ...lines(10, "vlan"), "return"].join("\n");
    const after = ["#", ...lines(10, "vlan"), ...lines(60, "interface"), "return"].join("\n");
    const note = renderStackNotes(summarizePreview({ steps: [configStep(before, after)] })).join("\n");
    expect(note).toMatch(
      /<details><summary><code>config<\/code>: \+60 −0 lines \(\d+ lines of diff, folded: click to unfold\)/,
    );
    expect(note).toContain("+interface 60");
  });

  it("says how much of a long one-line value it leaves out", () => {
    const step: PreviewStep = {
      op: "update",
      urn: "urn:pulumi:prod::socle::openstack:compute/instance:Instance::web",
      oldState: { inputs: { userData: "x".repeat(400) } },
      newState: { inputs: { userData: "y".repeat(400) } },
    };
    const [change] = summarizePreview({ steps: [step] }).changes;
    expect(change.properties[0].newValue).toMatch(/^"y+… \(103 more characters\)$/);
  });

  const policyEvents = fs
    .readFileSync(path.join(__dirname, "fixtures", "preview-policy.events.jsonl"), "utf8")
    .split("\n");

  it("reads the policy packs that ran from the event stream", () => {
    const digest = digestFromEvents(policyEvents);
    expect(digest.policyPacks?.map((p) => [p.name, p.version])).toEqual([["socle-safe-defaults", "0.1.0"]]);
    expect(digest.policyPacks?.[0].passed).toContain("switch-reboot-in-window");
  });

  it("prints a passed line only when no policy is violated", () => {
    const preview: StackPreview = summarizePreview(digestFromEvents(policyEvents));
    expect(preview.policies.length).toBeGreaterThan(0);
    expect(renderStackNotes(preview).join("\n")).not.toContain("Policies passed");
    const passed = renderStackNotes({ ...preview, policies: [] }).join("\n");
    expect(passed).toMatch(/🛡️ \*\*Policies passed\*\*: `socle-safe-defaults` 0\.1\.0 \(\d+ policies\)\./);
  });
});
