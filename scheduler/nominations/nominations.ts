import { attended, decisionMakerPresent } from '../domain/attendance-rules.js';
import { teamFor } from '../domain/areas.js';
import { memo } from '../domain/memo.js';
import { accessFor, canActForForceOn, type Access } from '../people/access.js';
import { toLocalIso } from '../domain/timetable.js';
import { timetableClass, type TimetableClass } from '../domain/timetable-class.js';
import type { NewAuditEntry } from '../domain/audit-chain.js';
import type { Apology, CancelReason, Conversation, Force, Meeting, Nomination, OutboxMessage, Panel, Person, Result } from '../domain/types.js';
import { fail, ok } from '../domain/types.js';
import { asksForce } from '../meetings/invitations.js';
import { cardUpdates, threadMessages } from './card-messages.js';
import { replacedNotices } from '../meetings/notices.js';
import type { Cancellation, CardRecords, DirectoryReads, PressRead, Repos, Store } from '../store/store.js';

/** Everything a nomination card shows; cards/ renders it without touching the store. */
export interface NominationCardModel {
  meetingId: string;
  meetingVersion: number;
  nominationVersion: number;
  start: string; // local ISO with offset
  end: string;
  status: Meeting['status'];
  started: boolean;
  moved: { from: string; reason: string } | null;
  panel: { id: string; name: string; localAuthority: string; timetable: TimetableClass };
  force: { id: string; name: string };
  /** The force does not face the panel: it was invited to this meeting alone. */
  invited: boolean;
  nomination: Pick<Nomination, 'aadObjectId' | 'name' | 'role' | 'decisionMaker' | 'nominatedAt'> | null;
  /** Apologies the force sent for this meeting (the latest), with the substitute offered. */
  apology: { sentBy: string; sentAt: string; substitute: string | null } | null;
  /**
   * The panel's last three meetings before this one that asked this force (for an invited force, only those it was
   * invited to), and whom it named for each. `attended` says whether the chair's record (true/false) or only the
   * nomination (null) is shown.
   */
  recent: Array<{ start: string; status: Meeting['status']; name: string | null; decisionMaker: boolean | null; attended: boolean | null }>;
  /** People to offer as static choices where the person picker does not work. */
  choices: Person[];
  /** A cancelled meeting's reason and the chair's note ('' for none); `noteRemoved` once `redact note` erased it. */
  cancellation: { reason: CancelReason; note: string; noteRemoved: boolean } | null;
}

/** What a card is built from: loaded once before a nomination is recorded, and reused to answer it. */
export interface CardContext {
  meeting: Meeting;
  panel: Panel;
  force: Force;
  nomination: Nomination | null;
  apology: Apology | null;
  recent: NominationCardModel['recent'];
  recentPeople: Person[];
  cancellation: Cancellation | null;
}

/** Loads what one meeting's card for one force shows; null when either does not exist or the force is not asked to the meeting. */
export async function loadCardContext(repos: Repos, meetingId: string, forceId: string): Promise<CardContext | null> {
  // The card's records in one statement, the force beside it and the panel after it from the directory (cached: no round trip).
  const [records, force] = await Promise.all([repos.cards.read(meetingId, forceId, 6), repos.directory.getForce(forceId)]);
  if (!records || !force) return null;
  const panel = await repos.directory.getPanel(records.meeting.panelId);
  if (!panel || !(panel.forces.includes(forceId) || records.invited)) return null;
  const { meeting, nomination, apology, cancellation } = records;
  return { meeting, panel, force, nomination, apology, cancellation, recent: records.recent.map(recentLine), recentPeople: records.recentPeople };
}

/** Who actually attended an earlier meeting, where the chair recorded it (continuity is what the inspection found lacking); else who was named. */
function recentLine({ meeting: m, nomination: n, attendance: r }: CardRecords['recent'][number]): NominationCardModel['recent'][number] {
  if (r) return { start: toLocalIso(m.start), status: m.status, name: r.attendees.map((a) => a.name).join(', ') || null, decisionMaker: decisionMakerPresent(r), attended: attended(r) };
  return { start: toLocalIso(m.start), status: m.status, name: n?.name ?? null, decisionMaker: n?.decisionMaker ?? null, attended: null };
}

/** The card's static choices (what a picked attendee is checked against). */
export const cardChoices = (c: CardContext): Person[] => choicesFor(c.force, c.panel.id, c.recentPeople, c.nomination);

