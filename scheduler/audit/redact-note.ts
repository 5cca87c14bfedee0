import { characters, noteText } from '../domain/text.js';
import type { AuditEntry, Result } from '../domain/types.js';
import { fail, ok } from '../domain/types.js';
import { queueCardUpdates } from '../nominations/card-messages.js';
import type { Repos, Store } from '../store/store.js';

/** What `redact note` is asked: the meeting, and why its note is erased (recorded in the audit log). */
export interface RedactNoteInput {
  meetingId: string;
  why: string;
}

/** What was erased: the audit entries whose details held the note, and the entry that records the erasure. */
export interface NoteRedaction {
  meetingId: string;
  panelName: string;
  erased: number[];
  entry: number;
}

const WHY_MIN = 3;
const WHY_MAX = 200;

/**
 * Erases a cancellation's note (`panel-bot redact note`): from the cancellations row, and from the details of the
 * audit entries that carried it (the chain keeps their hashes, so it still verifies). One new entry records the
 * erasure, the cancellation's reason, why, and which entries it erased; the force cards then say "(note removed)".
 */
export async function redactNote(store: Store, input: RedactNoteInput, actor: string, now: string): Promise<Result<NoteRedaction>> {
  const why = noteText(input.why);
  if (characters(why) < WHY_MIN || characters(why) > WHY_MAX) return fail('INVALID', `give the reason for erasing the note in ${WHY_MIN} to ${WHY_MAX} characters (--reason TEXT); it is kept in the audit log`);
  return store.transaction(async (tx) => {
    const meeting = await tx.meetings.getForUpdate(input.meetingId);
    const panel = meeting && (await tx.directory.getPanel(meeting.panelId));
    if (!meeting || !panel) return fail('NOT_FOUND', `no meeting "${input.meetingId}" is known to this bot`);
    const [c] = await tx.chairs.cancellations([meeting.id]);
    if (!c) return fail('NOT_CANCELLED', `${panel.name}'s meeting ${meeting.id} was not cancelled, so it has no cancellation note`);
    if (c.noteRedactedAt) return fail('ALREADY_REMOVED', `the note on ${meeting.id} was already removed, at ${c.noteRedactedAt}; there is nothing left to erase`);
    if (!c.note) return fail('NO_NOTE', `${meeting.id} was cancelled without a note: there is nothing to erase`);
    const erased = await tx.audit.erase(await noteEntries(tx, meeting.id));
    await tx.chairs.redactNote(meeting.id, now);
    const [entry] = await tx.audit.appendNow([
      { at: now, actor, action: 'cancellation.note-redacted', subject: { meetingId: meeting.id, panelId: panel.id }, details: { reason: c.reason, why, erased } },
    ]);
    await queueCardUpdates(tx, meeting.id, 'note-redacted', now);
    return ok({ meetingId: meeting.id, panelName: panel.name, erased, entry: entry!.seq });
  });
}

/**
 * The meeting's entries whose standing details carry a note: its cancellation (a meeting is cancelled once, so
 * there is one). Read one by one, each by its seq: a meeting has a few dozen entries, and the log has no other
 * way to read an entry than by position.
 */
async function noteEntries(tx: Repos, meetingId: string): Promise<number[]> {
  const found: number[] = [];
  for (const seq of await tx.audit.erasable({ meetingIds: [meetingId] })) {
    const [e] = await tx.audit.page(seq - 1, 1);
    if (e && e.seq === seq && carriesNote(e)) found.push(seq);
  }
  return found;
}

const carriesNote = (e: AuditEntry): boolean => e.action === 'meeting.cancelled' && typeof e.details?.note === 'string' && e.details.note !== '';
