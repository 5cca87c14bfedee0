import { offerList } from '../domain/closest.js';
import { AAD_OBJECT_ID } from '../domain/ids.js';
import { echo } from '../domain/text.js';
import type { Meeting, Panel, Result } from '../domain/types.js';
import { fail, ok } from '../domain/types.js';
import { accessFor, canActForForceOn, canActForPanel, type Access, type CallerTenant } from '../people/access.js';
import type { Repos, Store } from '../store/store.js';
import { teamFor } from '../domain/areas.js';
import { attendanceMessage, panelConversation } from './attendance.js';
import type { MeetingPresenceRepo, TeamsMeetingLink } from './meeting-presence-repo.js';

/**
 * A panel meeting held in Teams (issue 20): a chair or lead links the Teams meeting to the panel from its chat, and
 * the meeting's events then say which panel meeting it is (at its start), who the bot knows joined and left, and when
 * it ended (the chair's attendance card is queued then). What Teams reports is kept as a suggestion for the chair,
 * never as evidence: nothing is audited but the link, and the rows go once the chair records attendance.
 */

/** How far a Teams meeting's start may be from a panel meeting's planned start for it to be that meeting. */
const NEAR_MS = 12 * 3_600_000;
/** Join times of a meeting whose attendance is never recorded are not kept for ever: this long at most. */
export const PRESENCE_DAYS = 30;

/** The Teams meeting an event or a message came from: Teams' meeting id (channelData.meeting.id) and its chat. */
export interface TeamsMeetingRef {
  teamsMeetingId: string;
  conversationId: string;
}

/** Who may link a Teams meeting to a panel: its chairs, the leads, deputies and area teams of a force it faces, national leads. */
const mayLink = (a: Access, panel: Panel) => canActForPanel(a, panel.id) || panel.forces.some((f) => canActForForceOn(a, f, panel.id));

/**
 * `link meeting <panel id>` in a Teams meeting's chat: the meeting's events from now on are about that panel. A panel
 * that does not exist and one the person may not link get the same answer, naming only what they may link.
 */
export async function linkMeeting(store: Store, panelId: string, ref: TeamsMeetingRef, actor: string, who: CallerTenant | undefined, now: string): Promise<Result<{ name: string }>> {
  return store.transaction(async (tx) => {
    const access = await accessFor(tx, actor, who);
    const panel = await tx.directory.getPanel(panelId);
    if (!panel || panel.retired || !mayLink(access, panel) || !tx.meetingPresence) return fail('NOT_FOUND', await unknownPanel(tx, access, panelId));
    await tx.meetingPresence.link({ ...ref, panelId, linkedBy: actor, linkedAt: now });
    await tx.audit.append([{ at: now, actor, action: 'meeting.linked', subject: { panelId, conversationId: ref.conversationId }, details: {} }]);
    return ok({ name: panel.name });
  });
}

/** As `link panel` answers a panel the person may not link (presence.ts): what they may link, nearest to what they typed. */
async function unknownPanel(tx: Repos, access: Access, typed: string): Promise<string> {
  const mine = (await tx.directory.listPanels()).filter((p) => mayLink(access, p));
  const offered = offerList(typed, mine, 'link meeting');
  const why = typed ? `There is no panel "${echo(typed)}" that you can link.` : 'Say which panel this Teams meeting is for.';
  return `${why}${offered ? ` Panels you can link: ${offered}.` : ' Type `panels` for the meetings you are involved in.'}`;
}

/** The panel's meeting (not cancelled, not yet recorded) whose planned start is nearest the instant, within NEAR_MS. */
async function nearestMeeting(tx: Repos, panelId: string, at: string): Promise<Meeting | null> {
  const t = Date.parse(at);
  const from = new Date(t - NEAR_MS).toISOString();
  const to = new Date(t + NEAR_MS + 1).toISOString();
  const near = await tx.meetings.list({ panelIds: [panelId], from, to, statuses: ['scheduled'] });
  const distance = (m: Meeting) => Math.abs(Date.parse(m.start) - t);
  return near.sort((a, b) => distance(a) - distance(b) || a.id.localeCompare(b.id))[0] ?? null;
}

/**
 * The link of a Teams meeting, with the repository; null for a meeting nobody linked, and for an event from any chat
 * but the one it was linked in (an event naming a linked meeting's id from elsewhere changes nothing).
 */
async function linked(tx: Repos, ref: TeamsMeetingRef): Promise<{ repo: MeetingPresenceRepo; link: TeamsMeetingLink } | null> {
  const repo = tx.meetingPresence;
  const link = repo ? await repo.linkOf(ref.teamsMeetingId) : null;
  return repo && link && link.conversationId === ref.conversationId ? { repo, link } : null;
}

/**
 * The meeting started: it is for the panel's meeting planned nearest its start (Teams' StartTime, else now). Returns
 * that meeting's id, or null (not linked, or no panel meeting near). Join times older than PRESENCE_DAYS go too.
 */
