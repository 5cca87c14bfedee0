import type { TurnContext } from 'botbuilder';
import { addCard, addConfirmCard, addedCard, addedLine, addQuestion, type AddValues } from '../../cards/add-card.js';
import { keepAnswers } from '../../cards/draft.js';
import { attendanceCard } from '../../cards/attendance-card.js';
import { cancelCard, cancelConfirmCard, cancelledCard, cancelledLine, cancelQuestion, type CancelValues } from '../../cards/cancel-card.js';
import { listOrigin, type ListOrigin } from '../../cards/chair-data.js';
import type { Notice } from '../../cards/chair-steps.js';
import { flagsCard } from '../../cards/flags-card.js';
import { inviteCard, invitedCard } from '../../cards/invite-card.js';
import { moveCard, moveConfirmCard, movedCard, movedLine, moveQuestion, type MoveValues } from '../../cards/move-card.js';
import { nominationCard } from '../../cards/nomination-card.js';
import { panelsCard, type PanelsPrompt } from '../../cards/panels-card.js';
import { recordPastCard } from '../../cards/record-past-card.js';
import {
  addMeetingData, attendanceData, cancelData, cardRef, inviteForceData, openAttendanceData, openChairCardData, pressOrigin, rescheduleData, VERBS, type ChairCardName,
} from '../../cards/verbs.js';
import { toLocalIso } from '../../scheduler/domain/timetable.js';
import type { Failure, Meeting, Panel } from '../../scheduler/domain/types.js';
import { attendanceCardModel } from '../../scheduler/meetings/attendance.js';
import { addExtraMeeting, cancelMeeting, cancellableMeetings, rescheduleMeeting } from '../../scheduler/meetings/cancellations.js';
import { addPreview, cancelPreview, movePreview } from '../../scheduler/meetings/chair-views.js';
import { inviteForce } from '../../scheduler/meetings/invitations.js';
import { recordAttendance } from '../../scheduler/meetings/record-attendance.js';
import { nominationCardModel } from '../../scheduler/nominations/nominations.js';
import { panelsView } from '../../scheduler/planning/my-panels.js';
import { openFlags } from '../../scheduler/review/open-flags.js';
import { attendanceView } from '../message-plan.js';
import type { TeamsApp } from '../teams-app.js';
import { explainIssues, resolveAnswers } from './attendance-answers.js';
import type { RouteDeps } from './deps.js';
import { fromIds, gatedAction, gatedCommand, idsOf, type Caller, type Policy, type Reply } from './gate.js';
import { NOMINATION_POLICY } from './nomination-routes.js';

const issues = (e: { issues: Array<{ message: string }> }) => e.issues.map((i) => i.message).join('; ');
const attention = (t: string): Notice => ({ text: t, tone: 'attention' });

const CHANGE_MEETINGS = "Only a Channel panel's chairs or a national lead can change its meetings.";
const RECORD_ATTENDANCE = "Only a Channel panel's chairs or a national lead can record its attendance.";
const NOBODY = 'No Channel panel meetings involve you. Chairs, force Prevent leads, their deputies, national leads and named attendees see theirs here.';
const KEPT: Notice = { text: 'Nothing changed: the meeting stays as it is.', tone: 'plain' };
const NOT_ADDED: Notice = { text: 'Nothing changed: no meeting was added.', tone: 'plain' };

/** The past-meeting card's list sends the meeting as `pastMeetingId` (other buttons send `meetingId`). */
const pastMeeting = (input: unknown) => {
  const d = input && typeof input === 'object' && !Array.isArray(input) ? (input as Record<string, unknown>) : null;
  return d && 'pastMeetingId' in d ? { ...d, meetingId: d.pastMeetingId } : input;
};
const meetingChair = fromIds(({ meetingId }) => (meetingId ? { kind: 'meeting-chair', meetingId } : { kind: 'chair' }));

