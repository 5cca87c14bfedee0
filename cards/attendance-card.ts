import type { AgencyCounts, Attendance, AttendanceSource, CancelReason, Person } from '../scheduler/domain/types.js';
import { attendeeSlots, meetingQuestions, outcomeQuestion, placeRecorded, type SlotLayout } from './attendance-inputs.js';
import { callout, card, md, meetingWhen, shortDate, text, type CardElement } from './format.js';
import { VERBS } from './verbs.js';

/** One force asked to the meeting, as the chair's attendance card shows it. */
export interface AttendanceForceView {
  id: string;
  name: string;
  /** Invited to this meeting alone: it does not face the panel. */
  invited: boolean;
  nominee: Person | null;
  recorded: Pick<Attendance, 'outcome' | 'attendees' | 'source' | 'forceConfirmation'> | null;
  /** Apologies sent before the meeting; `sentAt` is a local ISO time. */
  apology: { sentBy: string; substitute: string | null; sentAt: string } | null;
  /** The people the picker offers first (the nominee, a substitute offered, the force's recent attendees and leads). */
  choices: Person[];
  /** The force's people who were in the meeting's Teams meeting, as Teams reported it: shown as a suggestion, never answered. */
  fromTeams?: TeamsStay[];
}

/** One person's time in the Teams meeting: whole minutes of closed stays, and whether they had not left at the last event. */
export interface TeamsStay {
  name: string;
  minutes: number;
  stillIn: boolean;
}

/** What the chair's attendance card needs. */
export interface AttendanceView {
  meetingId: string;
  /** The record as this card shows it (meeting and per-force record versions); a press from an older card is stale. */
  version: string;
  panelName: string;
  start: string;
  end: string;
  /** What is on record about the meeting itself; null while nothing is. */
  record: { outcome: 'held' | 'not-held'; notHeldReason: CancelReason | null; agencies: AgencyCounts; source: AttendanceSource } | null;
  forces: AttendanceForceView[];
}

const SOURCE_WORDS: Record<AttendanceSource, string> = { chair: 'Recorded by the chair', import: 'Imported', 'teams-meeting': 'Recorded from the Teams meeting' };

/** "Recorded by the chair; awaiting Hampshire Constabulary's confirmation", and the like. */
function provenance(f: AttendanceForceView): CardElement[] {
  if (!f.recorded) return [text('Not recorded yet.', { isSubtle: true, size: 'Small' })];
  const confirmation = {
    pending: `; awaiting ${md(f.name)}'s confirmation`, confirmed: '; confirmed by the force', disputed: '; disputed by the force', 'not-needed': '',
  }[f.recorded.forceConfirmation];
  const line = `${SOURCE_WORDS[f.recorded.source]}${confirmation}.`;
  return [f.recorded.forceConfirmation === 'disputed' ? callout('attention', line, { size: 'Small' }) : text(line, { size: 'Small', isSubtle: true })];
}

function apologyLine(a: NonNullable<AttendanceForceView['apology']>): CardElement {
  const substitute = a.substitute ? `substitute offered: ${md(a.substitute)}` : 'no substitute offered';
  return text(`Apologies sent in advance by ${md(a.sentBy)} on ${shortDate(a.sentAt)}; ${substitute}.`, { size: 'Small' });
}

function forceSection(f: AttendanceForceView, layout: SlotLayout): CardElement {
  return {
    type: 'Container', separator: true, spacing: 'Large',
    items: [
      text(`${md(f.name)}${f.invited ? ' (invited to this meeting)' : ''}`, { weight: 'Bolder' }),
      text(f.nominee ? `Named to attend: ${md(f.nominee.name)}` : 'Nobody was named to attend.', { isSubtle: true }),
      ...(f.apology ? [apologyLine(f.apology)] : []),
      ...provenance(f),
      outcomeQuestion(f.id, f.recorded?.outcome),
      ...attendeeSlots(f.id, f.choices, f.recorded?.attendees ?? null, f.nominee, layout),
    ],
  };
}

const stay = (p: TeamsStay) => `${md(p.name)}, ${p.minutes === 1 ? '1 minute' : `${p.minutes} minutes`}${p.stillIn ? ' (still in the meeting at the last word from Teams)' : ''}`;

/**
 * Who joined the panel meeting in Teams, by force: what Teams reported, set apart from the questions and answering
 * none of them. Every input stays as it was; the chair still answers each question (attendance evidence).
 */
