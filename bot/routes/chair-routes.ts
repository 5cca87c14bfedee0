import type { TurnContext } from 'botbuilder';
import { cancelCard, cancelledCard, changedCard } from '../../cards/cancel-card.js';
import { flagsCard } from '../../cards/flags-card.js';
import { panelsCard } from '../../cards/panels-card.js';
import { myMeetings } from '../../scheduler/planning/my-panels.js';
import { openFlags } from '../../scheduler/review/open-flags.js';
import { attendanceCard } from '../../cards/attendance-card.js';
import { addMeetingData, attendanceData, cancelData, inviteForceData, openAttendanceData, rescheduleData, VERBS } from '../../cards/verbs.js';
import { attendanceCardModel } from '../../scheduler/meetings/attendance.js';
import { inviteForce } from '../../scheduler/meetings/invitations.js';
import { recordAttendance } from '../../scheduler/meetings/record-attendance.js';
import { attendanceView } from '../outbox-sender.js';
import { addExtraMeeting, cancelMeeting, cancellableMeetings, rescheduleMeeting } from '../../scheduler/meetings/cancellations.js';
import { toLocalIso } from '../../scheduler/domain/timetable.js';
import type { Result } from '../../scheduler/domain/types.js';
import { fromIds, gatedAction, gatedCommand, idsOf, type Caller, type Policy, type Reply } from './gate.js';
import type { RouteDeps } from './deps.js';
import { explainIssues, resolveAnswers } from './attendance-answers.js';
import type { TeamsApp } from '../teams-app.js';

const issues = (e: { issues: Array<{ message: string }> }) => e.issues.map((i) => i.message).join('; ');

const CHANGE_MEETINGS = "Only a Channel panel's chairs or a national lead can change its meetings.";
const RECORD_ATTENDANCE = "Only a Channel panel's chairs or a national lead can record its attendance.";

/** The cancel card's past-meeting list sends the meeting as `pastMeetingId` (the card's other meeting list is `meetingId`). */
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
  /** Opening a meeting's attendance card (a past one, from the chair's card) needs what recording it needs. */
  openAttendance: { claim: (input) => meetingChair(pastMeeting(input)), refusal: RECORD_ATTENDANCE },
  /** Inviting a force to a meeting changes the meeting, as moving it does. */
  inviteForce: { claim: meetingChair, refusal: CHANGE_MEETINGS },
  cancelCommand: { claim: () => ({ kind: 'chair' }), refusal: CHANGE_MEETINGS },
  flags: { claim: () => ({ kind: 'role' }), refusal: 'Flags are for panel chairs, force Prevent leads and their deputies, and national leads.' },
  panels: { claim: () => ({ kind: 'anyone' }), refusal: '' },
} satisfies Record<string, Policy>;