/** Who may change a panel's meetings: its chairs and national leads, for the meeting or panel the press names. */
export const CHAIR_POLICIES = {
  changeMeeting: { claim: meetingChair, refusal: CHANGE_MEETINGS },
  addMeeting: {
    claim: fromIds(({ panelId }) => (panelId ? { kind: 'panel', panelId } : { kind: 'chair' })),
    refusal: CHANGE_MEETINGS,
  },
  recordAttendance: { claim: meetingChair, refusal: RECORD_ATTENDANCE },
  /** Opening a meeting's attendance card (a past one, from the chair's cards) needs what recording it needs. */
  openAttendance: { claim: (input) => meetingChair(pastMeeting(input)), refusal: RECORD_ATTENDANCE },
  /** Inviting a force to a meeting changes the meeting, as moving it does. */
  inviteForce: { claim: meetingChair, refusal: CHANGE_MEETINGS },
  /** Opening one of the chair's cards (for the meeting a button names, if any): shows only the caller's own panels. */
  openChairCard: { claim: meetingChair, refusal: CHANGE_MEETINGS },
  cancelCommand: { claim: () => ({ kind: 'chair' }), refusal: CHANGE_MEETINGS },
  flags: { claim: () => ({ kind: 'role' }), refusal: 'Flags are for panel chairs, force Prevent leads and their deputies, and national leads.' },
  panels: { claim: () => ({ kind: 'anyone' }), refusal: '' },
} satisfies Record<string, Policy>;

/** What a chair card is shown again with: the meeting chosen and what was entered. */
interface Shown {
  notice?: Notice;
  selected?: string;
  values?: CancelValues & MoveValues & AddValues;
}

/** A press from a list (`panels`, `flags`) is answered with that list; from a focused card, with that card. */
type From = ListOrigin | undefined;

/** What every chair route answers with, built once per app. */
interface Replies {
  /** One of the chair's focused cards, as it stands now. */
  chairCard(caller: Caller, view: ChairCardName, s?: Shown): Promise<Reply>;
  /** The caller's `panels` list, with a line on top or a question in place; `page` of a national lead's forces. */
  panelsReply(caller: Caller, notice?: Notice, prompt?: PanelsPrompt, page?: number): Promise<Reply>;
  /** The list a press came from (`panels`, or the caller's open flags), with a line on top. */
  list(caller: Caller, from: ListOrigin, notice?: Notice): Promise<Reply>;
  /** The answer goes where the press came from: the list it sat in, kept, or the focused card. */
  answer(caller: Caller, from: From, view: ChairCardName, s: Shown): Promise<Reply>;
  /** A refusal after the gate (roles changed in between) reads as the gate's; a stale card is shown afresh; anything else keeps what was entered. */
  refused(caller: Caller, from: From, view: ChairCardName, e: Failure, what: string, s: Shown): Promise<Reply>;
  /** A form that does not fit the list comes as a new message; the list it came from stays, saying where it went. */
  sendThenList(ctx: TurnContext, caller: Caller, from: ListOrigin, form: Record<string, unknown>, line: string): Promise<Reply>;
  /** The meeting's attendance card as it stands, with a line on top; a refused submission's answers are kept in it. */
  attendanceReply(meetingId: string, notice?: string, tone?: 'attention' | 'good', submitted?: unknown): Promise<Reply>;
}

function replies({ store, clock }: RouteDeps, escalationWorkingDays: number): Replies {
  const r: Replies = {
    async chairCard(caller, view, s = {}) {
      const { meetings, panels, past, forces } = await cancellableMeetings(store, caller.aadObjectId, clock());
      const cards: Record<ChairCardName, () => Record<string, unknown>> = {
        cancel: () => cancelCard({ meetings, ...s }),
        move: () => moveCard({ meetings, ...s }),
        add: () => addCard({ panels, ...s }),
        invite: () => inviteCard({ meetings, forces, ...s }),
        record: () => recordPastCard({ past, ...s }),
      };
      return cards[view]();
    },
    async panelsReply(caller, notice, prompt, page) {
      const view = await panelsView(store, caller.aadObjectId, clock(), escalationWorkingDays);
      return view ? panelsCard(view, { ...(notice ? { notice } : {}), ...(prompt ? { prompt } : {}), ...(page ? { page } : {}) }) : NOBODY;
    },
    async list(caller, from, notice) {
      if (from === 'panels') return r.panelsReply(caller, notice);
      const open = await openFlags(store, caller.aadObjectId, clock());
      return open ? flagsCard(open.flags, undefined, notice) : (notice?.text ?? caller.refusal);
    },
    answer: (caller, from, view, s) => (from ? r.list(caller, from, s.notice) : r.chairCard(caller, view, s)),
    async refused(caller, from, view, e, what, s) {
      if (e.code === 'FORBIDDEN') return caller.refusal;
      const fresh = e.code === 'STALE' || e.code === 'OUTDATED';
      return r.answer(caller, from, view, fresh ? { notice: attention(e.message) } : { ...s, notice: attention(`${what}: ${e.message}`) });
    },
    async sendThenList(ctx, caller, from, form, line) {
      await ctx.sendActivity({ attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: form }] });
      return r.list(caller, from, { text: line, tone: 'plain' });
    },
    async attendanceReply(meetingId, notice, tone, submitted) {
      const model = await attendanceCardModel(store, meetingId);
      return model ? keepAnswers(attendanceCard(attendanceView(model), notice, tone), submitted) : 'That meeting is not known to this bot.';
    },
  };
  return r;
}

