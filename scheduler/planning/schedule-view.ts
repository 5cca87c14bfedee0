import { groupBy, groupByMeeting } from '../domain/group.js';
import { computeFlags, DEFAULT_FLAG_SETTINGS, forcesOf, type FlagMeeting } from '../domain/flags.js';
import { toLocalIso } from '../domain/timetable.js';
import { timetableClass } from '../domain/timetable-class.js';
import type { AgencyCounts, Attendance, AttendanceOutcome, AttendanceSource, Attendee, ForceConfirmation, Meeting, MeetingStatus, Nomination, Panel, ReasonSlug } from '../domain/types.js';
import { slugOf } from '../domain/types.js';
import { DEFAULT_TIMINGS } from '../nominations/nomination-jobs.js';
import type { MeetingFilter, Store } from '../store/store.js';

/** A meeting as the CLI's `schedule --json` and the cards show it: local times with their offset. */
export interface MeetingView {
  id: string;
  panelId: string;
  panelName: string;
  /** The panel's forces, then any invited to this meeting alone. */
  forces: string[];
  invited: string[];
  start: string;
  end: string;
  status: MeetingStatus;
  moved: { from: string; reason: string } | null;
  extra: boolean;
  version: number;
  nominations: Array<{ forceId: string; aadObjectId: string; name: string; role: string; decisionMaker: boolean }>;
  /** One entry per force with a record (CONTRACT.md's shape). */
  attendance: Array<{
    forceId: string;
    outcome: AttendanceOutcome;
    attendees: Attendee[];
    source: AttendanceSource;
    forceConfirmation: ForceConfirmation;
  }>;
  /** Held or not held, why (a reason slug) and other agencies present, once recorded. */
  record: { outcome: 'held' | 'not-held'; notHeldReason: ReasonSlug | null; agencies: AgencyCounts; source: AttendanceSource } | null;
  flags: string[];
}

export interface ScheduleQuery {
  panelId?: string;
  forceId?: string;
  from?: string; // ISO instant
  to?: string; // ISO instant, exclusive
}

const CLASS_FLAGS = { guidance: [], 'below-guidance': ['BELOW_GUIDANCE_TIMETABLE'], 'when-necessary': ['WHEN_NECESSARY_PANEL'] } as const;

/** An end for a listing with none: months to come are never judged anyway. */
const FAR = '9999-12-31T00:00:00.000Z';

/** Panel-level flags that hold for every meeting of the panel: a timetable below the guidance, or none. */
export function panelFlags(panel: Panel): string[] {
  return [...CLASS_FLAGS[timetableClass(panel.timetable)]];
}

/** Renders one stored meeting for people and machines. */
export function meetingView(m: Meeting, panel: Panel, nominations: Nomination[] = [], flags: string[] = [], attendance: Attendance[] = [], extras: Pick<FlagMeeting, 'invited' | 'meetingRecord'> = { invited: [], meetingRecord: null }): MeetingView {
  return {
    id: m.id,
    panelId: m.panelId,
    panelName: panel.name,
    forces: forcesOf(panel, extras),
    invited: extras.invited,
    start: toLocalIso(m.start),
    end: toLocalIso(m.end),
    status: m.status,
    moved: m.moved ? { from: toLocalIso(m.moved.from), reason: m.moved.reason } : null,
    extra: m.extra,
    version: m.version,
    nominations: nominations.map((n) => ({ forceId: n.forceId, aadObjectId: n.aadObjectId, name: n.name, role: n.role, decisionMaker: n.decisionMaker })),
    attendance: attendance.map((a) => ({ forceId: a.forceId, outcome: a.outcome, attendees: a.attendees, source: a.source, forceConfirmation: a.forceConfirmation })),
    record: extras.meetingRecord && {
      outcome: extras.meetingRecord.outcome,
      notHeldReason: extras.meetingRecord.notHeldReason && slugOf(extras.meetingRecord.notHeldReason),
      agencies: extras.meetingRecord.agencies,
      source: extras.meetingRecord.source,
    },
    flags: [...new Set([...panelFlags(panel), ...flags])],
  };
}