/** The card's view of a loaded context. */
export function cardModelFrom(c: CardContext, now: string): NominationCardModel {
  const { meeting, panel, force, nomination } = c;
  return {
    meetingId: meeting.id,
    meetingVersion: meeting.version,
    nominationVersion: nomination?.version ?? 0,
    start: toLocalIso(meeting.start),
    end: toLocalIso(meeting.end),
    status: meeting.status,
    started: meeting.start <= now,
    moved: meeting.moved ? { from: toLocalIso(meeting.moved.from), reason: meeting.moved.reason } : null,
    panel: { id: panel.id, name: panel.name, localAuthority: panel.localAuthority, timetable: timetableClass(panel.timetable) },
    force: { id: force.id, name: force.name },
    invited: !panel.forces.includes(force.id),
    apology: c.apology && { sentBy: c.apology.sentBy.name, sentAt: toLocalIso(c.apology.sentAt), substitute: c.apology.substitute?.name ?? null },
    nomination: nomination && { aadObjectId: nomination.aadObjectId, name: nomination.name, role: nomination.role, decisionMaker: nomination.decisionMaker, nominatedAt: nomination.nominatedAt },
    recent: c.recent,
    choices: cardChoices(c),
    cancellation: c.cancellation ? { reason: c.cancellation.reason, note: c.cancellation.note, noteRemoved: !!c.cancellation.noteRedactedAt } : null,
  };
}

/** Loads the card's view of one meeting for one force; null when either does not exist. */
export async function nominationCardModel(repos: Repos, meetingId: string, forceId: string, now: string): Promise<NominationCardModel | null> {
  const c = await loadCardContext(repos, meetingId, forceId);
  return c && cardModelFrom(c, now);
}

/** Who the card suggests: the one named, recent nominees, the area's team for a panel in an area, then the force's leads. */
function choicesFor(force: Force, panelId: string, recent: Person[], current: Nomination | null): Person[] {
  const all = [...(current ? [{ aadObjectId: current.aadObjectId, name: current.name }] : []), ...recent, ...teamFor(force, panelId)];
  const seen = new Set<string>();
  return all.filter((p) => (seen.has(p.aadObjectId) ? false : (seen.add(p.aadObjectId), true))).slice(0, 12);
}

export interface NominateInput {
  meetingId: string;
  forceId: string;
  meetingVersion: number;
  nominationVersion: number;
  attendee: Person;
  role: string;
  decisionMaker: boolean;
}

/** The nomination as it now stands, and the meeting as read under its lock (after any change the nomination made to it). */
export type NominateOutcome = { nomination: Nomination; meeting: Meeting; changed: boolean };

/** Whether this person acts for the force on the meeting's panel (its leads, or the area's team): who gets the form. */
export async function actsForMeetingForce(store: Store, access: Access, meetingId: string, forceId: string): Promise<boolean> {
  const meeting = await store.meetings.get(meetingId);
  return !!meeting && canActForForceOn(access, forceId, meeting.panelId);
}

/**
 * What a press has already read, outside any transaction: the card's context (loadCardContext). With it `nominate`
 * can write in one round trip (store.writeNomination).
 */
export interface PressReads {
  context: CardContext;
}

/**
 * Records a force's named attendee for a meeting, after checking who is asking and that the card is current.
 *
 * Given what the press read (`reads`), a press that those reads show will be recorded is planned from them and
 * written only if the meeting and the nomination are still as read (store.writeNomination): on PostgreSQL one
 * statement instead of a transaction of a dozen. Anything else (a refusal, a stale card, an unchanged answer, or a
 * write whose checks fail because someone changed the meeting or the nomination meanwhile) goes the locking way
 * below, which reads everything again under the meeting's lock and gives the answer.
 */
