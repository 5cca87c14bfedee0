import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import { parse as parseYaml } from 'yaml';
import { addDays, addWorkingDays } from '../scheduler/domain/calendar-days.js';
import { monthOf } from '../scheduler/domain/months.js';
import { localDate, localToUtc, planOccurrences, toLocalIso } from '../scheduler/domain/timetable.js';
import type { Meeting, Panel, PanelsConfig } from '../scheduler/domain/types.js';
import { parsePanelsConfig } from '../scheduler/planning/panels-config.js';
import { normaliseInstant, planMeetings, syncPanels } from '../scheduler/planning/sync.js';
import type { Store } from '../scheduler/store/store.js';
import { castOf } from './cast.js';
import { importStep, type Imported } from './import-step.js';
import { playExtraMeeting, playMeeting, type DemoContext } from './meeting-steps.js';
import { JUST_ENDED, ORDINARY, storyFor, WHEN_NECESSARY_MEETINGS } from './script.js';
import { Timeline } from './timeline.js';
import { upcomingSteps, type Upcoming } from './upcoming.js';

/** The forces and panels the demo's script is written for. */
export const DEMO_PANELS_FILE = fileURLToPath(new URL('../config/panels.sample.yaml', import.meta.url));

/** What seeding wrote, for the line the demo prints. */
export interface DemoSummary {
  /** The first instant of the invented year (its first month's first day, Europe/London). */
  from: string;
  meetings: number;
  steps: number;
  /** The extra meeting that has just ended, waiting for its attendance. */
  justEnded: { meetingId: string; panelId: string; panelName: string; end: string };
}

interface Year extends DemoContext {
  /** The year's months, YYYY-MM, oldest first: [12] is the month of `now`. */
  months: string[];
  played: Set<string>;
  imported: Imported[];
  upcoming: Upcoming;
}

/**
 * Fills an empty store with a year of invented history for the sample panels, ending at `now`: the sample forces and
 * panels are loaded at the start of the year's first month, then the year is played step by step through the real use
 * cases (planning, naming, apologies, moves, cancellations, records, the force's word, an import), each at the instant
 * it happens, so every row has its audit entry. The same `now` always gives the same history; another day gives the
 * same shape, shifted.
 */
export async function seedDemo(store: Store, at: string): Promise<DemoSummary> {
  const now = normaliseInstant(at);
  if ((await store.meetings.list()).length) throw new Error('demo seed: the store already has meetings; the demo is seeded into an empty one');
  const config = samplePanels();
  const months = demoMonths(now);
  const from = localToUtc(`${months[0]}-01`, '00:00');
  await syncPanels(store, config, from);
  const year: Year = {
    store, now, timeline: new Timeline(), months, played: new Set(), imported: [],
    cast: castOf(await store.directory.listForces()),
    panels: new Map((await store.directory.listPanels()).map((p) => [p.id, p])),
    upcoming: { cancelled: null, moved: null },
  };
  await playPlanned(year, from);
  for (const month of months.slice(1)) {
    const planAt = localToUtc(`${month}-01`, '00:30');
    year.timeline.add(planAt, `plan ${month}`, async () => {
      await planMeetings(store, planAt);
      await playPlanned(year, planAt);
    });
  }
  const justEnded = playExtras(year);
  importStep(year, localToUtc(addWorkingDays(`${months[3]}-01`, 2), '10:00'));
  await year.timeline.runUntil(now);
  await planMeetings(store, now);
  return { from, meetings: (await store.meetings.list({ from, to: now })).length, steps: year.timeline.ran, justEnded };
}

/** The sample forces and panels, read and checked as the bot reads them. */
function samplePanels(): PanelsConfig {
  const parsed = parsePanelsConfig(parseYaml(readFileSync(DEMO_PANELS_FILE, 'utf8')));
  if (!parsed.ok) throw new Error(`demo seed: ${DEMO_PANELS_FILE}: ${parsed.error.message}`);
  return parsed.value;
}

/** The 13 months the year touches, YYYY-MM in Europe/London: 12 before `now`'s month, then its own. */
export function demoMonths(now: string): string[] {
  const current = DateTime.fromISO(`${localDate(now).slice(0, 7)}-01`, { zone: 'utc' });
  return Array.from({ length: 13 }, (_, i) => current.minus({ months: 12 - i }).toFormat('yyyy-MM'));
}

