import { toLocalIso } from './domain/timetable.js';
import type { Meeting, MeetingStatus, Panel } from './domain/types.js';
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

/** Renders one stored meeting for people and machines. */
export function meetingView(m: Meeting, panel: Panel): MeetingView {
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
    nominations: [],
    attendance: [],
    flags: panelFlags(panel),
  };
}

/** The meetings a query selects, oldest first, with the panels they belong to. */
export async function listSchedule(store: Store, q: ScheduleQuery): Promise<{ meetings: MeetingView[]; panels: Panel[] }> {
  const panels = await store.directory.listPanels({ includeRetired: true });
  const byId = new Map(panels.map((p) => [p.id, p]));
  const filter: MeetingFilter = {
    ...(q.panelId ? { panelIds: [q.panelId] } : {}),
    ...(q.forceId ? { forceId: q.forceId } : {}),
    ...(q.from ? { from: q.from } : {}),
    ...(q.to ? { to: q.to } : {}),
  };
  const meetings = await store.meetings.list(filter);
  const views = meetings.flatMap((m) => {
    const panel = byId.get(m.panelId);
    return panel ? [meetingView(m, panel)] : [];
  });
  const selected = panels.filter(
    (p) => !p.retired && (!q.panelId || p.id === q.panelId) && (!q.forceId || p.forces.includes(q.forceId)),
  );
  return { meetings: views, panels: selected };
}
