// The preview note and terraform report, from a real `pulumi preview --json`
// document (CLI 3.259, dynamic resources: create, update, replace, delete,
// a secret, an unknown value and a plain-text "password").
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
  isSecretKeyName,
  parseNoteMarker,
  parsePreviewJson,
  parsePreviewOutput,
  parseUrn,
  redactProperties,
  renderStackNotes,
  summarizePreview,
  terraformReport,
  valueAtPath,
  type PreviewDigest,
  type PreviewStep,
  type StackPreview,
} from "../../../delivery";

const fixture = fs.readFileSync(path.join(__dirname, "fixtures", "preview-mixed.json"), "utf8");
const digest = parsePreviewJson(fixture);

function step(op: string, name: string, extra: Partial<PreviewStep> = {}): PreviewStep {
  return { op, urn: `urn:pulumi:prod::socle::openstack:compute/instance:Instance::${name}`, ...extra };
}

describe("parsing", () => {
  it("names the problem when the file is not preview JSON", () => {
    expect(() => parsePreviewJson("Previewing update (dev)", "dev.json")).toThrow(
      /dev\.json is not JSON.*--json/,
    );
    expect(() => parsePreviewJson("", "dev.json")).toThrow(/empty \(did `pulumi preview` fail\?\)/);
    expect(() => parsePreviewJson('{"steps":[{"op":1}]}', "dev.json")).toThrow(
      /steps\[0\] needs string fields "op" and "urn"/,
    );
  });

  it("splits URNs, child types included", () => {
    expect(
      parseUrn("urn:pulumi:prod::socle::socle:openstack:Tenant$openstack:compute/instance:Instance::web::1"),
    ).toEqual({
      stack: "prod",
      project: "socle",
      type: "openstack:compute/instance:Instance",
      name: "web::1",
    });
  });

  it("reads values at Pulumi property paths", () => {
    const bag = { rules: [{ port: 22 }], labels: { "app.kubernetes.io/name": "x" } };
    expect(valueAtPath(bag, "rules[0].port")).toBe(22);
    expect(valueAtPath(bag, 'labels["app.kubernetes.io/name"]')).toBe("x");
    expect(valueAtPath(bag, "rules[3].port")).toBeUndefined();
  });
});

describe("summary of a real preview", () => {
  const preview = summarizePreview(digest);

  it("takes stack, project and counts from the engine", () => {
    expect(preview.key).toBe("dlv-sample/dev");
    expect(preview.counts).toEqual({ create: 3, delete: 1, replace: 1, same: 2, update: 2 });
  });

  it("lists replacements, then deletions, then creations and updates", () => {
    expect(preview.changes.map((c) => `${c.op} ${c.name}`)).toEqual([
      "replace repl",
      "delete gone",
      "create dep",
      "create fresh",
      "create src",
      "update upd",
      "update withsecret",
    ]);
    expect(preview.changes[0].replaceReasons).toEqual(["zone"]);
    expect(preview.changes[0].properties).toEqual([
      { path: "zone", kind: "update", forcesReplacement: true, oldValue: '"a"', newValue: '"b"' },
    ]);
  });

  it("hides the dynamic provider's serialized code and every secret", () => {
    const note = renderStackNotes(preview).join("\n");
    expect(note).not.toContain("__provider");
    expect(note).not.toContain("exports.handler");
    // The engine masked these…
    expect(note).not.toMatch(/s3cr3t|topsecret/);
    // …but this one was a plain string under a key that names a secret.
    expect(fixture).toContain("plainpw");
    expect(note).not.toContain("plainpw");
    expect(note).toContain("+ password: [secret]");
    expect(note).toContain("+ value: (known after apply)");
  });

  it("produces GitLab's terraform report, a replacement counting as create and delete", () => {
    expect(terraformReport([preview])).toEqual({ create: 4, update: 2, delete: 2 });
    expect(terraformReport([preview, preview])).toEqual({ create: 8, update: 4, delete: 4 });
  });
});

describe("redaction", () => {
  it("recognises secret-looking key names, not words that merely contain them", () => {
    for (const key of [
      "password",
      "adminPass",
      "root_pass",
      "dbPassword",
      "privateKeyPem",
      "private_key",
      "apiKey",
      "clientSecret",
      "psk",
    ]) {
      expect(isSecretKeyName(key), key).toBe(true);
    }
    for (const key of ["bypass", "compass", "name", "passengers", "keyPair", "publicKey"]) {
      expect(isSecretKeyName(key), key).toBe(false);
    }
  });

  it("redacts state secret envelopes and secret-named keys, keeps unknowns", () => {
    const envelope = {
      "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
      plaintext: '"x"',
    };
    expect(
      redactProperties({
        adminPass: "hunter2",
        nested: { privateKeyPem: "-----BEGIN", apiToken: "t" },
        wrapped: envelope,
        dbPassword: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
        name: "web",
      }),
    ).toEqual({
      adminPass: "[secret]",
      nested: { privateKeyPem: "[secret]", apiToken: "[secret]" },
      wrapped: "[secret]",
      dbPassword: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
      name: "web",
    });
  });
});

