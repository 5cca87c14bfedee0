import { attendanceCard, type AttendanceView } from '../cards/attendance-card.js';
import { flagsCard } from '../cards/flags-card.js';
import { md, meetingWhen } from '../cards/format.js';
import { nominationCard } from '../cards/nomination-card.js';
import { cardMovedCard } from '../cards/notice-messages.js';
import { areaOfPanel, teamFor } from '../scheduler/domain/areas.js';
import { toLocalIso } from '../scheduler/domain/timetable.js';
import type { OutboxMessage } from '../scheduler/domain/types.js';
import { attendanceCardModel } from '../scheduler/meetings/attendance.js';
import { nominationCardModel, type NominationCardModel } from '../scheduler/nominations/nominations.js';
import { digestFlags } from '../scheduler/review/open-flags.js';
import type { Store } from '../scheduler/store/store.js';
import { planCheckpoint } from './checkpoint-messages.js';
import { planEvidence } from './evidence-messages.js';
import { isNoticeKind, planNotice, type Plan } from './outbox-plan.js';

// What each outbox message means when it goes (outbox-sender.ts sends it): rendered from the store's state then, not
// from when it was queued. Notices are planned in outbox-plan.ts, evidence in evidence-messages.ts.

/** The card as posted: read-only with a refresh for those who may edit, or editable when none of them is known to Teams yet. */
export async function renderNominationCard(store: Store, model: NominationCardModel, notice?: string): Promise<Record<string, unknown>> {
  const force = await store.directory.getForce(model.force.id);
  const editors = [...(force ? teamFor(force, model.panel.id) : []), ...(await store.directory.listNationalLeads())];
  const refreshUserIds = [...(await store.teams.teamsUserIds(editors.map((p) => p.aadObjectId))).values()];
  return nominationCard(model, { editable: refreshUserIds.length === 0, refreshUserIds, ...(notice ? { notice } : {}) });
}

/** The force's area that has the panel now, and whether its own Teams channel is linked (else its cards are the force's channel's). */
async function areaNow(store: Store, model: NominationCardModel) {
  const force = await store.directory.getForce(model.force.id);
  const area = force ? areaOfPanel(force, model.panel.id) : undefined;
  const linked = !!area && !!(await store.teams.linkedConversation('area', area.id));
  return { area, channel: area && linked ? `${area.name}'s Teams channel` : `${model.force.name}'s Teams channel` };
}

/** What a card left behind by its panel's move to another area says: which team has it now, and where its card is. */
async function movedCard(store: Store, model: NominationCardModel): Promise<Record<string, unknown>> {
  const { area, channel } = await areaNow(store, model);
  return cardMovedCard({ meeting: { panelName: model.panel.name, start: model.start, end: model.end }, forceName: model.force.name, team: area ? area.name : `${model.force.name}'s Prevent team`, channel });
}

/** Two working days out with nobody named: to an area's leads about their panel, to the force's leads about any. */
async function escalationText(store: Store, model: NominationCardModel, person: string | null, when: string): Promise<string> {
  const { area, channel } = await areaNow(store, model);
  const head = `Nobody has been named to represent ${md(model.force.name)} at **${md(model.panel.name)}** on ${when}, which is two working days away.`;
  if (!area) return `${head} Please name a decision maker on the card in your force's Teams channel.`;
  if (area.leads.some((l) => l.aadObjectId.toLowerCase() === person?.toLowerCase())) return `${head} Please name a decision maker on the card in ${md(channel)}.`;
  return `${head} ${md(model.panel.name)} is ${md(area.name)}'s: its leads have been told too. You may name a decision maker on the card in ${md(channel)}, or from \`panels\`.`;
}

/** Whether a nomination card was left behind by its panel's move (a `card-moved` in its meeting's outbox points at it): nothing more goes to it. */
const movedAway = (meetingOutbox: OutboxMessage[], cardId: string | null): boolean =>
  !!cardId && meetingOutbox.some((o) => o.kind === 'card-moved' && o.cardId === cardId);

