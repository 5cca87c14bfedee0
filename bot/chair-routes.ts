import type { TurnContext } from 'botbuilder';
import type { AdaptiveCard } from '@microsoft/teams-ai';
import { cancelCard, cancelledCard, changedCard } from '../cards/cancel-card.js';
import { flagsCard } from '../cards/flags-card.js';
import { panelsCard } from '../cards/panels-card.js';
import { myMeetings } from '../scheduler/my-panels.js';
import { openFlags } from '../scheduler/open-flags.js';
import { attendanceCard } from '../cards/attendance-card.js';
import { addMeetingData, attendanceData, cancelData, rescheduleData, VERBS } from '../cards/verbs.js';
import { attendanceCardModel, recordAttendance, type AttendanceInput } from '../scheduler/attendance.js';
import { attendanceView } from './outbox-sender.js';
import { addExtraMeeting, cancelMeeting, cancellableMeetings, rescheduleMeeting } from '../scheduler/cancellations.js';
import { toLocalIso } from '../scheduler/domain/timetable.js';
import type { RouteDeps } from './nomination-routes.js';
import { resolvePickedPerson } from './people.js';
import type { TeamsApp } from './teams-app.js';

const answer = (reply: string | Record<string, unknown>): string | AdaptiveCard => reply as string | AdaptiveCard;
const actorOf = (ctx: TurnContext) => ctx.activity.from?.aadObjectId?.toLowerCase() ?? '';

/** The chair's commands: `cancel` and the cancel card's action. */
export function registerChairRoutes(app: TeamsApp, { store, clock, kick }: RouteDeps, escalationWorkingDays = 2): void {
  const listCard = async (ctx: TurnContext, notice?: string) => {
    const { access, meetings, panels } = await cancellableMeetings(store, actorOf(ctx), clock());
    if (!access.national && access.panels.size === 0) return null;
    return cancelCard(meetings, notice, panels);
  };

  app.message(/^\s*panels\s*$/i, async (ctx) => {
    const rows = await myMeetings(store, actorOf(ctx), clock(), escalationWorkingDays);
    if (!rows) return void (await ctx.sendActivity('No Channel panel meetings involve you. Chairs, force Prevent leads, their deputies, national leads and named attendees see theirs here.'));
    await ctx.sendActivity({ attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: panelsCard(rows) }] });
  });

  app.message(/^\s*flags\s*$/i, async (ctx) => {
    const r = await openFlags(store, actorOf(ctx), clock());
    if (!r) return void (await ctx.sendActivity('Flags are for panel chairs, force Prevent leads and their deputies, and national leads.'));
    await ctx.sendActivity({ attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: flagsCard(r.flags) }] });
  });

  app.message(/^\s*cancel\s*$/i, async (ctx) => {
    const c = await listCard(ctx);
    if (!c) return void (await ctx.sendActivity("Only a Channel panel's chairs or a national lead can cancel its meetings."));
    await ctx.sendActivity({ attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: c }] });
  });

  app.adaptiveCards.actionExecute(VERBS.cancelMeeting, async (ctx, _state, raw) => {
    const parsed = cancelData.safeParse(raw);
    if (!parsed.success) {
      return answer((await listCard(ctx, `Not cancelled: ${parsed.error.issues.map((i) => i.message).join('; ')}.`)) ?? 'You cannot cancel meetings.');
    }
    const r = await cancelMeeting(store, parsed.data, actorOf(ctx), clock());
    if (!r.ok) return answer(r.error.code === 'FORBIDDEN' ? r.error.message : ((await listCard(ctx, `Not cancelled: ${r.error.message}`)) ?? r.error.message));
    if (r.value.changed) kick();
    return answer(cancelledCard(r.value.panel.name, toLocalIso(r.value.meeting.start), toLocalIso(r.value.meeting.end), parsed.data.reason));
  });

  app.adaptiveCards.actionExecute(VERBS.rescheduleMeeting, async (ctx, _state, raw) => {
    const parsed = rescheduleData.safeParse(raw);
    if (!parsed.success) return answer((await listCard(ctx, `Not moved: ${parsed.error.issues.map((i) => i.message).join('; ')}.`)) ?? 'You cannot move meetings.');
    const r = await rescheduleMeeting(store, parsed.data.meetingId, { date: parsed.data.newDate, time: parsed.data.newTime }, actorOf(ctx), clock());
    if (!r.ok) return answer(r.error.code === 'FORBIDDEN' ? r.error.message : ((await listCard(ctx, `Not moved: ${r.error.message}`)) ?? r.error.message));
    kick();
    return answer(changedCard(`Moved: ${r.value.panel.name}`, toLocalIso(r.value.meeting.start), toLocalIso(r.value.meeting.end), 'The named attendee carries over and is told; the cards in each force\'s Teams channel show the new time.'));
  });

  app.adaptiveCards.actionExecute(VERBS.addMeeting, async (ctx, _state, raw) => {
    const parsed = addMeetingData.safeParse(raw);
    if (!parsed.success) return answer((await listCard(ctx, `Not added: ${parsed.error.issues.map((i) => i.message).join('; ')}.`)) ?? 'You cannot add meetings.');
    const r = await addExtraMeeting(store, parsed.data.panelId, { date: parsed.data.extraDate, time: parsed.data.extraTime }, actorOf(ctx), clock());
    if (!r.ok) return answer(r.error.code === 'FORBIDDEN' ? r.error.message : ((await listCard(ctx, `Not added: ${r.error.message}`)) ?? r.error.message));
    return answer(changedCard(`Extra meeting added: ${r.value.panel.name}`, toLocalIso(r.value.meeting.start), toLocalIso(r.value.meeting.end), 'Each force facing the panel will be asked to name its attendee.'));
  });

  app.adaptiveCards.actionExecute(VERBS.recordAttendance, async (ctx, _state, raw) => answer(await onAttendance(ctx, raw)));

  async function onAttendance(ctx: TurnContext, raw: unknown): Promise<string | Record<string, unknown>> {
    const meetingId = typeof (raw as { meetingId?: unknown })?.meetingId === 'string' ? (raw as { meetingId: string }).meetingId : '';
    const model = await attendanceCardModel(store, meetingId);
    if (!model) return 'That meeting is not known to this bot.';
    const again = async (notice?: string) => attendanceCard(attendanceView((await attendanceCardModel(store, meetingId))!), notice);
    const parsed = attendanceData.safeParse(raw);
    if (!parsed.success) return again(`Not recorded: ${parsed.error.issues.map((i) => i.message).join('; ')}.`);
    const records: AttendanceInput[] = [];
    for (const r of parsed.data.records) {
      // A force that does not face the panel is refused by recordAttendance, with its own reason.
      const force = model.forces.find((f) => f.id === r.forceId);
      const person = force && r.attendee ? await resolvePickedPerson(ctx, force.choices, r.attendee) : null;
      if (force && r.attendee && !person) return again(`Not recorded: I could not find who attended for ${r.forceId} in this team. Pick them from the list.`);
      records.push({ forceId: r.forceId, attended: r.attended, attendee: person, decisionMaker: r.decisionMaker });
    }
    const r = await recordAttendance(store, meetingId, records, actorOf(ctx), clock());
    if (!r.ok) return r.error.code === 'FORBIDDEN' ? r.error.message : again(`Not recorded: ${r.error.message}`);
    return again();
  }
}