describe("detailed diffs from bridged providers", () => {
  const withDetailedDiff: PreviewDigest = {
    steps: [
      step("update", "web", {
        oldState: {
          type: "openstack:compute/instance:Instance",
          inputs: { flavorName: "m1.small", tags: ["a"], userData: "old" },
        },
        newState: {
          type: "openstack:compute/instance:Instance",
          inputs: { flavorName: "m1.large", tags: ["a", "b"], userData: "old" },
        },
        detailedDiff: {
          flavorName: { kind: "update", inputDiff: true },
          "tags[1]": { kind: "add", inputDiff: true },
        },
      }),
      step("replace", "db", {
        oldState: { type: "openstack:compute/instance:Instance", inputs: { imageName: "jammy" } },
        newState: { type: "openstack:compute/instance:Instance", inputs: { imageName: "noble" } },
        replaceReasons: ["imageName"],
        detailedDiff: { imageName: { kind: "update-replace", inputDiff: true } },
      }),
    ],
  };
  const preview = summarizePreview(withDetailedDiff);

  it("shows only the paths the provider reports, marking what forces replacement", () => {
    const [db, web] = preview.changes;
    expect(db.name).toBe("db");
    expect(db.properties).toEqual([
      {
        path: "imageName",
        kind: "update",
        forcesReplacement: true,
        oldValue: '"jammy"',
        newValue: '"noble"',
      },
    ]);
    expect(web.properties.map((p) => `${p.kind} ${p.path}`)).toEqual(["update flavorName", "add tags[1]"]);
    const note = renderStackNotes(preview)[0];
    expect(note).toContain('+ imageName: "noble"   # forces replacement');
    expect(note).toContain('+ tags[1]: "b"');
    expect(note).not.toContain("userData");
  });

  it("counts from the steps when the digest has no changeSummary", () => {
    expect(preview.counts).toEqual({ update: 1, replace: 1 });
  });
});

