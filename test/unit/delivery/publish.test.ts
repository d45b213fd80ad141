// Publishing a stack's notes twice updates the first note in place, whatever
// characters the stack key holds (the marker rewrites `"` and `--`).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  MergeRequestNotes,
  markerKey,
  noteMarker,
  parseNoteMarker,
  publishStackNotes,
  renderStackNotes,
  summarizePreview,
} from "../../../delivery";
import { startFakeGitLab, type FakeGitLab } from "../../delivery/fakeGitLab";

let gitlab: FakeGitLab;
let api: MergeRequestNotes;

beforeAll(async () => {
  gitlab = await startFakeGitLab("42", "7");
  api = new MergeRequestNotes(
    {
      apiUrl: gitlab.apiUrl,
      projectId: "42",
      mergeRequestIid: "7",
      tokenHeader: "PRIVATE-TOKEN",
      token: "glpat-test-secret",
      tokenSource: "SOCLE_GITLAB_TOKEN",
    },
    { baseDelayMs: 1 },
  );
});

afterAll(async () => {
  await gitlab.close();
});

/** The notes of a preview creating `count` resources, under the given key. */
function notesFor(key: string, count: number): string[] {
  const steps = Array.from({ length: count }, (_, i) => ({
    op: "create",
    urn: `urn:pulumi:prod::socle::t:m:R::vm-${i}`,
  }));
  return renderStackNotes(summarizePreview({ steps }, { key }));
}

describe("publishing notes", () => {
  it("writes a marker that is a valid HTML comment and reads back as markerKey", () => {
    const key = 'ops/"prod---eu"';
    const marker = noteMarker(key, 1);
    expect(marker).toBe(`<!-- socle-preview key="ops/'prod-eu'" part="1" -->`);
    expect(marker.slice(4, -3)).not.toContain("--");
    expect(parseNoteMarker(marker)?.key).toBe(markerKey(key));
  });

  it('updates in place the note of a key holding "--" and a quote', async () => {
    const key = 'dlv-sample/"prod--eu"';
    const first = await publishStackNotes(api, key, notesFor(key, 1));
    expect(first).toMatchObject({ created: 1, updated: 0, unchanged: 0, removed: 0 });
    const noteId = gitlab.notes[0].id;

    const second = await publishStackNotes(api, key, notesFor(key, 2));
    expect(second).toMatchObject({ created: 0, updated: 1, unchanged: 0, removed: 0 });
    expect(gitlab.notes).toHaveLength(1);
    expect(gitlab.notes[0].id).toBe(noteId);
    expect(gitlab.notes[0].body).toContain("vm-1");

    const third = await publishStackNotes(api, key, notesFor(key, 2));
    expect(third).toMatchObject({ created: 0, updated: 0, unchanged: 1, removed: 0 });
    expect(gitlab.calls.filter((c) => c.method === "POST")).toHaveLength(1);
  });
});
