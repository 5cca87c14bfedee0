import { teamFor } from '../domain/areas.js';
import type { Force, Meeting, Nomination, OutboxKind, OutboxMessage, Panel } from '../domain/types.js';
import type { Repos } from '../store/store.js';

// Personal messages to the people a change affects, queued in the change's own transaction. Each goes only where
// the bot has a personal chat with the person (they have spoken to it); anyone else is told nothing, and nothing
// fails. The ids are the idempotency keys: each names the change (a nomination or meeting version, an apology's
// time) and the person, so a repeated press or a retry queues nothing twice. What each says is rendered from the
// store when it is sent (bot/outbox-plan.ts), so a message a later change made untrue is dropped, not sent.
// One person may lead, deputise or be named for several forces a meeting faces (s.37(3)): they get one message
// for a change, queued under the first of those forces, and it names all of them when it is sent.

type Personal = { id: string; kind: OutboxKind; meetingId: string; forceId: string; person: string };

/** Entra object ids name one person whatever their case. */
export const samePerson = (a: string | null | undefined, b: string | null | undefined): boolean => !!a && !!b && a.toLowerCase() === b.toLowerCase();

/** The message to `person`'s personal chat, or none when the bot has no personal chat with them. */
async function toPerson(tx: Repos, p: Personal, now: string): Promise<OutboxMessage[]> {
  const person = p.person.toLowerCase();
  const chat = await tx.teams.personalConversation(person);
  if (!chat) return [];
  return [{
    id: p.id, kind: p.kind, conversationId: chat.id, meetingId: p.meetingId, forceId: p.forceId, cardId: null, personAadObjectId: person,
    status: 'pending', attempts: 0, nextAttemptAt: now, activityId: null, lastError: null, createdAt: now,
  }];
}

/** The first notice of each person (ids compared without case): one message a person, whatever their forces. */
function onePerPerson(ps: Personal[]): Personal[] {
  const first = new Map<string, Personal>();
  for (const p of ps) if (!first.has(p.person.toLowerCase())) first.set(p.person.toLowerCase(), p);
  return [...first.values()];
}

const each = async (tx: Repos, ps: Personal[], now: string) => (await Promise.all(onePerPerson(ps).map((p) => toPerson(tx, p, now)))).flat();

/** A meeting's nominations, by force id: a person named for several forces is told under the first, every time. */
const nominationsOf = async (tx: Repos, meetingId: string) => (await tx.nominations.listForMeetings([meetingId])).sort((a, b) => a.forceId.localeCompare(b.forceId));

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

/** Every nominee of a cancelled meeting, once each (none where nobody is named: the force's card changes in place). */
export async function cancelNotices(tx: Repos, cancelled: Meeting, now: string): Promise<OutboxMessage[]> {
  const named = await nominationsOf(tx, cancelled.id);
  return each(tx, named.map((n) => ({ id: `cancel-notice:${cancelled.id}:${n.forceId}:v${cancelled.version}`, kind: 'cancel-notice', meetingId: cancelled.id, forceId: n.forceId, person: n.aadObjectId })), now);
}

/** Where a move notice says the meeting was: the start before the move, kept at the end of its id. */
export const movedFrom = (m: Pick<OutboxMessage, 'id'>): string | null => {
  const at = m.id.indexOf(':from:');
  return at < 0 ? null : m.id.slice(at + ':from:'.length);
};

/**
 * Every nominee of a moved meeting, once each (the nomination carries over). The id keeps the start the nominee
 * last heard of: the one before this move, or, when an earlier move's notice to them has not gone yet, the one
 * before that move (that notice is then dropped as superseded, so they hear once, from where they knew it to where it is).
 */
export async function moveNotices(tx: Repos, moved: Meeting, previousStart: string, now: string): Promise<OutboxMessage[]> {
  const unsent = (await tx.outbox.list({ meetingId: moved.id, status: 'pending' })).filter((m) => m.kind === 'move-notice');
  const named = await nominationsOf(tx, moved.id);
  return each(tx, named.map((n) => {
    const earlier = unsent.filter((m) => samePerson(m.personAadObjectId, n.aadObjectId)).sort((a, b) => (noticeVersion(a) ?? 0) - (noticeVersion(b) ?? 0))[0];
    const from = (earlier && movedFrom(earlier)) ?? previousStart;
    return { id: `move-notice:${moved.id}:${n.forceId}:v${moved.version}:from:${from}`, kind: 'move-notice', meetingId: moved.id, forceId: n.forceId, person: n.aadObjectId };
  }), now);
}

/** Each Prevent lead and deputy of the panel's forces (and of the force's area that covers the panel), once each, of a meeting added to come (their card follows at the usual time). */
export async function addedNotices(tx: Repos, added: Meeting, panel: Panel, now: string): Promise<OutboxMessage[]> {
  if (added.start <= now) return [];
  const people: Personal[] = [];
  for (const forceId of panel.forces) {
    const force = await tx.directory.getForce(forceId);
    if (!force || force.retired) continue;
    for (const p of teamFor(force, panel.id)) {
      const person = p.aadObjectId.toLowerCase();
      people.push({ id: `added-notice:${added.id}:${force.id}:${person}`, kind: 'added-notice', meetingId: added.id, forceId: force.id, person });
    }
  }
  return each(tx, people, now);
}

/**
 * Each chair of the panel, once each, of apologies a force sent (at `now`, which names them). A chair whose personal chat is
 * the panel's linked conversation already gets the note there, so is not told twice.
 */
export async function apologiesNotices(tx: Repos, meeting: Meeting, panel: Panel, forceId: string, noteConversation: string | null, now: string): Promise<OutboxMessage[]> {
  const chairs = panel.chairs.map((c) => ({ id: `apologies-notice:${meeting.id}:${forceId}:${now}:${c.aadObjectId.toLowerCase()}`, kind: 'apologies-notice' as const, meetingId: meeting.id, forceId, person: c.aadObjectId }));
  return (await each(tx, chairs, now)).filter((m) => m.conversationId !== noteConversation);
}

/** What a notice is about, as it stands when it is sent: its meeting, the meeting's panel and the notice's force. */
export async function noticeSubject(repos: Repos, m: Pick<OutboxMessage, 'meetingId' | 'forceId'>): Promise<{ meeting: Meeting; panel: Panel; force: Force } | null> {
  const meeting = await repos.meetings.get(m.meetingId);
  const [panel, force] = meeting ? await Promise.all([repos.directory.getPanel(meeting.panelId), repos.directory.getForce(m.forceId)]) : [null, null];
  return meeting && panel && force ? { meeting, panel, force } : null;
}
