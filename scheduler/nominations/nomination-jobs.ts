import { addDays, addWorkingDays } from '../domain/calendar-days.js';
import type { NewAuditEntry } from '../domain/audit-chain.js';
import { localDate } from '../domain/timetable.js';
import type { Force, Meeting, OutboxMessage } from '../domain/types.js';
import { areaOfPanel, leadsFor } from '../domain/areas.js';
import { cardMessageId, currentCard, nextCardId } from './card-messages.js';
import type { Repos, Store } from '../store/store.js';

/** Working days before a meeting: when the card goes out, when it is reminded, when leads are told personally. */
export interface NominationTimings {
  leadWorkingDays: number;
  reminderWorkingDays: number;
  escalationWorkingDays: number;
}

export const DEFAULT_TIMINGS: NominationTimings = { leadWorkingDays: 10, reminderWorkingDays: 5, escalationWorkingDays: 2 };

/** The conversation a force's cards go to: a `link force` wins over the config's teamsChannelId. */
export async function forceConversation(repos: Repos, force: Force): Promise<string | null> {
  const linked = await repos.teams.linkedConversation('force', force.id);
  const id = linked ?? force.teamsChannelId;
  return id && (await repos.teams.getConversation(id)) ? id : null;
}

/**
 * Where a force's messages about one panel go: the Teams conversation linked to the force's area that covers the
 * panel, else the force's own (forceConversation). A force without areas, or an area not linked yet, is the force's.
 */
export async function panelConversation(repos: Repos, force: Force, panelId: string): Promise<string | null> {
  const area = areaOfPanel(force, panelId);
  const linked = area ? await repos.teams.linkedConversation('area', area.id) : null;
  if (linked && (await repos.teams.getConversation(linked))) return linked;
  return forceConversation(repos, force);
}

/** The conversations the force's areas are linked to (the bot may have left some). */
async function areaChannels(repos: Repos, force: Force): Promise<string[]> {
  const ids = await Promise.all((force.areas ?? []).map((a) => repos.teams.linkedConversation('area', a.id)));
  return ids.filter((id): id is string => !!id);
}

/** True from `days` working days before the meeting's local date. */
const from = (meeting: Meeting, days: number, today: string) => today >= addWorkingDays(localDate(meeting.start), -days);

/**
 * Queues what is due at `now` for every upcoming meeting: a card per force asked to it (the panel's, and any
 * invited to that meeting), a reminder in its thread, and a personal message to each Prevent lead. Idempotent:
 * the outbox ids are the keys, so a second run for the same instant queues nothing new.
 */
export async function queueNominationWork(store: Store, now: string, t: NominationTimings = DEFAULT_TIMINGS): Promise<string[]> {
  return store.transaction(async (tx) => {
    await tx.exclusive('outbox');
    const today = localDate(now);
    // Far enough ahead to cover the lead time across holidays.
    const horizon = `${addDays(today, t.leadWorkingDays * 2 + 14)}T23:59:59.999Z`;
    const meetings = await tx.meetings.list({ from: now, to: horizon, statuses: ['scheduled'] });
    const panels = new Map((await tx.directory.listPanels()).map((p) => [p.id, p]));
    const forces = new Map((await tx.directory.listForces()).map((f) => [f.id, f]));
    const due = meetings.filter((m) => panels.has(m.panelId) && from(m, t.leadWorkingDays, today));
    const invited = await invitedForces(tx, due.map((m) => m.id));
    const wanted: OutboxMessage[] = [];
    for (const m of due) {
      const panel = panels.get(m.panelId)!;
      // A force invited to one meeting is asked about that meeting only, never about the panel's others.
      const forceIds = [...panel.forces, ...(invited.get(m.id) ?? []).filter((f) => !panel.forces.includes(f))];
      for (const f of forceIds) {
        const force = forces.get(f);
        if (force) wanted.push(...(await dueFor(tx, m, force, today, now, t)));
      }
    }
    const added = await tx.outbox.enqueue(wanted);
    // Once a force has been asked, the meeting is no longer the planner's to move or drop: only a chair can.
    const asked = wanted.filter((w) => w.kind === 'card' && added.includes(w.id)).map((w) => w.meetingId);
    await tx.meetings.markLocked([...new Set(asked)], now);
    await tx.audit.append(auditFor(wanted.filter((w) => added.includes(w.id)), now));
    return added;
  });
}

