import type { AttendeeAnswer, MeetingAnswers } from '../scheduler/domain/attendance-rules.js';
import { addWorkingDays } from '../scheduler/domain/calendar-days.js';
import { localDate, localToUtc, toLocalIso } from '../scheduler/domain/timetable.js';
import type { Panel, Person } from '../scheduler/domain/types.js';
import { sendApologies } from '../scheduler/meetings/apologies.js';
import { addExtraMeeting, cancelMeeting, rescheduleMeeting } from '../scheduler/meetings/cancellations.js';
import { answerForForce } from '../scheduler/meetings/force-confirmation.js';
import { inviteForce } from '../scheduler/meetings/invitations.js';
import { recordAttendance } from '../scheduler/meetings/record-attendance.js';
import { nominate } from '../scheduler/nominations/nominations.js';
import type { Store } from '../scheduler/store/store.js';
import { officer, type ForceCast, type Officer, type Who } from './cast.js';
import { agenciesFrom, partOf, rngFor, type Story } from './script.js';
import { must, type Timeline } from './timeline.js';

// One meeting's story turned into the steps people take: invite, name, apologise, move, cancel, record, confirm,
// each at a plausible working-day time around the meeting, through the same use cases Teams calls.

export interface DemoContext {
  store: Store;
  now: string;
  timeline: Timeline;
  cast: Map<string, ForceCast>;
  panels: Map<string, Panel>;
}

/** A meeting as the script knows it: planned already, or an extra one it is about to add. */
export interface Slot {
  id: string;
  panelId: string;
  start: string;
  end: string;
}

export interface PlayOptions {
  /** Seeds the meeting's own small choices (how far ahead it was named, online or in person, who else came). */
  key: string;
  /** Nothing happens to the meeting before this (when the bot came to know of it). */
  notBefore: string;
  chair: Person;
}

const MINUTE = 60_000;
const later = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();
const hhmm = (iso: string) => toLocalIso(iso).slice(11, 16);

/** Schedules everything that happens to one meeting, from its invitations to the force's word on the record. */
export function playMeeting(ctx: DemoContext, m: Slot, story: Story, o: PlayOptions): void {
  const rng = rngFor(o.key);
  const day = localDate(m.start);
  const at = (workingDays: number, time: string) => {
    const t = localToUtc(addWorkingDays(day, workingDays), time);
    return t > o.notBefore ? t : o.notBefore;
  };
  const forces = [...ctx.panels.get(m.panelId)!.forces, ...(story.invite ? [story.invite] : [])];
  if (story.invite) inviteStep(ctx, m, story.invite, o.chair, at(-8, '11:00'));
  for (const forceId of forces) {
    const part = partOf(story, forceId);
    if (part.named !== null) nameStep(ctx, m, forceId, part.named, at(-(3 + Math.floor(rng() * 6)), '09:30'));
    if (part.apologies) apologiesStep(ctx, m, forceId, part.named, part.apologies.substitute, at(-1, '16:00'));
  }
  const ended = story.move ? moveStep(ctx, m, story.move, o.chair, at(-5, '12:00')) : m;
  if (story.fate === 'cancelled') cancelStep(ctx, m, story, o.chair, at(-2, '12:00'));
  if (story.fate !== 'held' && story.fate !== 'not-held') return;
  const recordedAt = rng() < 0.7 ? later(ended.end, 180 * MINUTE) : localToUtc(addWorkingDays(localDate(ended.end), 1), '11:00');
  const answers = answersFor(ctx, story, forces, rng);
  ctx.timeline.add(recordedAt, `record ${m.id}`, async () => must(await recordAttendance(ctx.store, m.id, answers, o.chair.aadObjectId, recordedAt), `recording ${m.id}`));
  for (const forceId of forces) {
    const answer = partOf(story, forceId).answer;
    if (answer) answerStep(ctx, m, forceId, answer, localToUtc(addWorkingDays(localDate(recordedAt), 2), '10:15'));
  }
}

function inviteStep(ctx: DemoContext, m: Slot, forceId: string, chair: Person, at: string): void {
  ctx.timeline.add(at, `invite ${forceId} to ${m.id}`, async () => must(await inviteForce(ctx.store, m.id, forceId, chair.aadObjectId, at), `inviting ${forceId} to ${m.id}`));
}

