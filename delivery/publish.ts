// Puts a stack's rendered notes on the merge request: updates the notes an
// earlier pipeline wrote (found by their hidden marker) instead of stacking new
// ones, creates missing parts, deletes parts a shorter preview no longer needs.
import { markerKey, parseNoteMarker } from "./renderNote";
import type { Note } from "./gitlab";

/** The note operations publishing needs; MergeRequestNotes implements them. */
export interface NotesApi {
  /** Every note of the merge request. */
  list(): Promise<Note[]>;
  /** Adds a note. */
  create(body: string): Promise<Note>;
  /** Replaces the body of a note. */
  update(noteId: number, body: string): Promise<Note>;
  /** Deletes a note. */
  remove(noteId: number): Promise<void>;
}

/** What publishing one stack's notes did, in number of notes. */
export interface PublishOutcome {
  /** The stack's note key. */
  key: string;
  /** Parts posted as new notes. */
  created: number;
  /** Existing notes whose body changed. */
  updated: number;
  /** Existing notes left as they were (same body). */
  unchanged: number;
  /** Notes of parts a shorter preview no longer needs, deleted. */
  removed: number;
}

/** Publishes the parts of one stack's note; `existing` avoids listing notes once per stack. */
export async function publishStackNotes(
  api: NotesApi,
  key: string,
  parts: string[],
  existing?: Note[],
): Promise<PublishOutcome> {
  const notes = existing ?? (await api.list());
  // The marker holds the key as markerKey wrote it, not the key itself.
  const wanted = markerKey(key);
  const mine = new Map<number, Note>();
  for (const note of notes) {
    if (note.system) continue;
    const marker = parseNoteMarker(note.body);
    // Keep the oldest note per part: its position in the discussion is the expected one.
    if (marker && marker.key === wanted && !mine.has(marker.part)) mine.set(marker.part, note);
  }
  const outcome: PublishOutcome = { key, created: 0, updated: 0, unchanged: 0, removed: 0 };
  for (const [index, body] of parts.entries()) {
    const previous = mine.get(index + 1);
    if (!previous) {
      await api.create(body);
      outcome.created++;
    } else if (previous.body.trim() === body.trim()) {
      outcome.unchanged++;
    } else {
      await api.update(previous.id, body);
      outcome.updated++;
    }
  }
  for (const [part, note] of mine) {
    if (part > parts.length) {
      await api.remove(note.id);
      outcome.removed++;
    }
  }
  return outcome;
}