const local = (m: Meeting) => [toLocalIso(m.start), toLocalIso(m.end)] as const;

/** The chair's commands (`cancel`, `panels`, `flags`), the focused chair cards' actions and the `panels` list's. */
export function registerChairRoutes(app: TeamsApp, deps: RouteDeps, escalationWorkingDays = 2): void {
  const r = replies(deps, escalationWorkingDays);
  registerCommands(app, deps, r);
  registerCancelAndMove(app, deps, r);
  registerAdd(app, deps, r);
  registerOpeners(app, deps, r);
  registerAttendance(app, deps, r);
}

function registerCommands(app: TeamsApp, { store }: RouteDeps, helpers: Replies): void {
  const { panelsReply, list, chairCard } = helpers;
  // `panels page 2`: a national lead's forces come fifteen to a page.
  const PANELS = /^\s*panels(?:\s+page\s+(\d{1,3}))?\s*$/i;
  gatedCommand(app, store, PANELS, CHAIR_POLICIES.panels, async (ctx, caller) => panelsReply(caller, undefined, undefined, Number(PANELS.exec(ctx.activity.text ?? '')?.[1] ?? 1)));
  gatedCommand(app, store, /^\s*flags\s*$/i, CHAIR_POLICIES.flags, async (_ctx, caller) => list(caller, 'flags'));

  gatedCommand(app, store, /^\s*cancel\s*$/i, CHAIR_POLICIES.cancelCommand, async (_ctx, caller) => chairCard(caller, 'cancel'));
}

function registerCancelAndMove(app: TeamsApp, { store, clock, kick }: RouteDeps, helpers: Replies): void {
  const { panelsReply, answer, refused } = helpers;
  gatedAction(app, store, VERBS.cancelMeeting, CHAIR_POLICIES.changeMeeting, async (_ctx, caller, raw) => {
    const from = pressOrigin(raw);
    const parsed = cancelData.safeParse(raw);
    if (!parsed.success) return answer(caller, from, 'cancel', { selected: idsOf(raw).meetingId, notice: attention(`Not cancelled: ${issues(parsed.error)}.`) });
    const d = parsed.data;
    const version = d.versions[d.meetingId] ?? null;
    const shown = { selected: d.meetingId, values: { reason: d.reason, note: d.note } };
    if (d.step === 'keep') return answer(caller, from, 'cancel', { ...shown, notice: KEPT });
    if (d.step === 'ask') {
      const p = await cancelPreview(store, d.meetingId, version, clock());
      if (!p.ok) return refused(caller, from, 'cancel', p.error, 'Not cancelled', shown);
      const ask = { ...p.value, reason: d.reason, note: d.note, versions: d.versions, ...(from ? { from } : {}) };
      return from ? panelsReply(caller, undefined, { at: d.meetingId, element: cancelQuestion(ask) }) : cancelConfirmCard(ask);
    }
    const r = await cancelMeeting(store, { meetingId: d.meetingId, reason: d.reason, note: d.note, version }, caller.aadObjectId, clock());
    if (!r.ok) return refused(caller, from, 'cancel', r.error, 'Not cancelled', shown);
    if (r.value.changed) kick();
    const [start, end] = local(r.value.meeting);
    if (from) return panelsReply(caller, { text: cancelledLine(r.value.panel.name, start, end, r.value.reason), tone: 'good' });
    return cancelledCard(r.value.panel.name, start, end, r.value.reason, r.value.note);
  });

  gatedAction(app, store, VERBS.rescheduleMeeting, CHAIR_POLICIES.changeMeeting, async (_ctx, caller, raw) => {
    const from = pressOrigin(raw);
    const parsed = rescheduleData.safeParse(raw);
    if (!parsed.success) return answer(caller, from, 'move', { selected: idsOf(raw).meetingId, notice: attention(`Not moved: ${issues(parsed.error)}.`) });
    const d = parsed.data;
    const [slot, version] = [{ date: d.newDate, time: d.newTime }, d.versions[d.meetingId] ?? null];
    const shown = { selected: d.meetingId, values: { newDate: d.newDate, newTime: d.newTime } };
    if (d.step === 'keep') return answer(caller, from, 'move', { ...shown, notice: KEPT });
    if (d.step === 'ask') {
      const p = await movePreview(store, d.meetingId, slot, version, clock());
      if (!p.ok) return refused(caller, from, 'move', p.error, 'Not moved', shown);
      const ask = { ...p.value, newDate: d.newDate, newTime: d.newTime, versions: d.versions, ...(from ? { from } : {}) };
      return from ? panelsReply(caller, undefined, { at: d.meetingId, element: moveQuestion(ask) }) : moveConfirmCard(ask);
    }
    const r = await rescheduleMeeting(store, d.meetingId, slot, version, caller.aadObjectId, clock());
    if (!r.ok) return refused(caller, from, 'move', r.error, 'Not moved', shown);
    kick();
    const [start, end] = local(r.value.meeting);
    return from ? panelsReply(caller, { text: movedLine(r.value.panel.name, start, end), tone: 'good' }) : movedCard(r.value.panel.name, start, end);
  });
}