export async function nominate(store: Store, input: NominateInput, actor: string, now: string, reads?: PressReads): Promise<Result<NominateOutcome>> {
  const quick = reads ? await nominateAsRead(store, input, actor, now, reads) : null;
  if (quick) return ok(quick);
  return store.transaction(async (tx) => {
    const meeting = await tx.meetings.getForUpdate(input.meetingId);
    const panel = meeting && (await tx.directory.getPanel(meeting.panelId));
    if (!meeting || !panel || !(await asksForce(tx, meeting, panel, input.forceId))) return fail('NOT_FOUND', 'That meeting or force is not known to this bot.');
    if (!canActForForceOn(await accessFor(tx, actor), input.forceId, meeting.panelId)) {
      return fail('FORBIDDEN', "Only this force's Prevent leads and deputies (or those of the force's area that handles this panel) and national leads can name the attendee.");
    }
    if (meeting.status === 'cancelled') return fail('STALE', 'This meeting has been cancelled.');
    if (meeting.status !== 'scheduled' || meeting.start <= now) return fail('STALE', 'This meeting has already started, so its attendee can no longer be changed here.');
    const current = await tx.nominations.get(meeting.id, input.forceId);
    if (current && sameNomination(current, input)) return ok({ nomination: current, meeting, changed: false });
    if (input.meetingVersion !== meeting.version) return fail('STALE', 'This meeting changed since the card was sent (it may have moved): here is the current card.');
    if ((current?.version ?? 0) !== input.nominationVersion) {
      return fail('STALE', `${current?.name ?? 'Someone'} was named a moment ago by someone else: here is the current card.`);
    }
    const plan = await planNomination(tx, meeting, input, current, actor, now);
    // A nominated meeting is one a person has acted on: re-planning leaves it alone from now on.
    await tx.nominations.save(plan.nomination, meeting.locked ? undefined : { lockMeetingAt: now });
    await tx.outbox.enqueue(plan.outbox);
    // On PostgreSQL queued for the chainer, after the commit; on SQLite chained here, last, in the transaction.
    await tx.audit.append(plan.audit);
    return ok({ nomination: plan.nomination, meeting: { ...meeting, locked: true }, changed: true });
  });
}

/**
 * The press as its reads show it, when they show it recorded: the locking path's checks, then one guarded write.
 * Who may nominate, and whether the meeting asks the force, are read again from the database as the plan is made, in
 * one read with what the plan needs (store.pressReads: one statement on PostgreSQL), never from the directory's cache,
 * which only renders: a lead removed by another instance's sync is refused at once. The meeting and the nomination
 * are checked by the write itself. Null for anything else, and when the write finds the meeting or the nomination
 * changed since (nothing is written then).
 */
async function nominateAsRead(store: Store, input: NominateInput, actor: string, now: string, { context }: PressReads): Promise<NominateOutcome | null> {
  const { meeting, nomination: current } = context;
  if (meeting.id !== input.meetingId || context.force.id !== input.forceId) return null;
  if (meeting.status !== 'scheduled' || meeting.start <= now || (current && sameNomination(current, input))) return null;
  if (input.meetingVersion !== meeting.version || (current?.version ?? 0) !== input.nominationVersion) return null;
  const decide = (repos: DecisionReads) => mayNominate(repos, meeting, input.forceId, actor);
  // The five reads it decides and plans from, straight from the database (one statement on PostgreSQL).
  // The caller's roles are asked for as accessFor asks for them (by lower-case id).
  const caller = actor.toLowerCase();
  const people = chatsFor(input.attendee.aadObjectId, replaced(current, input.attendee.aadObjectId));
  const read = await store.pressReads({ actor: caller, forceId: input.forceId, panelId: meeting.panelId, meetingId: meeting.id, people });
  const directory = answeredFrom(read, caller, input.forceId, meeting.panelId, store.freshDirectory);
  const [allowed, plan] = await Promise.all([decide({ chairs: store.chairs, directory }), planNomination(store, meeting, input, current, actor, now, read)]);
  // The card's version is what the write checks: the meeting as the person pressing saw it.
  if (!allowed || !(await store.writeNomination({ ...plan, meetingVersion: input.meetingVersion, now }, decide))) return null;
  return { nomination: plan.nomination, meeting: { ...meeting, locked: true }, changed: true };
}

/** What deciding who may nominate reads: the directory (uncached, or a transaction's) and the meeting's invitations. */
type DecisionReads = Pick<Repos, 'chairs'> & { directory: Pick<DirectoryReads, 'rolesOf' | 'getForce' | 'getPanel'> };

/** The locking path's checks of who is asking and whether the meeting asks the force, read through `repos` (never a cache). */
async function mayNominate(repos: DecisionReads, meeting: Meeting, forceId: string, actor: string): Promise<boolean> {
  const directory = readingOnce(repos.directory);
  const [access, panel] = await Promise.all([accessFor({ directory }, actor), directory.getPanel(meeting.panelId)]);
  return canActForForceOn(access, forceId, meeting.panelId) && !!panel && (await asksForce(repos, meeting, panel, forceId));
}

/**
 * The directory for a decision made from a press's reads: the caller's roles (`caller`, lower-case, as accessFor asks),
 * the force and the panel as read; anything else (another force an area's role names, say) from `fresh`, never the cache.
 */
function answeredFrom(read: PressRead, caller: string, forceId: string, panelId: string, fresh: DecisionReads['directory']): DecisionReads['directory'] {
  return {
    rolesOf: async (aad) => (aad === caller ? read.roles : fresh.rolesOf(aad)),
    getForce: async (id) => (id === forceId ? read.force : fresh.getForce(id)),
    getPanel: async (id) => (id === panelId ? read.panel : fresh.getPanel(id)),
  };
}

