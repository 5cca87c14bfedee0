import { addedText, apologiesText, cancelledText, mentionReplacedText, movedText, replacedText, type NoticeMeeting } from '../cards/notice-messages.js';
import { teamFor } from '../scheduler/domain/areas.js';
import { toLocalIso } from '../scheduler/domain/timetable.js';
import type { Force, Meeting, OutboxKind, OutboxMessage, Panel } from '../scheduler/domain/types.js';
import { movedFrom, noticeSubject, noticeVersion, samePerson } from '../scheduler/meetings/notices.js';
import type { OutgoingMessage } from '../scheduler/messenger.js';
import type { Store } from '../scheduler/store/store.js';

/** What one outbox message means now: send it (perhaps in a card's thread), update a posted card, drop it, or wait. */
export type Plan = { kind: 'send'; message: OutgoingMessage; threadOf?: string } | { kind: 'update'; activityId: string; message: OutgoingMessage } | { kind: 'skip'; reason: string } | { kind: 'later'; reason: string };

/** The kinds that tell people of a change (scheduler/meetings/notices.ts queues them), planned here. */
const NOTICE_KINDS = ['replaced-notice', 'cancel-notice', 'move-notice', 'added-notice', 'apologies-notice', 'mention-update'] as const satisfies readonly OutboxKind[];
export type NoticeKind = (typeof NOTICE_KINDS)[number];
export const isNoticeKind = (kind: OutboxKind): kind is NoticeKind => (NOTICE_KINDS as readonly OutboxKind[]).includes(kind);

/** What a notice is about, loaded once. */
interface Subject {
  meeting: Meeting;
  panel: Panel;
  force: Force;
  about: NoticeMeeting;
  /** Started or recorded: too late for news about it. */
  past: boolean;
}

const skip = (reason: string): Plan => ({ kind: 'skip', reason });
const say = (text: string): Plan => ({ kind: 'send', message: { text } });

/** Decides what a notice means now, from the store: a change someone undid or overtook since is dropped, not sent. */
export async function planNotice(store: Store, m: OutboxMessage & { kind: NoticeKind }, nowIso: string): Promise<Plan> {
  const subject = await noticeSubject(store, m);
  if (!subject) return skip('the meeting, panel or force no longer exists');
  const { meeting, panel, force } = subject;
  const about = { panelName: panel.name, start: toLocalIso(meeting.start), end: toLocalIso(meeting.end) };
  const s: Subject = { meeting, panel, force, about, past: meeting.start <= nowIso || meeting.status === 'held' || meeting.status === 'not-held' };
  switch (m.kind) {
    case 'replaced-notice':
      return planReplaced(store, m, s);
    case 'mention-update':
      return planMentionUpdate(store, m);
    case 'cancel-notice':
      return planCancelled(store, m, s);
    case 'move-notice':
      return planMoved(store, m, s);
    case 'added-notice':
      return planAdded(store, m, s);
    case 'apologies-notice':
      return planApologiesNotice(store, m, s);
  }
}

/** The name the store holds for someone who acts for the force (lead, deputy, national lead), or null. */
async function actorName(store: Store, force: Force, aadObjectId: string): Promise<string | null> {
  const areaPeople = (force.areas ?? []).flatMap((x) => [...x.leads, ...x.deputies]);
  const people = [...force.preventLeads, ...force.deputies, ...areaPeople, ...(await store.directory.listNationalLeads())];
  return people.find((p) => samePerson(p.aadObjectId, aadObjectId))?.name ?? null;
}

/** The names of the meeting's forces the notice's person is named for now (one message names them all). */
async function namedFor(store: Store, m: OutboxMessage): Promise<string[]> {
  const theirs = (await store.nominations.listForMeetings([m.meetingId])).filter((n) => samePerson(n.aadObjectId, m.personAadObjectId));
  return forceNames(store, theirs.map((n) => n.forceId).sort());
}

const forceNames = async (store: Store, ids: string[]): Promise<string[]> =>
  (await Promise.all(ids.map((id) => store.directory.getForce(id)))).flatMap((f) => (f ? [f.name] : []));

