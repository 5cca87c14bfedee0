import type { Force, Meeting, Nomination, OutboxKind, OutboxMessage, Panel } from '../domain/types.js';
import type { Repos } from '../store/store.js';

// Personal messages to the people a change affects, queued in the change's own transaction. Each goes only where
// the bot has a personal chat with the person (they have spoken to it); anyone else is told nothing, and nothing
// fails. The ids are the idempotency keys: each names the change (a nomination or meeting version, an apology's
// time) and the person, so a repeated press or a retry queues nothing twice. What each says is rendered from the
// store when it is sent (bot/outbox-plan.ts), so a message a later change made untrue is dropped, not sent.

type Personal = { id: string; kind: OutboxKind; meetingId: string; forceId: string; person: string };

/** The message to `person`'s personal chat, or none when the bot has no personal chat with them. */
async function toPerson(tx: Repos, p: Personal, now: string): Promise<OutboxMessage[]> {
  const chat = await tx.teams.personalConversation(p.person);
  if (!chat) return [];
  return [{
    id: p.id, kind: p.kind, conversationId: chat.id, meetingId: p.meetingId, forceId: p.forceId, cardId: null, personAadObjectId: p.person,
    status: 'pending', attempts: 0, nextAttemptAt: now, activityId: null, lastError: null, createdAt: now,
  }];
}

const each = async (tx: Repos, ps: Personal[], now: string) => (await Promise.all(ps.map((p) => toPerson(tx, p, now)))).flat();

/** The version a notice was queued for, from its id (`<kind>:<meeting>:<force>:v<n>…`); null when it carries none. */
export function noticeVersion(m: Pick<OutboxMessage, 'id' | 'kind' | 'meetingId' | 'forceId'>): number | null {
  const prefix = `${m.kind}:${m.meetingId}:${m.forceId}:v`;
  const n = m.id.startsWith(prefix) ? /^\d+/.exec(m.id.slice(prefix.length)) : null;
  return n ? Number(n[0]) : null;
}

/** The nominee a new nomination replaced: told once, for this version of the nomination. */
export function replacedNotices(tx: Repos, previous: Nomination, next: Nomination, now: string): Promise<OutboxMessage[]> {
  const id = `replaced-notice:${next.meetingId}:${next.forceId}:v${next.version}`;
  return each(tx, [{ id, kind: 'replaced-notice', meetingId: next.meetingId, forceId: next.forceId, person: previous.aadObjectId }], now);
}

/** Every nominee of a cancelled meeting (none where nobody is named: the force's card changes in place). */
export async function cancelNotices(tx: Repos, cancelled: Meeting, now: string): Promise<OutboxMessage[]> {
  const named = await tx.nominations.listForMeetings([cancelled.id]);
  return each(tx, named.map((n) => ({ id: `cancel-notice:${cancelled.id}:${n.forceId}:v${cancelled.version}`, kind: 'cancel-notice', meetingId: cancelled.id, forceId: n.forceId, person: n.aadObjectId })), now);
}

/** Where a move notice says the meeting was: the start before the move, kept at the end of its id. */
export const movedFrom = (m: Pick<OutboxMessage, 'id'>): string | null => {
  const at = m.id.indexOf(':from:');
  return at < 0 ? null : m.id.slice(at + ':from:'.length);
};

/**
 * Every nominee of a moved meeting (the nomination carries over). The id keeps the start the nominee last heard
 * of: the one before this move, or, when an earlier move's notice to them has not gone yet, the one before that
 * move (that notice is then dropped as superseded, so they hear once, from where they knew it to where it is).
 */
export async function moveNotices(tx: Repos, moved: Meeting, previousStart: string, now: string): Promise<OutboxMessage[]> {
  const unsent = (await tx.outbox.list({ meetingId: moved.id, status: 'pending' })).filter((m) => m.kind === 'move-notice');
  const named = await tx.nominations.listForMeetings([moved.id]);
  return each(tx, named.map((n) => {
    const earlier = unsent.filter((m) => m.forceId === n.forceId && m.personAadObjectId === n.aadObjectId).sort((a, b) => (noticeVersion(a) ?? 0) - (noticeVersion(b) ?? 0))[0];
    const from = (earlier && movedFrom(earlier)) ?? previousStart;
    return { id: `move-notice:${moved.id}:${n.forceId}:v${moved.version}:from:${from}`, kind: 'move-notice', meetingId: moved.id, forceId: n.forceId, person: n.aadObjectId };
  }), now);
}

/** Each Prevent lead and deputy of the panel's forces, of a meeting added to come (their card follows at the usual time). */
export async function addedNotices(tx: Repos, added: Meeting, panel: Panel, now: string): Promise<OutboxMessage[]> {
  if (added.start <= now) return [];
  const people: Personal[] = [];
  for (const forceId of panel.forces) {
    const force = await tx.directory.getForce(forceId);
    if (!force || force.retired) continue;
    const ids = new Set([...force.preventLeads, ...force.deputies].map((p) => p.aadObjectId));
    for (const person of ids) people.push({ id: `added-notice:${added.id}:${force.id}:${person}`, kind: 'added-notice', meetingId: added.id, forceId: force.id, person });
  }
  return each(tx, people, now);
}

/**
 * Each chair of the panel, of apologies a force sent (at `now`, which names them). A chair whose personal chat is
 * the panel's linked conversation already gets the note there, so is not told twice.
 */
export async function apologiesNotices(tx: Repos, meeting: Meeting, panel: Panel, forceId: string, noteConversation: string | null, now: string): Promise<OutboxMessage[]> {
  const chairs = panel.chairs.map((c) => ({ id: `apologies-notice:${meeting.id}:${forceId}:${now}:${c.aadObjectId}`, kind: 'apologies-notice' as const, meetingId: meeting.id, forceId, person: c.aadObjectId }));
  return (await each(tx, chairs, now)).filter((m) => m.conversationId !== noteConversation);
}

/** What a notice is about, as it stands when it is sent: its meeting, the meeting's panel and the notice's force. */
export async function noticeSubject(repos: Repos, m: Pick<OutboxMessage, 'meetingId' | 'forceId'>): Promise<{ meeting: Meeting; panel: Panel; force: Force } | null> {
  const meeting = await repos.meetings.get(m.meetingId);
  const [panel, force] = meeting ? await Promise.all([repos.directory.getPanel(meeting.panelId), repos.directory.getForce(m.forceId)]) : [null, null];
  return meeting && panel && force ? { meeting, panel, force } : null;
}