/** The directory's reads for one decision: each force and panel read at most once, and shared by whoever asks. */
function readingOnce(d: DecisionReads['directory']): DecisionReads['directory'] {
  return { rolesOf: (aad) => d.rolesOf(aad), getForce: memo((id) => d.getForce(id), 1_000), getPanel: memo((id) => d.getPanel(id), 1_000) };
}

const sameNomination = (n: Nomination, i: NominateInput) =>
  n.aadObjectId === i.attendee.aadObjectId && n.role === i.role && n.decisionMaker === i.decisionMaker;

/** What a nomination writes: the nomination itself, what it sends (queued in the outbox) and its audit entry. */
interface NominationPlan {
  nomination: Nomination;
  outbox: OutboxMessage[];
  audit: NewAuditEntry[];
}

/** Whom a nomination replaces: the one named before, when it is someone else. */
const replaced = (current: Nomination | null, aadObjectId: string): Nomination | null => (current && current.aadObjectId !== aadObjectId ? current : null);

/** Whose personal chats a nomination reads: the one named, and the one it replaces (by lower-case id, as replacedNotices asks). */
const chatsFor = (aadObjectId: string, replacing: Nomination | null): string[] => [aadObjectId, ...(replacing ? [replacing.aadObjectId.toLowerCase()] : [])];

/**
 * Plans the nomination from the meeting's outbox and the people's chats: as a press read them (`read`), or read
 * through `repos` (two reads, together).
 */
async function planNomination(repos: Repos, meeting: Meeting, input: NominateInput, current: Nomination | null, actor: string, now: string, read?: Pick<PressRead, 'outbox' | 'chats'>): Promise<NominationPlan> {
  const nomination: Nomination = {
    meetingId: meeting.id,
    forceId: input.forceId,
    aadObjectId: input.attendee.aadObjectId,
    name: input.attendee.name,
    role: input.role,
    decisionMaker: input.decisionMaker,
    nominatedBy: actor,
    nominatedAt: now,
    version: (current?.version ?? 0) + 1,
  };
  const replacing = replaced(current, nomination.aadObjectId);
  // Both people's personal chats in one read (replacedNotices asks for the one it needs, by lower-case id).
  const [outbox, chats] = read
    ? [read.outbox, read.chats]
    : await Promise.all([repos.outbox.list({ meetingId: meeting.id }), repos.teams.personalConversations(chatsFor(nomination.aadObjectId, replacing))]);
  return {
    nomination,
    outbox: [...cardUpdates(outbox, `n${nomination.version}`, now, input.forceId), ...(await announcements(repos, outbox, chats, nomination, replacing, now))],
    audit: [
      {
        at: now,
        actor,
        action: current ? 'nomination.changed' : 'nomination.recorded',
        subject: { meetingId: meeting.id, forceId: input.forceId, panelId: meeting.panelId },
        details: {
          attendee: { aadObjectId: nomination.aadObjectId, name: nomination.name },
          role: nomination.role,
          decisionMaker: nomination.decisionMaker,
          version: nomination.version,
          ...(current ? { previous: { aadObjectId: current.aadObjectId, name: current.name } } : {}),
        },
      },
    ],
  };
}

/**
 * The card's thread (the nominee @mentioned, any other person's mention reworded), the personal note to the nominee,
 * and, when someone else was named before, one to them: each where the bot can reach them. `outbox` is the meeting's.
 */
async function announcements(
  tx: Repos, outbox: OutboxMessage[], chats: Map<string, Conversation>, n: Nomination, replacing: Nomination | null, now: string,
): Promise<OutboxMessage[]> {
  const personal = chats.get(n.aadObjectId);
  const base = { meetingId: n.meetingId, forceId: n.forceId, personAadObjectId: n.aadObjectId, status: 'pending' as const, attempts: 0, nextAttemptAt: now, activityId: null, lastError: null, createdAt: now };
  const known: Repos = { ...tx, teams: { ...tx.teams, personalConversation: async (aad) => chats.get(aad) ?? null } };
  const replaced = replacing ? await replacedNotices(known, replacing, n, now) : [];
  return [
    ...threadMessages(outbox, n, now),
    ...(personal ? [{ ...base, id: `notice:${n.meetingId}:${n.forceId}:v${n.version}`, kind: 'notice' as const, conversationId: personal.id, cardId: null }] : []),
    ...replaced,
  ];
}