/** Meetings with what the flags need: cancellation reasons, nominations and attendance, read in three queries. */
export async function loadFlagMeetings(store: Store, meetings: Meeting[]): Promise<FlagMeeting[]> {
  const ids = meetings.map((m) => m.id);
  const [nominations, attendance, cancellations, invitations, records] = await Promise.all([
    store.nominations.listForMeetings(ids), store.chairs.attendance(ids), store.chairs.cancellations(ids), store.chairs.invitations(ids), store.chairs.meetingRecords(ids),
  ]);
  const [n, a, i] = [groupByMeeting(nominations), groupByMeeting(attendance), groupByMeeting(invitations)];
  const reasons = new Map(cancellations.map((c) => [c.meetingId, c.reason]));
  const recorded = new Map(records.map((r) => [r.meetingId, r]));
  return meetings.map((m) => ({
    ...m, cancelReason: reasons.get(m.id) ?? null, nominations: n.get(m.id) ?? [], attendance: a.get(m.id) ?? [],
    invited: (i.get(m.id) ?? []).map((x) => x.forceId), meetingRecord: recorded.get(m.id) ?? null,
  }));
}

/**
 * Which forces' parts of a panel's meetings (nominations, attendance, force flags) a viewer may see, and whose own
 * nomination they always see; unset shows every force (the operator, national leads).
 */
export interface ForceView {
  sees: (panel: Panel, forceId: string) => boolean;
  person: string;
}

/** The meetings a query selects, oldest first, with the panels they belong to. */
export async function listSchedule(store: Store, q: ScheduleQuery, now: string, escalationWorkingDays = DEFAULT_TIMINGS.escalationWorkingDays, view?: ForceView): Promise<{ meetings: MeetingView[]; panels: Panel[] }> {
  const panels = await store.directory.listPanels({ includeRetired: true });
  const byId = new Map(panels.map((p) => [p.id, p]));
  const filter: MeetingFilter = {
    ...(q.panelId ? { panelIds: [q.panelId] } : {}),
    ...(q.forceId ? { forceId: q.forceId } : {}),
    ...(q.from ? { from: q.from } : {}),
    ...(q.to ? { to: q.to } : {}),
  };
  const meetings = await loadFlagMeetings(store, await store.meetings.list(filter));
  const settings = { ...DEFAULT_FLAG_SETTINGS, escalationWorkingDays };
  const shownFlags = panels.flatMap((panel) =>
    // Given a start, only months wholly listed are judged: a month cut in two would be judged on half its meetings.
    computeFlags(panel, meetings, now, settings, q.from ? { from: q.from, to: q.to ?? FAR } : undefined).filter((f) => f.meetingId && (!view || !f.forceId || view.sees(panel, f.forceId))),
  );
  const flagsOf = groupBy(shownFlags, (f) => f.meetingId!);
  const views = meetings.flatMap((m) => {
    const panel = byId.get(m.panelId);
    if (!panel) return [];
    // Another force's nominee, record or even "nobody named" is that force's business, not the viewer's.
    const sees = (forceId: string, people: Array<string | null>) => !view || view.sees(panel, forceId) || people.includes(view.person);
    const nominations = m.nominations.filter((n) => sees(n.forceId, [n.aadObjectId]));
    const attendance = m.attendance.filter((a) => sees(a.forceId, a.attendees.map((p) => p.aadObjectId)));
    return [meetingView(m, panel, nominations, (flagsOf.get(m.id) ?? []).map((f) => f.code), attendance, m)];
  });
  const selected = panels.filter(
    (p) => !p.retired && (!q.panelId || p.id === q.panelId) && (!q.forceId || p.forces.includes(q.forceId)),
  );
  return { meetings: views, panels: selected };
}