function teamsSection(forces: readonly AttendanceForceView[]): CardElement[] {
  const joined = forces.filter((f) => f.fromTeams?.length);
  if (!joined.length) return [];
  return [{
    type: 'Container', style: 'emphasis', spacing: 'Medium',
    items: [
      text('From the Teams meeting (a suggestion: answer each question yourself)', { weight: 'Bolder' }),
      text('Provenance: Teams meeting. The people this bot knows who joined it, and for how long, as Teams reported it.', { isSubtle: true, size: 'Small' }),
      ...joined.map((f) => text(`${md(f.name)}: ${f.fromTeams!.map(stay).join('; ')}.`, { size: 'Small' })),
    ],
  }];
}

function recordLine(r: NonNullable<AttendanceView['record']>): CardElement {
  const what = r.outcome === 'held' ? 'held' : `did not take place (${md(r.notHeldReason ?? 'no reason given')})`;
  return text(`On record: the meeting ${what}. ${SOURCE_WORDS[r.source]}.`, { isSubtle: true, size: 'Small' });
}

// Teams refuses a card over 28 KB. A panel facing several forces (or with a force invited) gets the richest of
// these that fits, with room for a notice: fewer people offered first in the later pickers (each still searches
// the directory), then fewer empty attendee slots (never fewer than a record has: a slot is 2 KB), then fewer
// offered in the first picker. Only when a large record still does not fit does it get fewer slots than it has
// people: those past them are shown as fixed lines and kept as they are, and the card's data says how many of
// each such force's were in slots (`inSlots`), so the route knows whom to keep.
const LAYOUTS: SlotLayout[] = [
  { slots: 3, laterChoices: 12 }, { slots: 3, laterChoices: 6 }, { slots: 2, laterChoices: 6 }, { slots: 2, laterChoices: 3 }, { slots: 1, laterChoices: 0 },
  { slots: 1, laterChoices: 0, firstChoices: 3 },
  ...[6, 3, 2].map((recorded) => ({ slots: 1, laterChoices: 0, firstChoices: 3, recorded })), { slots: 1, laterChoices: 0, firstChoices: 0, recorded: 1 },
];
const BUDGET = 26 * 1024;
const bytes = (json: unknown) => new TextEncoder().encode(JSON.stringify(json)).length;

/**
 * The chair's card after a meeting: was it held, who else came (counts), and for each force how it was
 * represented and by whom. Nothing is answered for the chair; what is on record is shown, to correct.
 */
export function attendanceCard(v: AttendanceView, notice?: string, tone: 'attention' | 'good' = 'attention'): Record<string, unknown> {
  let built: Record<string, unknown> = {};
  for (const layout of LAYOUTS) {
    built = build(v, layout, notice, tone);
    if (bytes(built) <= BUDGET) break;
  }
  return built;
}

function build(v: AttendanceView, layout: SlotLayout, notice: string | undefined, tone: 'attention' | 'good'): Record<string, unknown> {
  const recorded = !!v.record && (v.record.outcome === 'not-held' || v.forces.every((f) => f.recorded));
  // How many of a force's recorded attendees are in slots, where the layout gives fewer than a card could.
  const inSlots = Object.fromEntries(v.forces.flatMap((f) => {
    const attendees = f.recorded?.attendees ?? [];
    const shown = placeRecorded(attendees, layout.recorded).inSlots.length;
    return shown < placeRecorded(attendees).inSlots.length ? [[f.id, shown]] : [];
  }));
  return card([
    ...(notice ? [callout(tone, md(notice), { weight: 'Bolder' })] : []),
    text(`Police attendance: ${md(v.panelName)}`, { weight: 'Bolder', size: 'Medium' }),
    text(meetingWhen(v.start, v.end)),
    text('Record police representation only: name no one but the police attendees. Nothing is filled in for you; what is already on record is shown so you can correct it.', { isSubtle: true, size: 'Small' }),
    ...(v.record ? [recordLine(v.record)] : []),
    ...teamsSection(v.forces),
    ...meetingQuestions(v.record),
    ...(v.forces.length ? [text('If it was held: the police', { weight: 'Bolder', spacing: 'Large' })] : []),
    ...v.forces.map((f) => forceSection(f, layout)),
    { type: 'ActionSet', actions: [{ type: 'Action.Execute', title: v.record ? 'Correct the record' : 'Record attendance', verb: VERBS.recordAttendance, data: { meetingId: v.meetingId, cardVersion: v.version, ...(Object.keys(inSlots).length ? { inSlots } : {}) } }] },
    ...(recorded ? [callout('good', 'Recorded. You can correct it here; every version is kept.')] : []),
  ]);
}
