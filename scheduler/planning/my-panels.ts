import { DateTime } from 'luxon';
import type { FlagCode } from '../domain/flags.js';
import { toLocalIso } from '../domain/timetable.js';
import type { Force, MeetingStatus, Panel } from '../domain/types.js';
import { meetingsFingerprint, type ChairPanelView } from '../meetings/cancellations.js';
import { accessFor, actsForAreaPanel, canActForForce, canActForForceOn, canActForPanel, hasRole, seesForceOf, visiblePanels, type Access } from '../people/access.js';
import { openFlags } from '../review/open-flags.js';
import { listSchedule, type ForceView, type MeetingView } from './schedule-view.js';
import type { Store } from '../store/store.js';

export interface MyMeeting extends MeetingView {
  /** Forces this person may name the attendee for. */
  canNominateFor: string[];
  canCancel: boolean;
}

const LIMIT = 10;

/** The next meetings a person is involved in (as chair, Prevent lead, deputy, national lead or nominee). */
export async function myMeetings(store: Store, actor: string, now: string, escalationWorkingDays: number): Promise<MyMeeting[] | null> {
  const access = await accessFor(store, actor);
  const panels = visiblePanels(access, await store.directory.listPanels());
  // National leads and a panel's chairs see every force's part; a lead their own forces'; a nominee their own nomination.
  const view: ForceView = { sees: (panel, forceId) => seesForceOf(access, panel.id, forceId), person: access.aadObjectId };
  const to = DateTime.fromISO(now, { zone: 'utc' }).plus({ months: 3 }).toISO()!;
  const upcoming: MeetingView[] = [];
  for (const p of panels) upcoming.push(...(await listSchedule(store, { panelId: p.id, from: now, to }, now, escalationWorkingDays, view)).meetings);
  const panelIds = new Set(panels.map((p) => p.id));
  // A nominee without a role still sees the meetings they were named for.
  const all = (await listSchedule(store, { from: now, to }, now, escalationWorkingDays, view)).meetings;
  // So does a force's lead for a meeting their force was invited to alone.
  upcoming.push(...all.filter((m) => !panelIds.has(m.panelId) && (m.nominations.some((n) => n.aadObjectId === access.aadObjectId) || m.invited.some((f) => canActForForce(access, f)))));
  if (!upcoming.length && !hasRole(access)) return null;
  return upcoming
    .sort((a, b) => (a.start < b.start ? -1 : 1))
    .slice(0, LIMIT)
    .map((m) => ({
      ...m,
      canNominateFor: m.status === 'scheduled' ? m.forces.filter((f) => canActForForceOn(access, f, m.panelId)) : [],
      canCancel: m.status === 'scheduled' && canActForPanel(access, m.panelId),
    }));
}

/** How far ahead `panels` looks. */
export const PANELS_MONTHS = 3;
const CHAIR_LIMIT = 8;
const UNRECORDED_LIMIT = 3;
const NATIONAL_NEXT = 5;

/** One force's part of a meeting as the `panels` card shows it: by name, with its nominee. */
export interface PanelsForce {
  id: string;
  name: string;
  invited: boolean;
  nominee: { name: string; decisionMaker: boolean } | null;
  /** The person may name (or change) this force's attendee. */
  canName: boolean;
}

/** A meeting on the `panels` card: only the forces the person may see, and the flags they may see. */
export interface PanelsMeeting {
  id: string;
  version: number;
  panelId: string;
  panelName: string;
  start: string;
  end: string;
  status: MeetingStatus;
  extra: boolean;
  moved: boolean;
  forces: PanelsForce[];
  flags: FlagCode[];
}

/** What a chair sees: their panels' next meetings, those that ended with nothing recorded, and their panels (to add one). */
export interface ChairSection {
  meetings: PanelsMeeting[];
  unrecorded: Array<{ id: string; panelName: string; start: string; end: string }>;
  panels: ChairPanelView[];
}

/** One force as a national lead first sees it: counts, and its next meetings behind a toggle. */
export interface NationalForce {
  id: string;
  name: string;
  /** Scheduled meetings in the next PANELS_MONTHS months. */
  meetings: number;
  /** Of those, how many the force has named nobody for. */
  unnamed: number;
  /** Open flags about the force or its panels, as `flags` lists them. */
  flags: number;
  next: PanelsMeeting[];
  /** A big force's areas, each with its own counts (absent for a force without areas). */
  areas?: Array<{ name: string; meetings: number; unnamed: number }>;
}

/** The `panels` card's content, shaped by role; a person may hold several roles, so several sections may be set. */
export interface PanelsView {
  months: number;
  chair: ChairSection | null;
  /** A force Prevent lead's or deputy's force meetings (not for national leads, who see every force below). */
  lead: PanelsMeeting[] | null;
  /** Meetings the person is named to attend that no other section shows. */
  named: PanelsMeeting[];
  national: NationalForce[] | null;
}

type Row = (m: MeetingView, shown: (forceId: string) => boolean, withFlags?: boolean) => PanelsMeeting;