/** Decides what one outbox message means now: it is rendered from the store's current state, not from when it was queued. */
export async function plan(store: Store, m: OutboxMessage, nowIso: string): Promise<Plan> {
  if (m.kind === 'attendance' || m.kind === 'attendance-reminder') return planAttendance(store, m);
  if (m.kind === 'confirm-attendance' || m.kind === 'apologies') return planEvidence(store, m);
  if (m.kind === 'audit-checkpoint') return planCheckpoint(m);
  if (isNoticeKind(m.kind)) return planNotice(store, { ...m, kind: m.kind }, nowIso);
  if (m.kind === 'digest') {
    const flags = await digestFlags(store, m, nowIso);
    if (!flags) return { kind: 'skip', reason: 'no longer reads for the force' };
    return flags.length ? { kind: 'send', message: { card: flagsCard(flags, 'New compliance flags this week') } } : { kind: 'skip', reason: 'no new flags' };
  }
  const model = await nominationCardModel(store, m.meetingId, m.forceId, nowIso);
  if (!model) return { kind: 'skip', reason: 'the meeting or force no longer exists' };
  // A card, its updates and reminders look through the meeting's outbox (for a card moved away), where the card they
  // update is too: one read, not two. One after another, not side by side: a delivery holding several of the pool's
  // connections at once made presses wait for one behind a backlog of deliveries.
  const looksAtOutbox = m.kind === 'card' || m.kind === 'card-update' || m.kind === 'reminder';
  const meetingOutbox = looksAtOutbox ? await store.outbox.list({ meetingId: m.meetingId }) : null;
  const open = model.status === 'scheduled' && !model.started;
  const card = m.cardId ? (meetingOutbox?.find((o) => o.id === m.cardId) ?? (await store.outbox.get(m.cardId))) : null;
  if (m.cardId && card?.status === 'pending') return { kind: 'later', reason: 'the card is not posted yet' };
  const threadOf = card?.activityId ?? undefined;
  const when = meetingWhen(model.start, model.end);
  // A card whose panel moved area before it went is never posted; updates and reminders of a moved card are dropped.
  if (m.kind === 'card' && movedAway(meetingOutbox ?? [], m.id)) return { kind: 'skip', reason: 'the panel moved to another area before the card was posted' };
  if ((m.kind === 'card-update' || m.kind === 'reminder') && movedAway(meetingOutbox ?? [], m.cardId)) return { kind: 'skip', reason: 'the card moved with its panel' };
  switch (m.kind) {
    case 'card':
      return open ? { kind: 'send', message: { card: await renderNominationCard(store, model) } } : { kind: 'skip', reason: model.started ? 'the meeting has started' : `meeting ${model.status}` };
    case 'card-update':
      return threadOf ? { kind: 'update', activityId: threadOf, message: { card: await renderNominationCard(store, model) } } : { kind: 'skip', reason: 'the card was never posted' };
    case 'card-moved':
      return threadOf ? { kind: 'update', activityId: threadOf, message: { card: await movedCard(store, model) } } : { kind: 'skip', reason: 'the card was never posted' };
    case 'reminder':
      if (!open || model.nomination) return { kind: 'skip', reason: 'nothing to remind' };
      return { kind: 'send', threadOf, message: { text: `Reminder: no police attendee has been named yet for **${md(model.panel.name)}** on ${when}. Prevent leads: please name a decision maker on the card.` } };
    case 'escalation':
      if (!open || model.nomination) return { kind: 'skip', reason: 'nothing to escalate' };
      return { kind: 'send', message: { text: await escalationText(store, model, m.personAadObjectId, when) } };
    case 'mention': {
      const n = model.nomination;
      if (!n || n.aadObjectId !== m.personAadObjectId) return { kind: 'skip', reason: 'superseded by a later nomination' };
      return { kind: 'send', threadOf, message: { text: `<at>${n.name}</at> is named to attend ${md(model.panel.name)} on ${when} for ${md(model.force.name)}.`, mentions: [{ aadObjectId: n.aadObjectId, name: n.name }] } };
    }
    case 'notice': {
      const n = model.nomination;
      if (!n || n.aadObjectId !== m.personAadObjectId || !open) return { kind: 'skip', reason: 'superseded' };
      return { kind: 'send', message: { text: `You have been named to represent ${md(model.force.name)} at **${md(model.panel.name)}** (${md(model.panel.localAuthority)}) on ${when}, as ${md(n.role)}${n.decisionMaker ? ', confirmed as able to make decisions on behalf of the force' : ''}.` } };
    }
  }
}

async function planAttendance(store: Store, m: OutboxMessage): Promise<Plan> {
  const model = await attendanceCardModel(store, m.meetingId);
  if (!model || model.meeting.status === 'cancelled') return { kind: 'skip', reason: 'nothing to record' };
  if (m.kind === 'attendance') return { kind: 'send', message: { card: attendanceCard(attendanceView(model)) } };
  // Recorded held or not held, or every force's part recorded: nothing left to remind about.
  if (model.meeting.status !== 'scheduled' || model.forces.every((f) => f.recorded)) return { kind: 'skip', reason: 'attendance recorded' };
  const card = m.cardId ? await store.outbox.get(m.cardId) : null;
  if (card?.status === 'pending') return { kind: 'later', reason: 'the attendance card is not posted yet' };
  const when = meetingWhen(toLocalIso(model.meeting.start), toLocalIso(model.meeting.end));
  return { kind: 'send', threadOf: card?.activityId ?? undefined, message: { text: `Reminder: police attendance at **${md(model.panel.name)}** on ${when} has not been recorded yet. It shows as not recorded in the review until it is.` } };
}

/** The card's view of the attendance model: what is on record, in local times. */
export function attendanceView(model: NonNullable<Awaited<ReturnType<typeof attendanceCardModel>>>): AttendanceView {
  const { meeting, meetingRecord: r } = model;
  // A meeting recorded before the meeting itself had a record still says whether it was held.
  const record = r ? { outcome: r.outcome, notHeldReason: r.notHeldReason, agencies: r.agencies, source: r.source }
    : meeting.status === 'held' || meeting.status === 'not-held' ? { outcome: meeting.status, notHeldReason: null, agencies: {}, source: 'chair' as const } : null;
  return {
    meetingId: meeting.id, version: model.version, panelName: model.panel.name, start: toLocalIso(meeting.start), end: toLocalIso(meeting.end), record,
    forces: model.forces.map((f) => ({
      ...f, apology: f.apology && { sentBy: f.apology.sentBy.name, substitute: f.apology.substitute?.name ?? null, sentAt: toLocalIso(f.apology.sentAt) },
    })),
  };
}

