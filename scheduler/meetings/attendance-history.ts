import { decisionMakerPresent } from '../domain/attendance-rules.js';
import { computeFlags, forcesOf } from '../domain/flags.js';
import { toLocalIso } from '../domain/timetable.js';
import { ok, type AttendanceOutcome, type AttendanceSource, type Attendee, type ForceConfirmation, type Result } from '../domain/types.js';
import { reviewScope, type ReviewRequest, type Viewer } from '../review/review-query.js';
import type { ReviewScope } from '../review/review.js';
import { loadFlagMeetings } from '../planning/schedule-view.js';
import type { HistoryCursor } from '../store/store.js';
import type { Store } from '../store/store.js';

/** One force's representation at a meeting; `outcome` null means nothing was recorded. */
export interface HistoryForce {
  forceId: string;
  nominee: string | null;
  outcome: AttendanceOutcome | null;
  attendees: Attendee[];
  /** A decision maker represented the force (see decisionMakerPresent); null when nothing was recorded. */
  decisionMaker: boolean | null;
  source: AttendanceSource | null;
  forceConfirmation: ForceConfirmation | null;
  /** Invited to this meeting alone. */
  invited: boolean;
}

export interface HistoryRow {
  meetingId: string;
  panelId: string;
  panelName: string;
  start: string; // local ISO with offset
  end: string;
  status: string;
  extra: boolean;
  moved: boolean;
  forces: HistoryForce[];
  flags: string[];
}

export interface HistoryPage {
  scope: ReviewScope;
  rows: HistoryRow[];
  /** Where the next older page starts; null on the oldest page. */
  older: HistoryCursor | null;
  /** Where the next newer page starts; null on the newest page. */
  newer: HistoryCursor | null;
}

export interface PageRequest {
  cursor: HistoryCursor | null;
  direction: 'older' | 'newer';
  limit: number;
}

/**
 * Meetings that have started, newest first, one page at a time (keyset paging: no gaps or repeats as history grows),
 * with the viewer the page was decided for.
 */
export async function attendanceHistory(store: Store, actor: string | null, filter: ReviewRequest, page: PageRequest, now: string): Promise<Result<HistoryPage & { viewer: Viewer }>> {
  const scoped = await reviewScope(store, actor, filter);
  if (!scoped.ok) return scoped;
  const { scope, panels, viewer } = scoped.value;
  const to = filter.to && filter.to < now ? filter.to : now;
  const older = page.direction === 'older';
  const got = await store.review.historyPage({ panelIds: scope.panels, from: filter.from ?? null, to, cursor: page.cursor, direction: page.direction, limit: page.limit + 1 });
  const more = got.length > page.limit;
  const shown = older ? got.slice(0, page.limit) : got.slice(got.length - Math.min(got.length, page.limit));
  const meetings = await loadFlagMeetings(store, shown);
  const byId = new Map(panels.map((p) => [p.id, p]));
  const rows = meetings.flatMap((m) => {
    const panel = byId.get(m.panelId);
    if (!panel) return [];
    // An area's team sees its force only on the area's panels (scope.forcePanels), as the review counts it.
    const forces = forcesOf(panel, m).filter((f) => (!scope.forces || scope.forces.includes(f)) && (!scope.forcePanels?.[f] || scope.forcePanels[f]!.includes(panel.id)));
    // A row shows its meeting's own flags: a month's are judged on all its meetings, in the review and `flags`.
    const flags = computeFlags(panel, [m], now).filter((f) => !f.month && f.meetingId === m.id && (!f.forceId || forces.includes(f.forceId)));
    const row: HistoryRow = {
      meetingId: m.id, panelId: panel.id, panelName: panel.name, start: toLocalIso(m.start), end: toLocalIso(m.end),
      status: statusOf(m, now), extra: m.extra, moved: !!m.moved,
      forces: forces.map((forceId) => {
        const n = m.nominations.find((x) => x.forceId === forceId);
        const a = m.attendance.find((x) => x.forceId === forceId);
        return {
          forceId, nominee: n?.name ?? null, outcome: a?.outcome ?? null, attendees: a?.attendees ?? [], decisionMaker: a ? decisionMakerPresent(a) : null,
          source: a?.source ?? null, forceConfirmation: a?.forceConfirmation ?? null, invited: !panel.forces.includes(forceId),
        };
      }),
      flags: [...new Set(flags.map((f) => f.code))],
    };
    return [row];
  });
  const edge = (i: number) => (shown[i] ? { start: shown[i]!.start, id: shown[i]!.id } : null);
  return ok({
    scope,
    viewer,
    rows,
    older: (older ? more : true) && shown.length ? edge(shown.length - 1) : null,
    newer: (older ? page.cursor !== null : more) && shown.length ? edge(0) : null,
  });
}

/** As the review counts it: held only when the chair recorded it; an ended meeting with no record says so. */
function statusOf(m: { status: string; start: string; end: string }, now: string): string {
  if (m.status !== 'scheduled') return m.status;
  return m.end <= now ? 'ended, not recorded' : m.start <= now ? 'in progress' : 'scheduled';
}