/** The chair's commands (`cancel`, `panels`, `flags`) and the cancel and attendance cards' actions. */
export function registerChairRoutes(app: TeamsApp, deps: RouteDeps, escalationWorkingDays = 2): void {
  const { store, clock, kick } = deps;
  const listCard = async (caller: Caller, notice?: string) => {
    const { meetings, panels, past, forces } = await cancellableMeetings(store, caller.aadObjectId, clock());
    return cancelCard(meetings, notice, panels, { past, forces });
  };
  /** A refusal after the gate (roles changed in between) reads as the gate's; anything else comes with the current list. */
  const orList = async (caller: Caller, r: Result<unknown> & { ok: false }, what: string) =>
    r.error.code === 'FORBIDDEN' ? caller.refusal : listCard(caller, r.error.code === 'STALE' || r.error.code === 'OUTDATED' ? r.error.message : `${what}: ${r.error.message}`);

  gatedCommand(app, store, /^\s*panels\s*$/i, CHAIR_POLICIES.panels, async (_ctx, caller) => {
    const rows = await myMeetings(store, caller.aadObjectId, clock(), escalationWorkingDays);
    return rows ? panelsCard(rows) : 'No Channel panel meetings involve you. Chairs, force Prevent leads, their deputies, national leads and named attendees see theirs here.';
  });

  gatedCommand(app, store, /^\s*flags\s*$/i, CHAIR_POLICIES.flags, async (_ctx, caller) => {
    const r = await openFlags(store, caller.aadObjectId, clock());
    return r ? flagsCard(r.flags) : caller.refusal;
  });

  gatedCommand(app, store, /^\s*cancel\s*$/i, CHAIR_POLICIES.cancelCommand, async (_ctx, caller) => listCard(caller));

  gatedAction(app, store, VERBS.cancelMeeting, CHAIR_POLICIES.changeMeeting, async (_ctx, caller, raw) => {
    const parsed = cancelData.safeParse(raw);
    if (!parsed.success) return listCard(caller, `Not cancelled: ${issues(parsed.error)}.`);
    const d = parsed.data;
    const r = await cancelMeeting(store, { ...d, version: d.versions[d.meetingId] ?? null }, caller.aadObjectId, clock());
    if (!r.ok) return orList(caller, r, 'Not cancelled');
    if (r.value.changed) kick();
    return cancelledCard(r.value.panel.name, toLocalIso(r.value.meeting.start), toLocalIso(r.value.meeting.end), r.value.reason, r.value.note);
  });

  gatedAction(app, store, VERBS.rescheduleMeeting, CHAIR_POLICIES.changeMeeting, async (_ctx, caller, raw) => {
    const parsed = rescheduleData.safeParse(raw);
    if (!parsed.success) return listCard(caller, `Not moved: ${issues(parsed.error)}.`);
    const d = parsed.data;
    const r = await rescheduleMeeting(store, d.meetingId, { date: d.newDate, time: d.newTime }, d.versions[d.meetingId] ?? null, caller.aadObjectId, clock());
    if (!r.ok) return orList(caller, r, 'Not moved');
    kick();
    return changedCard(`Moved: ${r.value.panel.name}`, toLocalIso(r.value.meeting.start), toLocalIso(r.value.meeting.end), 'The named attendee carries over and is told; the cards in each force\'s Teams channel show the new time.');
  });

  gatedAction(app, store, VERBS.addMeeting, CHAIR_POLICIES.addMeeting, async (_ctx, caller, raw) => {
    const parsed = addMeetingData.safeParse(raw);
    if (!parsed.success) return listCard(caller, `Not added: ${issues(parsed.error)}.`);
    const d = parsed.data;
    const fingerprint = d.snapshots?.[d.panelId];
    const snapshot = fingerprint && d.asOf ? { asOf: d.asOf, fingerprint } : null;
    const r = await addExtraMeeting(store, d.panelId, { date: d.extraDate, time: d.extraTime }, snapshot, caller.aadObjectId, clock());
    if (!r.ok) return orList(caller, r, 'Not added');
    // A meeting that already took place is added to be recorded: its attendance card is the answer.
    if (r.value.meeting.end <= clock()) return attendanceReply(r.value.meeting.id, `Extra meeting added: ${r.value.panel.name}. It has already ended: record what happened below.`, 'good');
    return changedCard(`Extra meeting added: ${r.value.panel.name}`, toLocalIso(r.value.meeting.start), toLocalIso(r.value.meeting.end), 'Each force facing the panel will be asked to name its attendee.');
  });

  gatedAction(app, store, VERBS.inviteForce, CHAIR_POLICIES.inviteForce, async (_ctx, caller, raw) => {
    const parsed = inviteForceData.safeParse(raw);
    if (!parsed.success) return listCard(caller, `Not invited: ${issues(parsed.error)}.`);
    const r = await inviteForce(store, parsed.data.meetingId, parsed.data.forceId, caller.aadObjectId, clock());
    if (!r.ok) return orList(caller, r, 'Not invited');
    if (r.value.changed) kick();
    const { force, panel, meeting } = r.value;
    return changedCard(`${force.name} invited: ${panel.name}`, toLocalIso(meeting.start), toLocalIso(meeting.end), `${force.name} is asked to name an attendee for this meeting only, and appears on its attendance card.`);
  });

  gatedAction(app, store, VERBS.openAttendance, CHAIR_POLICIES.openAttendance, async (_ctx, caller, raw) => {
    const parsed = openAttendanceData.safeParse(raw);
    if (!parsed.success) return listCard(caller, `Not opened: ${issues(parsed.error)}.`);
    const model = await attendanceCardModel(store, parsed.data.meetingId);
    // Past the gate with an unknown meeting only a national lead gets here, and the id told them nothing new.
    if (!model) return 'That meeting is not known to this bot.';
    if (model.meeting.status === 'cancelled') return listCard(caller, 'That meeting was cancelled, so there is no attendance to record.');
    if (model.meeting.end > clock()) return listCard(caller, 'Attendance can be recorded once the meeting has ended.');
    return attendanceCard(attendanceView(model));
  });

  gatedAction(app, store, VERBS.recordAttendance, CHAIR_POLICIES.recordAttendance, (ctx, caller, raw) => onAttendance(ctx, caller, raw));

  /** The meeting's attendance card as it stands, with a line on top. */
  async function attendanceReply(meetingId: string, notice?: string, tone?: 'attention' | 'good'): Promise<Reply> {
    const model = await attendanceCardModel(store, meetingId);
    return model ? attendanceCard(attendanceView(model), notice, tone) : 'That meeting is not known to this bot.';
  }

  async function onAttendance(ctx: TurnContext, caller: Caller, raw: unknown): Promise<Reply> {
    const { meetingId } = idsOf(raw);
    const model = meetingId ? await attendanceCardModel(store, meetingId) : null;
    // Past the gate without a meeting only a national lead gets here, and the id told them nothing new.
    if (!meetingId || !model) return 'That meeting is not known to this bot.';
    const parsed = attendanceData.safeParse(raw);
    if (!parsed.success) return attendanceReply(meetingId, `Nothing was recorded: ${explainIssues(parsed.error, model.forces)}.`);
    const answers = await resolveAnswers(ctx, model.forces, parsed.data);
    if (!answers.ok) return attendanceReply(meetingId, answers.error.message);
    const r = await recordAttendance(store, meetingId, answers.value, caller.aadObjectId, clock(), { source: 'chair', cardVersion: parsed.data.cardVersion });
    if (!r.ok) return r.error.code === 'FORBIDDEN' ? caller.refusal : attendanceReply(meetingId, refusedLine(r.error));
    if (r.value.changed) kick();
    return attendanceReply(meetingId, r.value.changed ? 'Recorded.' : 'Nothing changed: this is already the record.', 'good');
  }
}

/** A refused record: the use case's own words where they say what to do, else prefixed. */
const refusedLine = (e: { code: string; message: string }) => (['INCOMPLETE', 'STALE', 'OUTDATED'].includes(e.code) ? e.message : `Not recorded: ${e.message}`);