function registerAdd(app: TeamsApp, { store, clock, kick }: RouteDeps, helpers: Replies): void {
  const { panelsReply, answer, refused, attendanceReply } = helpers;
  gatedAction(app, store, VERBS.addMeeting, CHAIR_POLICIES.addMeeting, async (ctx, caller, raw) => {
    const from = pressOrigin(raw);
    const parsed = addMeetingData.safeParse(raw);
    if (!parsed.success) return answer(caller, from, 'add', { notice: attention(`Not added: ${issues(parsed.error)}.`) });
    const d = parsed.data;
    const fingerprint = d.snapshots?.[d.panelId];
    const snapshot = fingerprint && d.asOf ? { asOf: d.asOf, fingerprint } : null;
    const slot = { date: d.extraDate, time: d.extraTime };
    const shown = { values: { panelId: d.panelId, extraDate: d.extraDate, extraTime: d.extraTime } };
    if (d.step === 'keep') return answer(caller, from, 'add', { ...shown, notice: NOT_ADDED });
    if (d.step === 'ask') {
      const p = await addPreview(store, d.panelId, slot, snapshot, clock());
      if (!p.ok) return refused(caller, from, 'add', p.error, 'Not added', shown);
      const ask = { ...p.value, extraDate: d.extraDate, extraTime: d.extraTime, ...(d.snapshots ? { snapshots: d.snapshots } : {}), ...(d.asOf ? { asOf: d.asOf } : {}), ...(from ? { from } : {}) };
      return from ? panelsReply(caller, undefined, { at: 'add', element: addQuestion(ask) }) : addConfirmCard(ask);
    }
    const r = await addExtraMeeting(store, d.panelId, slot, snapshot, caller.aadObjectId, clock());
    if (!r.ok) return refused(caller, from, 'add', r.error, 'Not added', shown);
    kick();
    return added(ctx, caller, from, r.value);
  });

  /** A meeting still to come is saved and said; one that already took place is added to be recorded: its attendance card follows. */
  async function added(ctx: TurnContext, caller: Caller, from: 'panels' | undefined, { meeting, panel }: { meeting: Meeting; panel: Panel }): Promise<Reply> {
    const [start, end] = local(meeting);
    if (meeting.end > clock()) return from ? panelsReply(caller, { text: addedLine(panel.name, start, end), tone: 'good' }) : addedCard(panel.name, start, end);
    if (!from) return attendanceReply(meeting.id, addedLine(panel.name, start, end, 'It has already ended: record what happened below.'), 'good');
    const model = await attendanceCardModel(store, meeting.id);
    if (model) await ctx.sendActivity({ attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: attendanceCard(attendanceView(model)) }] });
    return panelsReply(caller, { text: addedLine(panel.name, start, end, 'It has already ended: its attendance card is in a new message below.'), tone: 'good' });
  }
}