describe("notes", () => {
  function bigPreview(resources: number): StackPreview {
    const steps = Array.from({ length: resources }, (_, i) =>
      step("create", `vm-${String(i).padStart(3, "0")}`, {
        newState: {
          type: "openstack:compute/instance:Instance",
          inputs: { name: `vm-${i}`, userData: "x".repeat(400) },
        },
      }),
    );
    return summarizePreview({ steps, changeSummary: { create: resources } }, { maxValueChars: 500 });
  }

  it("starts every note with a hidden marker naming stack and part", () => {
    const [note] = renderStackNotes(summarizePreview(digest));
    expect(note.startsWith('<!-- socle-preview key="dlv-sample/dev" part="1" -->\n')).toBe(true);
    expect(parseNoteMarker(note)).toEqual({ key: "dlv-sample/dev", part: 1 });
    expect(parseNoteMarker("a note a human wrote")).toBeUndefined();
  });

  it("folds resource diffs when there are many", () => {
    const few = renderStackNotes(bigPreview(3)).join("");
    const many = renderStackNotes(bigPreview(30)).join("");
    expect(few).toContain("<details open>");
    expect(many).not.toContain("<details open>");
    expect(many.match(/<details>/g)?.length).toBe(30);
  });

  it("splits a long preview into numbered notes within the limit, never inside a block", () => {
    const preview = bigPreview(60);
    const limit = 5_000;
    const notes = renderStackNotes(preview, { maxNoteChars: limit });
    expect(notes.length).toBeGreaterThan(5);
    notes.forEach((note, index) => {
      expect(note.length).toBeLessThanOrEqual(limit);
      expect(parseNoteMarker(note)).toEqual({ key: "socle/prod", part: index + 1 });
      expect(note).toContain(`(part ${index + 1} of ${notes.length})`);
      expect(note.match(/<details/g)?.length ?? 0).toBe(note.match(/<\/details>/g)?.length ?? 0);
      expect((note.match(/```/g)?.length ?? 0) % 2).toBe(0);
    });
    // Every resource shows up exactly once across the parts.
    const all = notes.join("");
    for (let i = 0; i < 60; i++) expect(all.split(`vm-${String(i).padStart(3, "0")}</b>`).length).toBe(2);
    expect(renderStackNotes(preview).length).toBe(1);
  });

  it("replaces a block too large for any note by a pointer to the job log", () => {
    const preview = summarizePreview(
      {
        steps: [step("create", "huge", { newState: { type: "t:m:R", inputs: { blob: "y".repeat(3000) } } })],
      },
      { maxValueChars: 5000 },
    );
    const notes = renderStackNotes(preview, { maxNoteChars: 1500 });
    expect(notes.every((n) => n.length <= 1500)).toBe(true);
    expect(notes.join("")).toContain("does not fit in a note; see the job log");
  });

  it("refuses a limit too small to hold a header", () => {
    expect(() => renderStackNotes(bigPreview(1), { maxNoteChars: 50 })).toThrow(
      /maxNoteChars=50 is too small/,
    );
  });

  it("says when nothing changes and when the preview failed", () => {
    const none = renderStackNotes(
      summarizePreview({ steps: [], changeSummary: { same: 4 } }, { stack: "dev", project: "p" }),
    )[0];
    expect(none).toContain("No changes (4 unchanged).");
    const failed = renderStackNotes(
      summarizePreview(
        { steps: [], diagnostics: [{ severity: "error", message: "boom: missing config socle:region" }] },
        { stack: "dev" },
      ),
    )[0];
    expect(failed).toContain("❌ **The preview failed.**");
    expect(failed).toContain("boom: missing config socle:region");
  });

  it("keeps values from closing the code fence", () => {
    const preview = summarizePreview({
      steps: [
        step("create", "odd", { newState: { type: "t:m:R", inputs: { script: "```\nrm -rf /\n```" } } }),
      ],
    });
    const note = renderStackNotes(preview)[0];
    expect(note).toContain("````diff");
  });
});

describe("a preview whose program threw (real CLI output)", () => {
  const failed = summarizePreview(
    parsePreviewJson(fs.readFileSync(path.join(__dirname, "fixtures", "preview-failed.json"), "utf8")),
  );

  it("reports the failure with the error, without terminal colour codes", () => {
    expect(failed.errors).toHaveLength(1);
    expect(failed.errors[0]).toContain("Error: boom: config socle:region is missing");
    expect(failed.errors[0]).not.toContain("\u001b[");
    const note = renderStackNotes(failed)[0];
    expect(note).toContain("❌ **The preview failed.**");
    expect(note.indexOf("#### Errors")).toBeLessThan(note.indexOf("#### Changes per resource"));
  });
});

describe("the streamed event format (PULUMI_ENABLE_STREAMING_JSON_PREVIEW)", () => {
  const read = (name: string) => fs.readFileSync(path.join(__dirname, "fixtures", name), "utf8");

  it("gives the same summary as the digest of the same change", () => {
    const fromEvents = summarizePreview(parsePreviewOutput(read("preview-mixed.events.jsonl")));
    const fromDigest = summarizePreview(parsePreviewOutput(read("preview-mixed.json")));
    expect(fromEvents.counts).toEqual(fromDigest.counts);
    expect(fromEvents.changes.map((c) => `${c.op} ${c.name}`)).toEqual(
      fromDigest.changes.map((c) => `${c.op} ${c.name}`),
    );
    expect(fromEvents.changes.find((c) => c.name === "repl")?.properties).toEqual(
      fromDigest.changes.find((c) => c.name === "repl")?.properties,
    );
    expect(renderStackNotes(fromEvents).join("")).not.toContain("plainpw");
  });

  it("carries policy violations into the note, mandatory first, without the policy description line", () => {
    const preview = summarizePreview(parsePreviewOutput(read("preview-policy.events.jsonl")));
    expect(preview.policies).toEqual([
      {
        level: "mandatory",
        policy: "switch-reboot-in-window",
        resource: "core-irf-firmware",
        message: expect.stringMatching(
          /^pulumi-nodejs:dynamic:Resource "core-irf-firmware" may reboot the switch/,
        ),
      },
    ]);
    const note = renderStackNotes(preview)[0];
    expect(note).toContain("#### 🛡️ Policies: 1 mandatory, 0 advisory");
    expect(note).toContain("⛔ **mandatory** `switch-reboot-in-window` on **core-irf-firmware**");
    expect(note).toContain("❌ **The preview failed.**");
  });

  it("names the line of a broken event stream", () => {
    expect(() =>
      parsePreviewOutput('{"sequence":1,"timestamp":2}\n{"sequence":2, oops}\n', "dev.json"),
    ).toThrow(/dev\.json line 2 is not JSON/);
  });
});