/** The forces invited to each of the meetings, by meeting id, read once for them all. */
async function invitedForces(tx: Repos, meetingIds: string[]): Promise<Map<string, string[]>> {
  const byMeeting = new Map<string, string[]>();
  if (!meetingIds.length) return byMeeting;
  for (const i of await tx.chairs.invitations(meetingIds)) byMeeting.set(i.meetingId, [...(byMeeting.get(i.meetingId) ?? []), i.forceId]);
  return byMeeting;
}

async function dueFor(tx: Repos, m: Meeting, force: Force, today: string, now: string, t: NominationTimings): Promise<OutboxMessage[]> {
  const base = { meetingId: m.id, forceId: force.id, status: 'pending' as const, attempts: 0, nextAttemptAt: now, activityId: null, lastError: null, createdAt: now };
  const out: OutboxMessage[] = [];
  const posted = await currentCard(tx, m.id, force.id);
  const route = await panelConversation(tx, force, m.panelId);
  let cardId = posted?.id ?? cardMessageId(m.id, force.id);
  let conversation = posted?.conversationId ?? route;
  if (posted && route && route !== posted.conversationId) {
    if (posted.status === 'failed') {
      // Never delivered (the bot was removed from that conversation, say): posted afresh where the force's team is now.
      cardId = nextCardId(m.id, force.id, posted.id);
      conversation = route;
    } else if (posted.status !== 'skipped' && (await areaChannels(tx, force)).some((c) => c === route || c === posted.conversationId)) {
      // The panel moved to another area (or out of one): its card is posted afresh where its team is now, and the one
      // left behind is updated to say where it went, so nobody answers it there (one not posted yet is never posted).
      // A force that only re-linked its own conversation keeps its cards where they are, as before areas.
      cardId = nextCardId(m.id, force.id, posted.id);
      conversation = route;
      out.push({ ...base, id: `card-moved:${posted.id.slice('card:'.length)}`, kind: 'card-moved', conversationId: posted.conversationId, cardId: posted.id, personAadObjectId: null });
    }
  }
  if (conversation) out.push({ ...base, id: cardId, kind: 'card', conversationId: conversation, cardId: null, personAadObjectId: null });
  if (await tx.nominations.get(m.id, force.id)) return out;
  if (conversation && from(m, t.reminderWorkingDays, today)) {
    out.push({ ...base, id: `reminder:${m.id}:${force.id}`, kind: 'reminder', conversationId: conversation, cardId, personAadObjectId: null });
  }
  if (from(m, t.escalationWorkingDays, today)) {
    // The area's leads first (the panel is theirs), and the force's leads as well.
    for (const lead of leadsFor(force, m.panelId)) {
      const personal = await tx.teams.personalConversation(lead.aadObjectId);
      if (!personal) continue;
      out.push({ ...base, id: `escalation:${m.id}:${force.id}:${lead.aadObjectId}`, kind: 'escalation', conversationId: personal.id, cardId: null, personAadObjectId: lead.aadObjectId });
    }
  }
  return out;
}

const ACTIONS: Partial<Record<OutboxMessage['kind'], string>> = {
  card: 'nomination.requested',
  reminder: 'nomination.reminded',
  escalation: 'nomination.escalated',
};

function auditFor(added: OutboxMessage[], now: string): NewAuditEntry[] {
  return added.flatMap((m) => {
    const action = ACTIONS[m.kind];
    if (!action) return [];
    const subject: Record<string, string> = { meetingId: m.meetingId, forceId: m.forceId, conversationId: m.conversationId };
    if (m.personAadObjectId) subject.personAadObjectId = m.personAadObjectId;
    return [{ at: now, actor: 'system', action, subject, details: {} }];
  });
}

