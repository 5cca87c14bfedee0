import { accessFor, canActForForceOn } from '../people/access.js';
import type { Attendance, Meeting, Panel, Result } from '../domain/types.js';
import { fail, ok } from '../domain/types.js';
import type { Repos, Store } from '../store/store.js';

export type ForceAnswer = 'confirmed' | 'disputed';

/** What the force's confirm card shows: the meeting, the force and the record it is asked about. */
export interface ConfirmCardModel {
  meeting: Meeting;
  panel: Panel;
  force: { id: string; name: string };
  record: Attendance;
  nominee: { aadObjectId: string; name: string; decisionMaker: boolean } | null;
}

/** The confirm card's model, or null when there is no record for that force at that meeting. */
export async function confirmCardModel(repos: Repos, meetingId: string, forceId: string): Promise<ConfirmCardModel | null> {
  const meeting = await repos.meetings.get(meetingId);
  const panel = meeting && (await repos.directory.getPanel(meeting.panelId));
  const force = await repos.directory.getForce(forceId);
  const [record] = meeting ? (await repos.chairs.attendance([meeting.id])).filter((a) => a.forceId === forceId) : [];
  if (!meeting || !panel || !force || !record) return null;
  const n = await repos.nominations.get(meeting.id, forceId);
  return { meeting, panel, force: { id: force.id, name: force.name }, record, nominee: n && { aadObjectId: n.aadObjectId, name: n.name, decisionMaker: n.decisionMaker } };
}

/**
 * The force's word on the chair's record of its people: the substitutes (or the decision maker it had not
 * confirmed) could, or could not, make decisions on its behalf. Its Prevent leads, their deputies and national
 * leads may answer, and may change their answer; a card made before the chair changed the record is stale.
 * An answer does not change the record's version: it is the force's word on that version.
 */
export async function answerForForce(store: Store, meetingId: string, forceId: string, recordVersion: number, answer: ForceAnswer, actor: string, now: string): Promise<Result<{ record: Attendance; changed: boolean }>> {
  return store.transaction(async (tx) => {
    // The meeting's lock orders this after (or before) a chair's correction: never a confirmation of a record since replaced.
    const meeting = await tx.meetings.getForUpdate(meetingId);
    const [record] = (await tx.chairs.attendance([meetingId])).filter((a) => a.forceId === forceId);
    if (!record) return fail('NOT_FOUND', 'There is no attendance record for that force at that meeting.');
    if (!meeting || !canActForForceOn(await accessFor(tx, actor), forceId, meeting.panelId)) return fail('FORBIDDEN', "Only the force's Prevent leads and deputies (or those of its area that handles this panel) and national leads can confirm or dispute its attendees.");
    if (record.version !== recordVersion) return fail('STALE', "This card was out of date: the chair changed the record after it was sent. Nothing was changed; here is the record as it stands now.");
    if (record.forceConfirmation === 'not-needed') return fail('NOT_NEEDED', 'The record names only the person your force named, so there is nothing to confirm.');
    if (record.forceConfirmation === answer) return ok({ record, changed: false });
    // The record itself is unchanged (its version says what the chair recorded), so every lead's copy of the card stays current.
    const updated: Attendance = { ...record, forceConfirmation: answer, confirmedBy: actor, confirmedAt: now };
    await tx.chairs.saveAttendance(updated);
    await tx.audit.append([
      {
        at: now,
        actor,
        action: answer === 'confirmed' ? 'attendance.confirmed' : 'attendance.disputed',
        subject: { meetingId, forceId },
        details: { previous: record.forceConfirmation, recordVersion: record.version },
      },
    ]);
    return ok({ record: updated, changed: true });
  });
}