export async function meetingStarted(store: Store, ref: TeamsMeetingRef, startTime: string | null, now: string): Promise<string | null> {
  const { teamsMeetingId } = ref;
  return store.transaction(async (tx) => {
    const found = await linked(tx, ref);
    if (!found) return null;
    const meeting = await nearestMeeting(tx, found.link.panelId, startTime ?? now);
    await found.repo.setMeeting(teamsMeetingId, meeting?.id ?? null);
    await found.repo.forgetBefore(new Date(Date.parse(now) - PRESENCE_DAYS * 86_400_000).toISOString());
    return meeting?.id ?? null;
  });
}

/**
 * Whether the chair's card could show this person for one of the meeting's forces: its leads and deputies (and its
 * area's team for the panel), its nominee, or a substitute it offered. Nobody else's join is ever stored.
 */
async function knows(tx: Repos, meeting: Meeting, aadObjectId: string): Promise<boolean> {
  if ((await tx.nominations.listForMeetings([meeting.id])).some((n) => n.aadObjectId.toLowerCase() === aadObjectId)) return true;
  if ((await tx.chairs.apologies([meeting.id])).some((a) => a.substitute?.aadObjectId.toLowerCase() === aadObjectId)) return true;
  const panel = await tx.directory.getPanel(meeting.panelId);
  const forceIds = [...(panel?.forces ?? []), ...(await tx.chairs.invitations([meeting.id])).map((i) => i.forceId)];
  for (const forceId of new Set(forceIds)) {
    const force = await tx.directory.getForce(forceId);
    if (force && teamFor(force, meeting.panelId).some((p) => p.aadObjectId.toLowerCase() === aadObjectId)) return true;
  }
  return false;
}

/**
 * People joined or left the Teams meeting: the stays of those the bot knows are kept against its panel meeting
 * (found now, when the start was missed); everyone else is passed over. Returns how many were the bot's to keep.
 */
export async function participantsChanged(store: Store, ref: TeamsMeetingRef, change: 'joined' | 'left', aadObjectIds: readonly string[], now: string): Promise<number> {
  const { teamsMeetingId } = ref;
  return store.transaction(async (tx) => {
    const found = await linked(tx, ref);
    if (!found) return 0;
    let meetingId = found.link.meetingId;
    // A recurring Teams meeting keeps its id: a panel meeting far from now is an earlier occurrence's, not this one's.
    const current = meetingId ? await tx.meetings.get(meetingId) : null;
    if (current && Math.abs(Date.parse(current.start) - Date.parse(now)) > NEAR_MS) meetingId = null;
    if (!meetingId) {
      meetingId = (await nearestMeeting(tx, found.link.panelId, now))?.id ?? null;
      if (!meetingId) return 0;
      await found.repo.setMeeting(teamsMeetingId, meetingId);
    }
    const meeting = await tx.meetings.get(meetingId);
    if (!meeting || meeting.status !== 'scheduled') return 0;
    let kept = 0;
    for (const id of new Set(aadObjectIds.map((a) => a.toLowerCase()).filter((a) => AAD_OBJECT_ID.test(a)))) {
      // A leave touches only a stay already kept, so it needs no look-up: nobody unknown has one.
      if (change === 'left') await found.repo.left(meeting.id, id, now);
      else if (await knows(tx, meeting, id)) await found.repo.joined(meeting.id, id, now);
      else continue;
      kept++;
    }
    return kept;
  });
}

/**
 * The meeting ended: every stay still open ends now, and the chair's attendance card for the panel meeting is queued
 * (the one the scheduler queues after the planned end: the same id, so never twice) to the panel's conversation, or
 * this meeting's chat when the panel has none. Returns the ids queued (empty when it was queued already).
 */
export async function meetingEnded(store: Store, ref: TeamsMeetingRef, now: string): Promise<string[]> {
  return store.transaction(async (tx) => {
    await tx.exclusive('outbox');
    const found = await linked(tx, ref);
    const meetingId = found?.link.meetingId;
    if (!found || !meetingId) return [];
    await found.repo.closeAll(meetingId, now);
    // The next occurrence of a recurring Teams meeting finds its own panel meeting.
    await found.repo.setMeeting(ref.teamsMeetingId, null);
    const meeting = await tx.meetings.get(meetingId);
    const panel = meeting && (await tx.directory.getPanel(meeting.panelId));
    if (!meeting || meeting.status !== 'scheduled' || !panel || panel.retired) return [];
    const conversationId = (await panelConversation(tx, panel)) ?? ((await tx.teams.getConversation(found.link.conversationId)) ? found.link.conversationId : null);
    return conversationId ? tx.outbox.enqueue([attendanceMessage(meeting, conversationId, now)]) : [];
  });
}
