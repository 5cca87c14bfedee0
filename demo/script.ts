import type { AgencyCounts, AttendanceOutcome, CancelReason } from '../scheduler/domain/types.js';
import type { Present, Who } from './cast.js';

// The demo year's script: what happens to each meeting, by panel and by month counted from the start of the year
// (0 is the oldest month, 12 the month of `now`). Pure and tied to the month's place in the year, never to its date,
// so any day's demo has the same shape and the same day's demo the same figures. Most meetings are held with each
// force's regular attendee present as a decision maker; the table below is everything else.

/** One force's part in a meeting. */
export interface ForcePart {
  /** Whom the force named (null: nobody, so the chair's record is all there is). */
  named: Who | null;
  /** Apologies the nominee sent the day before, offering a stand-in or nobody. */
  apologies?: { substitute: Who | null };
  outcome: AttendanceOutcome;
  present: readonly Present[];
  /** The force's word on a record of people it did not name; unset leaves it awaiting. */
  answer?: 'confirmed' | 'disputed';
}

export type Fate = 'held' | 'not-held' | 'cancelled' | 'unrecorded' | 'imported';

/** What happens to one meeting. */
export interface Story {
  fate: Fate;
  /** Why it was cancelled or did not take place. */
  reason?: CancelReason;
  /** The chair's cancellation note (always says it is invented). */
  note?: string;
  /** Moved by its chair this many working days later, the week before. */
  move?: number;
  /** A force that does not face the panel, invited to this meeting alone. */
  invite?: string;
  /** Cancelled as rescheduled, and an extra meeting added this many working days later instead. */
  replacedBy?: number;
  parts: Record<string, Partial<ForcePart>>;
}

const DEFAULT_PART: ForcePart = { named: 0, outcome: 'attended', present: [[0, 'yes']] };

/** A force's part in a story: the regular attendee, named and present as a decision maker, unless the story says otherwise. */
export const partOf = (story: Story, forceId: string): ForcePart => ({ ...DEFAULT_PART, ...story.parts[forceId] });

export const NOTES = {
  noCases: 'Invented demo data: nothing on the agenda this month.',
  room: 'Invented demo data: the meeting room was not available.',
  upcoming: 'Invented demo data: nothing on the agenda, so this one is cancelled.',
} as const;

const held = (parts: Story['parts'], more: Partial<Story> = {}): Story => ({ fate: 'held', parts, ...more });
const cancelled = (reason: CancelReason, note?: string): Story => ({ fate: 'cancelled', reason, ...(note ? { note } : {}), parts: {} });
const notHeld = (reason: CancelReason): Story => ({ fate: 'not-held', reason, parts: {} });
const UNRECORDED: Story = { fate: 'unrecorded', parts: {} };

/** The exceptions, by `panel@month` (or `panel@month#n` for the n-th meeting of a month, from 0). */
const SCRIPT: Record<string, Story> = {
  'peterborough-rutland@2': held({ leics: { apologies: { substitute: null }, outcome: 'apologies', present: [] } }),
  'peterborough-rutland@4': notHeld('chair unavailable'),
  'peterborough-rutland@6': held({ leics: { named: null, present: [[1, 'yes']], answer: 'confirmed' } }),
  'peterborough-rutland@9': held({ cambs: { named: 2, present: [[2, 'unknown']] } }),
  'cambridgeshire@4': UNRECORDED,
  'cambridgeshire@5': held({ cambs: { named: 1, present: [[1, 'yes']] } }),
  'cambridgeshire@6': held({ cambs: { named: 2, present: [[2, 'no']] } }),
  'cambridgeshire@7': held({ cambs: { present: [[2, 'yes']], answer: 'disputed' } }),
  'cambridgeshire@9': cancelled('other', NOTES.room),
  'southampton@3': cancelled('no cases to discuss', NOTES.noCases),
  'southampton@7': held({}, { move: 1 }),
  'southampton@10': held({ hampshire: { outcome: 'absent', present: [] } }),
  'portsmouth@2': cancelled('chair unavailable'),
  'portsmouth@6': held({ hampshire: { apologies: { substitute: 1 }, present: [[1, 'yes']], answer: 'confirmed' } }),
  'portsmouth@8': UNRECORDED,
  'hampshire@6': notHeld('not quorate'),
  'hampshire@9': held({ hampshire: { present: [[0, 'yes'], [2, 'no']], answer: 'confirmed' } }),
  'nottingham@8#0': held({ notts: { outcome: 'absent', present: [] } }),
  'nottingham@9#1': held({ notts: { named: null, present: [[0, 'yes']], answer: 'confirmed' } }),
  'nottinghamshire@5': held({}, { invite: 'leics' }),
  'nottinghamshire@7': cancelled('not quorate'),
  'nottinghamshire@10': UNRECORDED,
  'cumbria@5': cancelled('no cases to discuss'),
  'cumbria@9': held({ cumbria: { apologies: { substitute: 1 }, present: [[1, 'yes']] } }),
  'leicestershire@0': { fate: 'imported', parts: {} },
  'leicestershire@1': { fate: 'imported', parts: { leics: { present: [[0, 'yes'], [1, 'unknown']] } } },
  'leicestershire@2': { fate: 'imported', parts: { leics: { outcome: 'apologies', present: [] } } },
  'leicestershire@5': held({ leics: { outcome: 'absent', present: [] } }),
  'leicestershire@8': { ...cancelled('rescheduled'), replacedBy: 3 },
};

/** The story of a panel's n-th timetabled meeting of a month of the demo year. */
export function storyFor(panelId: string, month: number, nth: number): Story {
  return SCRIPT[`${panelId}@${month}#${nth}`] ?? (nth === 0 ? SCRIPT[`${panelId}@${month}`] : undefined) ?? held({});
}

/** A meeting held with every force's regular attendee present as a decision maker. */
export const ORDINARY: Story = held({});

/** The when-necessary panel's extra meetings: the months they fall in, and what happened. */
export const WHEN_NECESSARY_MEETINGS: ReadonlyArray<{ month: number; story: Story }> = [
  { month: 3, story: held({}) },
  { month: 9, story: held({ 'devon-cornwall': { apologies: { substitute: 1 }, present: [[1, 'yes']], answer: 'confirmed' } }) },
];

/** The extra meeting that ended just before `now`, waiting for its attendance: one force sent apologies, offering a stand-in. */
export const JUST_ENDED: Story = { fate: 'unrecorded', parts: { leics: { apologies: { substitute: 1 } } } };

/** A small seeded generator (mulberry32 over an FNV-1a hash of the key): the same key, the same numbers. */
export function rngFor(key: string): () => number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Other agencies present at a held meeting (counts by type, never names). */
export function agenciesFrom(rng: () => number): AgencyCounts {
  const counts: AgencyCounts = { 'local-authority': 1 + Math.floor(rng() * 2) };
  if (rng() < 0.8) counts.health = 1;
  if (rng() < 0.6) counts.education = 1;
  if (rng() < 0.5) counts['childrens-services'] = 1;
  if (rng() < 0.3) counts.probation = 1;
  return counts;
}