async function planReplaced(store: Store, m: OutboxMessage, s: Subject): Promise<Plan> {
  if (s.past) return skip('the meeting has started');
  const current = await store.nominations.get(m.meetingId, m.forceId);
  if (!current || samePerson(current.aadObjectId, m.personAadObjectId)) return skip('named again');
  // Told they are no longer named only if they were told they were: their own note, where they had one, went.
  const note = await store.outbox.get(`notice:${m.meetingId}:${m.forceId}:v${(noticeVersion(m) ?? 1) - 1}`);
  if (note?.status === 'pending') return { kind: 'later', reason: 'their note is not sent yet' };
  if (!note || note.status !== 'sent') return skip('they were never told they were named');
  // Someone who named another in their own place knows already.
  if (samePerson(current.nominatedBy, m.personAadObjectId)) return skip('they made the change themselves');
  const by = await actorName(store, s.force, current.nominatedBy);
  return say(replacedText({ meeting: s.about, forceName: s.force.name, by, successor: current.name }));
}

async function planMentionUpdate(store: Store, m: OutboxMessage): Promise<Plan> {
  const mention = m.cardId ? await store.outbox.get(m.cardId) : null;
  if (mention?.status === 'pending') return { kind: 'later', reason: 'the mention is not posted yet' };
  if (!mention || mention.status !== 'sent' || !mention.activityId) return skip('the mention was never posted');
  const current = await store.nominations.get(m.meetingId, m.forceId);
  // Named again before this went: the reply is true once more.
  if (current?.aadObjectId === m.personAadObjectId) return skip('named again');
  return { kind: 'update', activityId: mention.activityId, message: { text: mentionReplacedText(toLocalIso(m.createdAt)) } };
}

async function planCancelled(store: Store, m: OutboxMessage, s: Subject): Promise<Plan> {
  if (s.meeting.status !== 'cancelled') return skip('the meeting is not cancelled');
  const [forces, cancellation] = await Promise.all([namedFor(store, m), store.chairs.cancellations([m.meetingId])]);
  if (!forces.length || !cancellation[0]) return skip('no longer named');
  return say(cancelledText({ meeting: s.about, forceNames: forces, reason: cancellation[0].reason }));
}

async function planMoved(store: Store, m: OutboxMessage, s: Subject): Promise<Plan> {
  const from = movedFrom(m);
  if (s.past || s.meeting.status !== 'scheduled' || !from) return skip('the meeting is no longer to come');
  if (from === s.meeting.start) return skip('moved back to the time they knew');
  const forces = await namedFor(store, m);
  if (!forces.length) return skip('no longer named');
  const version = noticeVersion(m) ?? 0;
  // Moved again since: the later notice (to them, for whichever of their forces) says from where they knew it to where it is now.
  const later = (await store.outbox.list({ meetingId: m.meetingId })).some((o) => o.kind === 'move-notice' && samePerson(o.personAadObjectId, m.personAadObjectId) && (noticeVersion(o) ?? 0) > version);
  if (later) return skip('moved again since');
  const length = Date.parse(s.meeting.end) - Date.parse(s.meeting.start);
  const was = { start: toLocalIso(from), end: toLocalIso(new Date(Date.parse(from) + length).toISOString()) };
  return say(movedText({ meeting: s.about, was, forceNames: forces }));
}

async function planAdded(store: Store, m: OutboxMessage, s: Subject): Promise<Plan> {
  if (s.past || s.meeting.status !== 'scheduled') return skip('the meeting is no longer to come');
  // Every force the panel faces that they lead or deputise for now: one message names them all.
  const forces = (await Promise.all(s.panel.forces.map((id) => store.directory.getForce(id))))
    .filter((f): f is Force => !!f && !f.retired && teamFor(f, s.panel.id).some((p) => samePerson(p.aadObjectId, m.personAadObjectId)));
  if (!forces.length) return skip('no longer a lead or deputy of a force the panel faces');
  return say(addedText({ meeting: s.about, localAuthority: s.panel.localAuthority, forceNames: forces.map((f) => f.name) }));
}

async function planApologiesNotice(store: Store, m: OutboxMessage, s: Subject): Promise<Plan> {
  if (s.meeting.status === 'cancelled') return skip('the meeting was cancelled');
  const apology = (await store.chairs.apologies([m.meetingId])).find((a) => a.forceId === m.forceId);
  // Sent again before this went: the later notice says what stands.
  if (!apology || apology.sentAt !== m.createdAt) return skip('superseded by later apologies');
  if (!s.panel.chairs.some((c) => samePerson(c.aadObjectId, m.personAadObjectId))) return skip('no longer a chair of the panel');
  return say(apologiesText({ meeting: s.about, forceName: s.force.name, sentBy: apology.sentBy.name, substitute: apology.substitute?.name ?? null }));
}
