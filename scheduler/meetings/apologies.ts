import { accessFor, canActForForceOn } from '../people/access.js';
import type { Apology, Meeting, OutboxMessage, Panel, Person, Result } from '../domain/types.js';
import { fail, ok } from '../domain/types.js';
import type { Repos, Store } from '../store/store.js';
import { panelConversation } from './attendance.js';
import { asksForce } from './invitations.js';
import { apologiesNotices } from './notices.js';

/**
 * Apologies in advance for a force at a meeting that is still to come: from the person named to attend or
 * from the force's leads (deputies and national leads too), perhaps offering a substitute. The chair's
 * attendance card then shows them, the chair's Teams channel is told, and each chair personally. Sending them again replaces them.
 */
export async function sendApologies(store: Store, meetingId: string, forceId: string, substitute: Person | null, actor: Person, now: string): Promise<Result<{ apology: Apology; meeting: Meeting; changed: boolean }>> {
  return store.transaction(async (tx) => {
    const meeting = await tx.meetings.getForUpdate(meetingId);
    const panel = meeting && (await tx.directory.getPanel(meeting.panelId));
    if (!meeting || !panel || !(await asksForce(tx, meeting, panel, forceId))) return fail('NOT_FOUND', 'That meeting or force is not known to this bot.');
    const nominee = await tx.nominations.get(meeting.id, forceId);
    if (nominee?.aadObjectId !== actor.aadObjectId && !canActForForceOn(await accessFor(tx, actor.aadObjectId), forceId, meeting.panelId)) {
      return fail('FORBIDDEN', "Only the person named to attend, the force's Prevent leads and deputies (or those of its area that handles this panel) and national leads can send its apologies.");
    }
    if (meeting.status !== 'scheduled' || meeting.start <= now) return fail('STALE', 'Apologies are sent before a meeting; this one has started, ended or was cancelled.');
    if (substitute && substitute.aadObjectId === actor.aadObjectId) return fail('INVALID', 'A substitute is someone else who could attend instead.');
    const [previous] = (await tx.chairs.apologies([meeting.id])).filter((a) => a.forceId === forceId);
    if (previous && previous.sentBy.aadObjectId === actor.aadObjectId && previous.substitute?.aadObjectId === substitute?.aadObjectId) return ok({ apology: previous, meeting, changed: false });
    const apology: Apology = { meetingId: meeting.id, forceId, sentBy: actor, substitute, sentAt: now };
    await tx.chairs.saveApology(apology);
    // A meeting someone has acted on is no longer the planner's to move or drop (its apologies would be orphaned).
    if (!meeting.locked) await tx.meetings.update({ ...meeting, locked: true }, now);
    await tx.outbox.enqueue(await tellChair(tx, meeting, forceId, panel, actor.aadObjectId, now));
    // Last: on PostgreSQL appending takes the lock that chains every instance's entries, held until the commit.
    await tx.audit.append([
      { at: now, actor: actor.aadObjectId, action: 'apologies.sent', subject: { meetingId: meeting.id, forceId, panelId: panel.id }, details: { sentBy: actor, substitute } },
    ]);
    return ok({ apology, meeting, changed: true });
  });
}

/** The note in the chair's linked conversation, and each chair told personally (but not twice in the same chat). */
async function tellChair(tx: Repos, meeting: Meeting, forceId: string, panel: Panel, sentBy: string, now: string): Promise<OutboxMessage[]> {
  const conversationId = await panelConversation(tx, panel);
  const personal = await apologiesNotices(tx, meeting, panel, forceId, conversationId, now);
  if (!conversationId) return personal;
  return [{
    id: `apologies:${meeting.id}:${forceId}:${now}:${sentBy}`, kind: 'apologies', conversationId, meetingId: meeting.id, forceId, cardId: null, personAadObjectId: null,
    status: 'pending', attempts: 0, nextAttemptAt: now, activityId: null, lastError: null, createdAt: now,
  }, ...personal];
}
