import { accessFor, canActForPanel } from '../people/access.js';
import type { Force, Meeting, Panel, Result } from '../domain/types.js';
import { fail, ok } from '../domain/types.js';
import type { Repos, Store } from '../store/store.js';

/** The forces asked to a meeting: the panel's own, then any invited to this meeting alone. */
export async function meetingForceIds(repos: Repos, meeting: Pick<Meeting, 'id'>, panel: Pick<Panel, 'forces'>): Promise<string[]> {
  const invited = (await repos.chairs.invitations([meeting.id])).map((i) => i.forceId);
  return [...panel.forces, ...invited.filter((f) => !panel.forces.includes(f))];
}

/** Whether a force is asked to the meeting (a panel force, or invited to it). */
export async function asksForce(repos: Pick<Repos, 'chairs'>, meeting: Pick<Meeting, 'id'>, panel: Pick<Panel, 'forces'>, forceId: string): Promise<boolean> {
  return panel.forces.includes(forceId) || (await repos.chairs.invitations([meeting.id])).some((i) => i.forceId === forceId);
}

/**
 * Invites a force that does not face the panel to one meeting (British Transport Police, a neighbouring force
 * for a cross-border case). It is asked to name an attendee for that meeting only, and is never counted
 * absent from the panel's others. Inviting it again changes nothing.
 */
export async function inviteForce(store: Store, meetingId: string, forceId: string, actor: string, now: string): Promise<Result<{ meeting: Meeting; panel: Panel; force: Force; changed: boolean }>> {
  return store.transaction(async (tx) => {
    const meeting = await tx.meetings.getForUpdate(meetingId);
    const panel = meeting && (await tx.directory.getPanel(meeting.panelId));
    if (!meeting || !panel) return fail('NOT_FOUND', 'That meeting is not known to this bot.');
    if (!canActForPanel(await accessFor(tx, actor), panel.id)) return fail('FORBIDDEN', `Only the chairs of ${panel.name} or a national lead can invite a force to its meetings.`);
    const force = await tx.directory.getForce(forceId);
    if (!force || force.retired) return fail('NOT_FOUND', 'That force is not known to this bot.');
    if (panel.forces.includes(force.id)) return fail('INVALID', `${force.name} already faces ${panel.name}, so it is asked to every meeting.`);
    if (meeting.status === 'cancelled') return fail('CANCELLED', 'That meeting was cancelled.');
    if ((await tx.chairs.invitations([meeting.id])).some((i) => i.forceId === force.id)) return ok({ meeting, panel, force, changed: false });
    await tx.chairs.saveInvitation({ meetingId: meeting.id, forceId: force.id, invitedBy: actor, invitedAt: now });
    // The meeting's feeds gain an attendee line, so its version rises; a person has acted on it, so it is locked.
    const updated: Meeting = { ...meeting, version: meeting.version + 1, locked: true };
    await tx.meetings.update(updated, now);
    await tx.audit.append([{ at: now, actor, action: 'meeting.force-invited', subject: { meetingId: meeting.id, panelId: panel.id, forceId: force.id }, details: { version: updated.version } }]);
    return ok({ meeting: updated, panel, force, changed: true });
  });
}