/** Plays every timetabled meeting the bot has planned that the script has not played yet. */
async function playPlanned(year: Year, plannedAt: string): Promise<void> {
  const all = (await year.store.meetings.list({ from: localToUtc(`${year.months[0]}-01`, '00:00') })).filter((m) => !m.extra);
  const notBefore = new Date(Date.parse(plannedAt) + 60_000).toISOString();
  for (const m of all) {
    if (year.played.has(m.id)) continue;
    year.played.add(m.id);
    if (m.start >= year.now) {
      upcomingSteps(year, m, notBefore);
      continue;
    }
    const panel = year.panels.get(m.panelId)!;
    const month = year.months.indexOf(monthOf(m));
    const nth = all.filter((o) => o.panelId === m.panelId && monthOf(o) === monthOf(m) && o.start < m.start).length;
    const story = storyFor(m.panelId, month, nth);
    if (story.fate === 'imported') year.imported.push({ meeting: m, story });
    const key = `${m.panelId}|${month}|${nth}`;
    playMeeting(year, m, story, { key, notBefore, chair: chairOf(panel, month) });
    if (story.replacedBy) replaceWithExtra(year, panel, m, story.replacedBy, month);
  }
}

const chairOf = (panel: Panel, month: number) => panel.chairs[Math.max(month, 0) % panel.chairs.length]!;

/** A meeting cancelled as rescheduled: the chair adds an extra one some working days later, in the same month, which is held. */
function replaceWithExtra(year: Year, panel: Panel, m: Meeting, workingDays: number, month: number): void {
  const day = localDate(m.start);
  const after = addWorkingDays(day, workingDays);
  const date = after.slice(0, 7) === day.slice(0, 7) ? after : addWorkingDays(day, -workingDays);
  const at = localToUtc(addWorkingDays(date < day ? date : day, -3), '12:05');
  playExtraMeeting(year, panel, date, toLocalIso(m.start).slice(11, 16), ORDINARY, {
    key: `${panel.id}|${month}|extra`, chair: chairOf(panel, month), at, notBefore: at,
  });
}

/** The when-necessary panel's meetings, and the extra meeting that has just ended and waits for its attendance (returned). */
function playExtras(year: Year): DemoSummary['justEnded'] {
  for (const panel of year.panels.values()) {
    if (panel.timetable.kind !== 'when-necessary') continue;
    for (const { month, story } of WHEN_NECESSARY_MEETINGS) {
      const date = addWorkingDays(`${year.months[month]}-01`, 8);
      const at = localToUtc(addWorkingDays(date, -10), '12:00');
      playExtraMeeting(year, panel, date, panel.timetable.start, story, { key: `${panel.id}|${month}|extra`, chair: panel.chairs[0]!, at, notBefore: at });
    }
  }
  const slot = justEndedSlot(year);
  const panel = year.panels.get(slot.panelId)!;
  const at = localToUtc(addWorkingDays(slot.date, -3), '12:00');
  const meeting = playExtraMeeting(year, panel, slot.date, slot.time, JUST_ENDED, { key: 'just-ended', chair: panel.chairs[0]!, at, notBefore: at });
  return { meetingId: meeting.id, panelId: panel.id, panelName: panel.name, end: meeting.end };
}

/** Panels the just-ended meeting may be added to, in order of preference: the first has two forces. */
const JUST_ENDED_PANELS = ['peterborough-rutland', 'leicestershire', 'cumbria'];

/** Whether a panel's timetable has a meeting on a local date. */
function meetsOn(panel: Panel, date: string): boolean {
  if (panel.timetable.kind !== 'rrule') return false;
  return planOccurrences(panel.id, panel.timetable, localToUtc(date, '00:00'), localToUtc(addDays(date, 1), '00:00')).length > 0;
}

/**
 * Where the meeting that has just ended goes: on the first preferred panel with no other meeting that day; today,
 * ending at least a quarter of an hour before `now` and by 16:00, when it can start at 07:00 or later; else
 * yesterday from 14:00.
 */
function justEndedSlot(year: Year): { panelId: string; date: string; time: string } {
  const local = DateTime.fromISO(year.now, { zone: 'utc' }).setZone('Europe/London');
  const onDay = (date: string) => JUST_ENDED_PANELS.find((id) => !meetsOn(year.panels.get(id)!, date)) ?? JUST_ENDED_PANELS[0]!;
  const today = local.toISODate()!;
  const panelId = onDay(today);
  const soon = local.minus({ minutes: (local.minute % 15) + 15 }).startOf('minute');
  const fourPm = local.set({ hour: 16, minute: 0, second: 0, millisecond: 0 });
  const start = (soon < fourPm ? soon : fourPm).minus({ minutes: year.panels.get(panelId)!.timetable.minutes });
  if (start.toISODate() === today && start.hour >= 7) return { panelId, date: today, time: start.toFormat('HH:mm') };
  const yesterday = local.minus({ days: 1 }).toISODate()!;
  return { panelId: onDay(yesterday), date: yesterday, time: '14:00' };
}
