import type { TurnContext } from 'botbuilder';
import { cancelCard, cancelledCard, changedCard } from '../../cards/cancel-card.js';
import { flagsCard } from '../../cards/flags-card.js';
import { panelsCard } from '../../cards/panels-card.js';
import { myMeetings } from '../../scheduler/planning/my-panels.js';
import { openFlags } from '../../scheduler/review/open-flags.js';
import { attendanceCard } from '../../cards/attendance-card.js';
import { addMeetingData, attendanceData, cancelData, rescheduleData, VERBS } from '../../cards/verbs.js';
import { attendanceCardModel, recordAttendance, type AttendanceInput } from '../../scheduler/meetings/attendance.js';
import { attendanceView } from '../outbox-sender.js';
import { addExtraMeeting, cancelMeeting, cancellableMeetings, rescheduleMeeting } from '../../scheduler/meetings/cancellations.js';
import { toLocalIso } from '../../scheduler/domain/timetable.js';
import type { Result } from '../../scheduler/domain/types.js';
import { fromIds, gatedAction, gatedCommand, idsOf, type Caller, type Policy, type Reply } from './gate.js';
import type { RouteDeps } from './deps.js';
import { resolvePickedPerson } from './people.js';
import type { TeamsApp } from '../teams-app.js';

const issues = (e: { issues: Array<{ message: string }> }) => e.issues.map((i) => i.message).join('; ');

const CHANGE_MEETINGS = "Only a Channel panel's chairs or a national lead can change its meetings.";

/** Who may change a panel's meetings: its chairs and national leads, for the meeting or panel the press names. */
export const CHAIR_POLICIES = {
  changeMeeting: {
    claim: fromIds(({ meetingId }) => (meetingId ? { kind: 'meeting-chair', meetingId } : { kind: 'chair' })),
    refusal: CHANGE_MEETINGS,
  },
  addMeeting: {
    claim: fromIds(({ panelId }) => (panelId ? { kind: 'panel', panelId } : { kind: 'chair' })),
    refusal: CHANGE_MEETINGS,
  },
  recordAttendance: {
    claim: fromIds(({ meetingId }) => (meetingId ? { kind: 'meeting-chair', meetingId } : { kind: 'chair' })),
    refusal: "Only a Channel panel's chairs or a national lead can record its attendance.",
  },
  cancelCommand: { claim: () => ({ kind: 'chair' }), refusal: CHANGE_MEETINGS },
  flags: { claim: () => ({ kind: 'role' }), refusal: 'Flags are for panel chairs, force Prevent leads and their deputies, and national leads.' },
  panels: { claim: () => ({ kind: 'anyone' }), refusal: '' },
} satisfies Record<string, Policy>;

/** The chair's commands (`cancel`, `panels`, `flags`) and the cancel and attendance cards' actions. */
export function registerChairRoutes(app: TeamsApp, deps: RouteDeps, escalationWorkingDays = 2): void {
  const { store, clock, kick } = deps;
  const listCard = async (caller: Caller, notice?: string) => {
    const { meetings, panels } = await cancellableMeetings(store, caller.aadObjectId, clock());
    return cancelCard(meetings, notice, panels);
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
    return cancelledCard(r.value.panel.name, toLocalIso(r.value.meeting.start), toLocalIso(r.value.meeting.end), r.value.reason);
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
    return changedCard(`Extra meeting added: ${r.value.panel.name}`, toLocalIso(r.value.meeting.start), toLocalIso(r.value.meeting.end), 'Each force facing the panel will be asked to name its attendee.');
  });

  gatedAction(app, store, VERBS.recordAttendance, CHAIR_POLICIES.recordAttendance, (ctx, caller, raw) => onAttendance(ctx, caller, raw));

  async function onAttendance(ctx: TurnContext, caller: Caller, raw: unknown): Promise<Reply> {
    const { meetingId } = idsOf(raw);
    const model = meetingId ? await attendanceCardModel(store, meetingId) : null;
    // Past the gate without a meeting only a national lead gets here, and the id told them nothing new.
    if (!meetingId || !model) return 'That meeting is not known to this bot.';
    const again = async (notice?: string) => attendanceCard(attendanceView((await attendanceCardModel(store, meetingId))!), notice);
    const parsed = attendanceData.safeParse(raw);
    if (!parsed.success) return again(`Not recorded: ${issues(parsed.error)}.`);
    const records: AttendanceInput[] = [];
    for (const r of parsed.data.records) {
      // A force that does not face the panel is refused by recordAttendance, with its own reason.
      const force = model.forces.find((f) => f.id === r.forceId);
      const person = force && r.attendee ? await resolvePickedPerson(ctx, force.choices, r.attendee) : null;
      if (force && r.attendee && !person) return again(`Not recorded: I could not find who attended for ${force.name} in this team. Pick them from the list.`);
      records.push({ forceId: r.forceId, attended: r.attended, attendee: person, decisionMaker: r.decisionMaker });
    }
    const r = await recordAttendance(store, meetingId, records, caller.aadObjectId, clock(), parsed.data.cardVersion);
    if (!r.ok) return r.error.code === 'FORBIDDEN' ? caller.refusal : again(r.error.code === 'STALE' || r.error.code === 'OUTDATED' ? r.error.message : `Not recorded: ${r.error.message}`);
    return again();
  }
}