/** The force's lead names one of its people for the meeting, reading the card's versions as they stand. */
export function nameStep(ctx: DemoContext, m: Slot, forceId: string, who: Who, at: string): void {
  const cast = ctx.cast.get(forceId)!;
  const o = officer(cast, who);
  ctx.timeline.add(at, `name ${o.person.name} for ${m.id}`, async () => {
    const meeting = (await ctx.store.meetings.get(m.id))!;
    const current = await ctx.store.nominations.get(m.id, forceId);
    const input = { meetingId: m.id, forceId, meetingVersion: meeting.version, nominationVersion: current?.version ?? 0, attendee: o.person, role: o.role, decisionMaker: o.confirmed };
    must(await nominate(ctx.store, input, cast.lead.aadObjectId, at), `naming ${o.person.name} for ${m.id}`);
  });
}

function apologiesStep(ctx: DemoContext, m: Slot, forceId: string, named: Who | null, substitute: Who | null, at: string): void {
  const cast = ctx.cast.get(forceId)!;
  const from = named === null ? cast.lead : officer(cast, named).person;
  const stand = substitute === null ? null : officer(cast, substitute).person;
  ctx.timeline.add(at, `apologies for ${m.id}`, async () => must(await sendApologies(ctx.store, m.id, forceId, stand, from, at), `apologies from ${from.name} for ${m.id}`));
}

/** Moves the meeting some working days later, same time; returns where it ended up. */
function moveStep(ctx: DemoContext, m: Slot, workingDays: number, chair: Person, at: string): Slot {
  const date = addWorkingDays(localDate(m.start), workingDays);
  const start = localToUtc(date, hhmm(m.start));
  ctx.timeline.add(at, `move ${m.id}`, async () => must(await rescheduleMeeting(ctx.store, m.id, { date, time: hhmm(m.start) }, undefined, chair.aadObjectId, at), `moving ${m.id}`));
  return { ...m, start, end: later(start, Date.parse(m.end) - Date.parse(m.start)) };
}

function cancelStep(ctx: DemoContext, m: Slot, story: Story, chair: Person, at: string): void {
  const input = { meetingId: m.id, reason: story.reason!, note: story.note ?? null };
  ctx.timeline.add(at, `cancel ${m.id}`, async () => must(await cancelMeeting(ctx.store, input, chair.aadObjectId, at), `cancelling ${m.id}`));
}

function answerStep(ctx: DemoContext, m: Slot, forceId: string, answer: 'confirmed' | 'disputed', at: string): void {
  const lead = ctx.cast.get(forceId)!.lead;
  ctx.timeline.add(at, `${answer} ${forceId} at ${m.id}`, async () => {
    const [record] = (await ctx.store.chairs.attendance([m.id])).filter((a) => a.forceId === forceId);
    must(await answerForForce(ctx.store, m.id, forceId, record!.version, answer, lead.aadObjectId, at), `${forceId}'s answer on ${m.id}`);
  });
}

/** What the chair's card says about a meeting that has ended: every question answered, nothing assumed. */
function answersFor(ctx: DemoContext, story: Story, forces: string[], rng: () => number): MeetingAnswers {
  if (story.fate === 'not-held') return { outcome: 'not-held', notHeldReason: story.reason!, agencies: {}, forces: [] };
  const agencies = agenciesFrom(rng);
  return {
    outcome: 'held',
    agencies,
    forces: forces.map((forceId) => {
      const part = partOf(story, forceId);
      const cast = ctx.cast.get(forceId)!;
      return { forceId, outcome: part.outcome, attendees: part.present.map(([who, dm]) => attendee(officer(cast, who), dm, rng)) };
    }),
  };
}

const attendee = (o: Officer, decisionMaker: AttendeeAnswer['decisionMaker'], rng: () => number): AttendeeAnswer => ({
  person: { aadObjectId: o.person.aadObjectId, name: o.person.name }, roleCategory: o.roleCategory, role: o.role, unit: o.unit, mode: rng() < 0.3 ? 'online' : 'in-person', decisionMaker,
});

/**
 * Adds an extra meeting at `at` (as its chair would, ahead of it) and plays its story; the meeting's id is the one
 * addExtraMeeting gives, so its later steps can be scheduled now.
 */
export function playExtraMeeting(ctx: DemoContext, panel: Panel, date: string, time: string, story: Story, o: PlayOptions & { at: string }): Slot {
  const start = localToUtc(date, time);
  const slot: Slot = { id: `${panel.id}.${date}.extra-${time.replace(':', '')}`, panelId: panel.id, start, end: later(start, panel.timetable.minutes * MINUTE) };
  ctx.timeline.add(o.at, `add ${slot.id}`, async () => must(await addExtraMeeting(ctx.store, panel.id, { date, time }, undefined, o.chair.aadObjectId, o.at), `adding ${slot.id}`));
  playMeeting(ctx, slot, story, { ...o, notBefore: later(o.at, MINUTE) });
  return slot;
}