/** A person's meetings, shaped by what they do: a chair, a force's lead, a national lead, someone named to attend. Null for someone with none. */
export async function panelsView(store: Store, actor: string, now: string, escalationWorkingDays: number): Promise<PanelsView | null> {
  const access = await accessFor(store, actor);
  const [panels, forces] = await Promise.all([store.directory.listPanels(), store.directory.listForces({ includeRetired: true })]);
  const names = new Map(forces.map((f) => [f.id, f.name]));
  const view: ForceView | undefined = access.national ? undefined : { sees: (panel, forceId) => seesForceOf(access, panel.id, forceId), person: access.aadObjectId };
  const to = DateTime.fromISO(now, { zone: 'utc' }).plus({ months: PANELS_MONTHS }).toISO()!;
  const live = new Set(panels.map((p) => p.id));
  const upcoming = (await listSchedule(store, { from: now, to }, now, escalationWorkingDays, view)).meetings.filter((m) => live.has(m.panelId));
  const row: Row = (m, shown, withFlags = true) => toRow(m, access, names, shown, withFlags);
  const chair = access.panels.size ? await chairSection(store, access, panels, upcoming, row, now) : null;
  // A force's leads see its meetings; an area's team those of its area's panels.
  const actsOn = (m: MeetingView, f: string) => access.forces.has(f) || actsForAreaPanel(access, f, m.panelId);
  const lead = !access.national && (access.forces.size || access.areas.size) ? upcoming.filter((m) => m.forces.some((f) => actsOn(m, f))).slice(0, LIMIT).map((m) => row(m, (f) => actsOn(m, f))) : null;
  const shown = new Set([...(chair?.meetings ?? []), ...(lead ?? [])].map((m) => m.id));
  const mine = (m: MeetingView, f: string) => m.nominations.some((n) => n.forceId === f && n.aadObjectId === access.aadObjectId);
  const named = access.national ? [] : upcoming.filter((m) => !shown.has(m.id) && m.forces.some((f) => mine(m, f))).slice(0, LIMIT).map((m) => row(m, (f) => mine(m, f)));
  const national = access.national ? await nationalSection(store, actor, now, panels, forces.filter((f) => !f.retired), upcoming, row) : null;
  if (!hasRole(access) && !named.length) return null;
  return { months: PANELS_MONTHS, chair, lead, named, national };
}

function toRow(m: MeetingView, access: Access, names: Map<string, string>, shown: (forceId: string) => boolean, withFlags: boolean): PanelsMeeting {
  return {
    id: m.id, version: m.version, panelId: m.panelId, panelName: m.panelName, start: m.start, end: m.end, status: m.status, extra: m.extra, moved: !!m.moved,
    forces: m.forces.filter(shown).map((f) => {
      const n = m.nominations.find((x) => x.forceId === f);
      return { id: f, name: names.get(f) ?? f, invited: m.invited.includes(f), nominee: n ? { name: n.name, decisionMaker: n.decisionMaker } : null, canName: m.status === 'scheduled' && canActForForceOn(access, f, m.panelId) };
    }),
    flags: withFlags ? (m.flags as FlagCode[]) : [],
  };
}

async function chairSection(store: Store, access: Access, panels: Panel[], upcoming: MeetingView[], row: Row, now: string): Promise<ChairSection> {
  const chaired = panels.filter((p) => access.panels.has(p.id));
  const panelIds = chaired.map((p) => p.id);
  const coming = await store.meetings.list({ panelIds, from: now });
  // Ended and still `scheduled`: nobody has said whether it took place. Newest first.
  const ended = (await store.meetings.list({ panelIds, to: now, statuses: ['scheduled'] })).filter((m) => m.end <= now).reverse().slice(0, UNRECORDED_LIMIT);
  const nameOf = new Map(chaired.map((p) => [p.id, p.name]));
  return {
    meetings: upcoming.filter((m) => access.panels.has(m.panelId)).slice(0, CHAIR_LIMIT).map((m) => row(m, () => true)),
    unrecorded: ended.map((m) => ({ id: m.id, panelName: nameOf.get(m.panelId)!, start: toLocalIso(m.start), end: toLocalIso(m.end) })),
    panels: chaired.map((p) => ({
      id: p.id, name: p.name, whenNecessary: p.timetable.kind === 'when-necessary',
      snapshot: { asOf: now, fingerprint: meetingsFingerprint(coming.filter((m) => m.panelId === p.id)) },
    })),
  };
}

async function nationalSection(store: Store, actor: string, now: string, panels: Panel[], forces: Force[], upcoming: MeetingView[], row: Row): Promise<NationalForce[]> {
  const open = (await openFlags(store, actor, now))?.flags ?? [];
  const facing = new Map(panels.map((p) => [p.id, p.forces]));
  return [...forces].sort((a, b) => a.name.localeCompare(b.name)).map((f) => {
    const ms = upcoming.filter((m) => m.status === 'scheduled' && m.forces.includes(f.id));
    const unnamed = (list: MeetingView[]) => list.filter((m) => !m.nominations.some((n) => n.forceId === f.id)).length;
    const areas = f.areas?.map((a) => {
      const inArea = ms.filter((m) => a.panels.includes(m.panelId));
      return { name: a.name, meetings: inArea.length, unnamed: unnamed(inArea) };
    });
    return {
      ...(areas ? { areas } : {}),
      id: f.id, name: f.name, meetings: ms.length,
      unnamed: unnamed(ms),
      // A flag about one force counts for it; a panel's own (a month lost, a timetable) for every force it faces.
      flags: open.filter((x) => (x.forceId ? x.forceId === f.id : (facing.get(x.panelId) ?? []).includes(f.id))).length,
      // The flags on a meeting do not say which force they are about: the count above does, and `flags` lists them.
      next: ms.slice(0, NATIONAL_NEXT).map((m) => row(m, (id) => id === f.id, false)),
    };
  });
}