function registerOpeners(app: TeamsApp, { store, clock, kick }: RouteDeps, helpers: Replies): void {
  const { chairCard, answer, refused, sendThenList } = helpers;
  gatedAction(app, store, VERBS.openChairCard, CHAIR_POLICIES.openChairCard, async (ctx, caller, raw) => {
    const parsed = openChairCardData.safeParse(raw);
    if (!parsed.success) return 'That card could not be read. Type `cancel` for a fresh one.';
    const form = await chairCard(caller, parsed.data.view, { selected: parsed.data.meetingId });
    return parsed.data.from && typeof form !== 'string' ? sendThenList(ctx, caller, parsed.data.from, form, 'Your card is in a new message below.') : form;
  });

  gatedAction(app, store, VERBS.inviteForce, CHAIR_POLICIES.inviteForce, async (_ctx, caller, raw) => {
    const parsed = inviteForceData.safeParse(raw);
    if (!parsed.success) return chairCard(caller, 'invite', { selected: idsOf(raw).meetingId, notice: attention(`Not invited: ${issues(parsed.error)}.`) });
    const r = await inviteForce(store, parsed.data.meetingId, parsed.data.forceId, caller.aadObjectId, clock());
    if (!r.ok) return refused(caller, undefined, 'invite', r.error, 'Not invited', { selected: parsed.data.meetingId });
    if (r.value.changed) kick();
    return invitedCard(r.value.force.name, r.value.panel.name, ...local(r.value.meeting));
  });

  gatedAction(app, store, VERBS.openAttendance, CHAIR_POLICIES.openAttendance, async (ctx, caller, raw) => {
    const from = listOrigin(raw);
    const parsed = openAttendanceData.safeParse(raw);
    if (!parsed.success) return answer(caller, from, 'record', { notice: attention(`Not opened: ${issues(parsed.error)}.`) });
    const model = await attendanceCardModel(store, parsed.data.meetingId);
    // Past the gate with an unknown meeting only a national lead gets here, or the panel's chairs for a meeting this
    // process saw before it was deleted (gate.ts, panelOfMeeting): the id told neither anything new.
    if (!model) return 'That meeting is not known to this bot.';
    if (model.meeting.status === 'cancelled') return answer(caller, from, 'record', { notice: attention('That meeting was cancelled, so there is no attendance to record.') });
    if (model.meeting.end > clock()) return answer(caller, from, 'record', { notice: attention('Attendance can be recorded once the meeting has ended.') });
    const form = attendanceCard(attendanceView(model));
    return from ? sendThenList(ctx, caller, from, form, 'The attendance card is in a new message below.') : form;
  });

  gatedAction(app, store, VERBS.openNomination, NOMINATION_POLICY, async (ctx, caller, raw) => {
    const ref = cardRef.safeParse(raw);
    if (!ref.success) return 'That card could not be read. Type `panels` for a fresh one.';
    const model = await nominationCardModel(store, ref.data.meetingId, ref.data.forceId, clock());
    if (!model) return 'That meeting is no longer known to this bot.';
    // Cards posted before buttons carried `from` all came from the `panels` list.
    return sendThenList(ctx, caller, listOrigin(raw) ?? 'panels', nominationCard(model, { editable: true }), 'The nomination form is in a new message below.');
  });
}

function registerAttendance(app: TeamsApp, { store, clock, kick }: RouteDeps, { attendanceReply }: Replies): void {
  gatedAction(app, store, VERBS.recordAttendance, CHAIR_POLICIES.recordAttendance, (ctx, caller, raw) => onAttendance(ctx, caller, raw));

  async function onAttendance(ctx: TurnContext, caller: Caller, raw: unknown): Promise<Reply> {
    const { meetingId } = idsOf(raw);
    const model = meetingId ? await attendanceCardModel(store, meetingId) : null;
    // Past the gate without a meeting any chair gets here; with an unknown one a national lead, or the panel's chairs
    // for a meeting this process saw before it was deleted (gate.ts, panelOfMeeting): the id told none of them anything new.
    if (!meetingId || !model) return 'That meeting is not known to this bot.';
    const parsed = attendanceData.safeParse(raw);
    // A refusal for a missing or wrong answer keeps every other answer; a record changed meanwhile is shown afresh.
    if (!parsed.success) return attendanceReply(meetingId, `Nothing was recorded: ${explainIssues(parsed.error, model.forces)}.`, 'attention', raw);
    const answers = await resolveAnswers(ctx, model.forces, parsed.data);
    if (!answers.ok) return attendanceReply(meetingId, answers.error.message, 'attention', raw);
    const r = await recordAttendance(store, meetingId, answers.value, caller.aadObjectId, clock(), { source: 'chair', cardVersion: parsed.data.cardVersion });
    const stale = !r.ok && ['STALE', 'OUTDATED'].includes(r.error.code);
    if (!r.ok) return r.error.code === 'FORBIDDEN' ? caller.refusal : attendanceReply(meetingId, refusedLine(r.error), 'attention', stale ? undefined : raw);
    if (r.value.changed) kick();
    return attendanceReply(meetingId, r.value.changed ? 'Recorded.' : 'Nothing changed: this is already the record.', 'good');
  }
}

/** A refused record: the use case's own words where they say what to do, else prefixed. */
const refusedLine = (e: { code: string; message: string }) => (['INCOMPLETE', 'STALE', 'OUTDATED'].includes(e.code) ? e.message : `Not recorded: ${e.message}`);
