import { addWorkingDays } from './domain/calendar-days.js';
import { localDate, toLocalIso } from './domain/timetable.js';
import type { Meeting, MeetingStatus, Nomination, Panel } from './domain/types.js';
import { DEFAULT_TIMINGS } from './nomination-jobs.js';
import type { MeetingFilter, Store } from './store/store.js';

/** A meeting as the CLI's `schedule --json` and the cards show it: local times with their offset. */
export interface MeetingView {
  id: string;
  panelId: string;
  panelName: string;
  forces: string[];
  start: string;
  end: string;
  status: MeetingStatus;
  moved: { from: string; reason: string } | null;
  extra: boolean;
  version: number;
  nominations: Array<{ forceId: string; aadObjectId: string; name: string; role: string; decisionMaker: boolean }>;
  attendance: Array<{ forceId: string; attended: boolean; aadObjectId: string | null; name: string | null; substitute: boolean; decisionMaker: boolean }>;
  flags: string[];
}

export interface ScheduleQuery {
  panelId?: string;
  forceId?: string;
  from?: string; // ISO instant
  to?: string; // ISO instant, exclusive
}

/** Panel-level flags that hold for every meeting of the panel. */
export function panelFlags(panel: Panel): string[] {
  return panel.timetable.kind === 'when-necessary' ? ['WHEN_NECESSARY_PANEL'] : [];
}

/**
 * NO_NOMINATION: a scheduled meeting within the escalation window (or started) with a force that named nobody.
 * Derived from the store each time, never stored, so it cannot drift from the facts.
 */
export function nominationFlags(m: Meeting, panel: Panel, nominations: Nomination[], now: string, escalationWorkingDays: number): string[] {
  if (m.status !== 'scheduled') return [];
  const due = localDate(now) >= addWorkingDays(localDate(m.start), -escalationWorkingDays);
  const missing = panel.forces.some((f) => !nominations.some((n) => n.forceId === f));
  return due && missing ? ['NO_NOMINATION'] : [];
}

/** Renders one stored meeting for people and machines. */
export function meetingView(m: Meeting, panel: Panel, nominations: Nomination[] = [], flags: string[] = []): MeetingView {
  return {
    id: m.id,
    panelId: m.panelId,
    panelName: panel.name,
    forces: panel.forces,
    start: toLocalIso(m.start),
    end: toLocalIso(m.end),
    status: m.status,
    moved: m.moved ? { from: toLocalIso(m.moved.from), reason: m.moved.reason } : null,
    extra: m.extra,
    version: m.version,
    nominations: nominations.map((n) => ({ forceId: n.forceId, aadObjectId: n.aadObjectId, name: n.name, role: n.role, decisionMaker: n.decisionMaker })),
    attendance: [],
    flags: [...panelFlags(panel), ...flags],
  };
}

/** The meetings a query selects, oldest first, with the panels they belong to. */
export async function listSchedule(store: Store, q: ScheduleQuery, now: string, escalationWorkingDays = DEFAULT_TIMINGS.escalationWorkingDays): Promise<{ meetings: MeetingView[]; panels: Panel[] }> {
  const panels = await store.directory.listPanels({ includeRetired: true });
  const byId = new Map(panels.map((p) => [p.id, p]));
  const filter: MeetingFilter = {
    ...(q.panelId ? { panelIds: [q.panelId] } : {}),
    ...(q.forceId ? { forceId: q.forceId } : {}),
    ...(q.from ? { from: q.from } : {}),
    ...(q.to ? { to: q.to } : {}),
  };
  const meetings = await store.meetings.list(filter);
  const nominations = new Map<string, Nomination[]>();
  for (const n of await store.nominations.listForMeetings(meetings.map((m) => m.id))) nominations.set(n.meetingId, [...(nominations.get(n.meetingId) ?? []), n]);
  const views = meetings.flatMap((m) => {
    const panel = byId.get(m.panelId);
    const named = nominations.get(m.id) ?? [];
    return panel ? [meetingView(m, panel, named, nominationFlags(m, panel, named, now, escalationWorkingDays))] : [];
  });
  const selected = panels.filter(
    (p) => !p.retired && (!q.panelId || p.id === q.panelId) && (!q.forceId || p.forces.includes(q.forceId)),
  );
  return { meetings: views, panels: selected };
}
