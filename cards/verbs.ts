import { z } from 'zod';
import { cleanText } from '../scheduler/domain/text.js';
import {
  AGENCY_TYPES, ATTENDANCE_OUTCOMES, CANCEL_REASONS, DECISION_ANSWERS, MODES, ROLE_CATEGORIES, UNITS,
  type AgencyCounts, type AgencyType, type AttendanceOutcome, type DecisionAnswer, type Mode, type RoleCategory, type Unit,
} from '../scheduler/domain/types.js';
import { addMeetingData, cancelData, inviteForceData, linkData, openAttendanceData, openChairCardData, rescheduleData } from './chair-data.js';

export {
  addMeetingData, cancelData, CHAIR_CARDS, inviteForceData, linkData, openAttendanceData, openChairCardData, pressOrigin, rescheduleData, type ChairCardName,
} from './chair-data.js';

/** The verbs of every Action.Execute the bot's cards carry. */
export const VERBS = {
  nominate: 'nominate',
  refreshNomination: 'refreshNomination',
  cancelMeeting: 'cancelMeeting',
  recordAttendance: 'recordAttendance',
  rescheduleMeeting: 'rescheduleMeeting',
  addMeeting: 'addMeeting',
  historyPage: 'historyPage',
  reviewView: 'reviewView',
  confirmAttendance: 'confirmAttendance',
  sendApologies: 'sendApologies',
  openAttendance: 'openAttendance',
  inviteForce: 'inviteForce',
  /** Opens one of the chair's focused cards (cancel, move, add, invite, record a past meeting). */
  openChairCard: 'openChairCard',
  /** From the `panels` list: the force's nomination form, as a new message (the list stays). */
  openNomination: 'openNomination',
  /** The `link force` / `link panel` choice card: links this conversation to the chosen force or panel. */
  linkConversation: 'linkConversation',
  /** The review sign-off card: records the sign-off (a force's when the data names one, else the national view). */
  signOffReview: 'signOffReview',
  /** An action agreed at a review sign-off, marked done. */
  markActionDone: 'markActionDone',
} as const;

const id = z.string().min(1).max(200);

/** A person picker's value: an Entra object id (Teams) or a Teams user id (the Agents Playground's picker). */
export const PICKED_PERSON = /^[A-Za-z0-9][A-Za-z0-9:._-]{0,199}$/;
const version = z.coerce.number().int().min(0).max(1_000_000);

/** Text a person typed, cleaned (cleanText) before its length is checked, so invisible characters count for nothing. */
const typed = (min: number, tooShort: string, max: number, tooLong: string) =>
  z.string().max(4 * max, tooLong).transform(cleanText).pipe(z.string().min(min, tooShort).max(max, tooLong));

/** What a nomination card's button sends back: the card's own data plus the inputs, merged by Teams. */
export const nominateData = z.object({
  meetingId: id,
  forceId: z.string().regex(/^[a-z0-9-]{1,64}$/),
  meetingVersion: version,
  nominationVersion: version,
  attendee: z.string().trim().regex(PICKED_PERSON, 'choose the attendee from the list'),
  role: typed(2, 'give their role', 80, 'keep the role under 80 characters'),
  /** An explicit answer, never a default: "true" (confirmed a decision maker) or "false" (not confirmed). */
  decisionMaker: z
    .enum(['true', 'false'], { errorMap: () => ({ message: 'say whether they are confirmed as able to make decisions on behalf of the force, or not confirmed' }) })
    .transform((v) => v === 'true'),
});
export type NominateData = z.infer<typeof nominateData>;

/** A refresh or a re-render needs only which card it is. */
export const cardRef = z.object({ meetingId: id, forceId: z.string().regex(/^[a-z0-9-]{1,64}$/) });

/** The cancellation categories the card offers; the store keeps the same words. */
export const CANCEL_REASON_CHOICES = CANCEL_REASONS.map((r) => ({ title: r[0]!.toUpperCase() + r.slice(1), value: r }));

/** Empty means unanswered: a blank, missing or whitespace-only input is `undefined`, never a default. */
const blank = (v: unknown) => (v === null || v === undefined || (typeof v === 'string' && v.trim() === '') ? undefined : typeof v === 'string' ? v.trim() : v);
const answer = <T extends readonly [string, ...string[]]>(values: T, message: string) => z.preprocess(blank, z.enum(values, { errorMap: () => ({ message }) }).optional());

/**
 * The most forces, and attendee slots per force, a card may send back: slots are numbered 1 to 9 (SLOT_KEY). The
 * card offers 3 (fewer under its size budget), and one for each recorded attendee with a Teams account up to 9.
 */
export const MAX_FORCES = 20;
export const MAX_ATTENDEE_SLOTS = 9;
const MAX_AGENCY = 99;

/** Each attendee slot's inputs, `<field>_<forceId>_<slot>`, and what each accepts. */
const SLOT_FIELDS = {
  person: z.preprocess(blank, z.string({ invalid_type_error: 'choose who attended from the list' }).max(200, 'choose who attended from the list').regex(PICKED_PERSON, 'choose who attended from the list').optional()),
  category: answer(ROLE_CATEGORIES, 'choose a role category from the list'),
  role: z.preprocess(blank, z.string({ invalid_type_error: 'give the rank or role as text' }).max(320, 'keep the rank or role under 80 characters').transform(cleanText).pipe(z.string().max(80, 'keep the rank or role under 80 characters')).optional()),
  unit: answer(UNITS, 'choose local force or regional unit'),
  mode: answer(MODES, 'choose in person or online'),
  decision: answer(DECISION_ANSWERS, "choose yes, no or don't know for decision maker"),
} as const;
type SlotField = keyof typeof SLOT_FIELDS;
const SLOT_PROPERTY = { person: 'person', category: 'roleCategory', role: 'role', unit: 'unit', mode: 'mode', decision: 'decisionMaker' } as const satisfies Record<SlotField, keyof SlotAnswer>;
const SLOT_KEY = /^(person|category|role|unit|mode|decision)_([a-z0-9-]{1,64})_([1-9])$/;
const OUTCOME_KEY = /^outcome_([a-z0-9-]{1,64})$/;
const AGENCY_KEY = /^agency_(.{1,64})$/;
const forceOutcome = answer(ATTENDANCE_OUTCOMES, 'choose attended, sent apologies or absent without apologies');
const WHOLE_NUMBERS = `give other agencies present as whole numbers from 0 to ${MAX_AGENCY}`;
const agencyCount = z.preprocess(blank, z.coerce.number({ invalid_type_error: WHOLE_NUMBERS }).int(WHOLE_NUMBERS).min(0, WHOLE_NUMBERS).max(MAX_AGENCY, WHOLE_NUMBERS).optional());

/** One attendee slot as the chair answered it; the person is a picker value still to be resolved. */
export interface SlotAnswer {
  slot: number;
  person?: string;
  roleCategory?: RoleCategory;
  role?: string;
  unit?: Unit;
  mode?: Mode;
  decisionMaker?: DecisionAnswer;
}

/**
 * A slot with answers but nobody picked is refused, so an attendee whose picker was forgotten is never dropped
 * unseen, when it has a role category or a rank or role, the answers that describe someone. One whose only
 * answers are radio buttons (unit, mode, decision maker) is taken as unused: Teams cannot unchoose a radio
 * button, so a stray tap (easy while scrolling a long card on a phone) could not be undone on the card, and a
 * refusal answers with the card afresh, losing everything else the chair entered, over answers that name no
 * one and say nothing a person could be told from. Nor is a slot refused when what it says cannot be recorded
 * anyway: the meeting did not take place, or the force sent apologies or was absent (the chair says nobody
 * attended; a person picked then is refused as a contradiction by the rules).
 */
const describesSomeone = (s: SlotAnswer) => s.roleCategory !== undefined || s.role !== undefined;
const PICK_OR_CLEAR = "pick who attended, or clear that attendee's answers";

/**
 * What the attendance card sends back: `held` and `notHeldReason` for the meeting, `agency_<type>` counts,
 * `outcome_<forceId>` and per attendee slot `<field>_<forceId>_<slot>`; the card's version and, where it had
 * to show fewer, how many recorded attendees it had in slots (`inSlots`, by force). Every empty
 * input is unanswered (undefined); a slot is an attendee only when someone is picked in it, and one with
 * answers but nobody picked is refused (see `describesSomeone`). An issue about a force's answers has the path
 * `[forceId]` or `[forceId, slot]`, so the reply can name the force.
 */
export const attendanceData = z
  .object({
    meetingId: id,
    cardVersion: z.string().max(200).default(''),
    /** Per force, how many of its recorded attendees the card had in slots, when its size budget allowed fewer than it could. */
    inSlots: z.record(z.string().regex(/^[a-z0-9-]{1,64}$/), z.coerce.number().int().min(0).max(MAX_ATTENDEE_SLOTS))
      .refine((v) => Object.keys(v).length <= MAX_FORCES, 'too many forces').default({}),
    held: answer(['held', 'not-held'] as const, 'say whether the meeting was held or did not take place'),
    notHeldReason: answer(CANCEL_REASONS, 'choose why the meeting did not take place from the list'),
  })
  .passthrough()
  .transform((d, ctx) => {
    const raw = d as Record<string, unknown>;
    const read = <T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, key: string, path: Array<string | number>): T | undefined => {
      const r = schema.safeParse(raw[key]);
      if (r.success) return r.data;
      for (const i of r.error.issues) ctx.addIssue({ code: 'custom', message: i.message, path });
      return undefined;
    };
    const agencies: AgencyCounts = {};
    const forces = new Map<string, { forceId: string; outcome?: AttendanceOutcome; slots: Map<number, SlotAnswer> }>();
    const forceOf = (forceId: string) => forces.get(forceId) ?? forces.set(forceId, { forceId, slots: new Map() }).get(forceId)!;
    for (const key of Object.keys(raw)) {
      const agency = AGENCY_KEY.exec(key)?.[1];
      if (agency !== undefined) {
        if (!(AGENCY_TYPES as readonly string[]).includes(agency)) ctx.addIssue({ code: 'custom', message: 'that card could not be read (an unknown agency)', path: [key] });
        else {
          const n = read(agencyCount, key, [key]);
          if (n !== undefined) agencies[agency as AgencyType] = n;
        }
      }
      const outcome = OUTCOME_KEY.exec(key);
      if (outcome) forceOf(outcome[1]!).outcome = read(forceOutcome, key, [outcome[1]!]);
      const slot = SLOT_KEY.exec(key);
      if (slot) {
        const [, field, forceId, n] = slot as unknown as [string, SlotField, string, string];
        const slots = forceOf(forceId).slots;
        const s = slots.get(Number(n)) ?? slots.set(Number(n), { slot: Number(n) }).get(Number(n))!;
        const value = read(SLOT_FIELDS[field] as z.ZodType<string | undefined, z.ZodTypeDef, unknown>, key, [forceId, Number(n)]);
        if (value !== undefined) Object.assign(s, { [SLOT_PROPERTY[field]]: value });
      }
    }
    if (forces.size > MAX_FORCES) ctx.addIssue({ code: 'custom', message: 'that card could not be read (too many forces)' });
    for (const f of d.held === 'not-held' ? [] : forces.values()) {
      if (f.outcome === 'apologies' || f.outcome === 'absent') continue;
      for (const s of f.slots.values()) {
        // A person given but not readable has its own issue already.
        const picked = blank(raw[`person_${f.forceId}_${s.slot}`]) !== undefined;
        if (!picked && describesSomeone(s)) ctx.addIssue({ code: 'custom', message: PICK_OR_CLEAR, path: [f.forceId, s.slot] });
      }
    }
    return {
      meetingId: d.meetingId,
      cardVersion: d.cardVersion,
      inSlots: d.inSlots,
      outcome: d.held,
      notHeldReason: d.notHeldReason,
      agencies,
      forces: [...forces.values()].map((f) => ({ forceId: f.forceId, outcome: f.outcome, slots: [...f.slots.values()].filter((s) => s.person).sort((a, b) => a.slot - b.slot) })),
    };
  });
export type AttendanceData = z.infer<typeof attendanceData>;

/** A history or review filter: a force, area or panel (`force:<id>`, `area:<id>`, `panel:<id>`), or `all` (or nothing) for everything the person may see. */
const scopeChoice = z.string().regex(/^(all|(force|area|panel):[a-z0-9-]{1,64})?$/, 'choose a force, area or panel from the list').default('');
const optionalDate = z.string().regex(/^(\d{4}-\d{2}-\d{2})?$/, 'choose a date').default('');

/** The attendance history card's filters (inputs) and, on a paging button, where the next page starts. */
export const historyPageData = z.object({
  filterScope: scopeChoice,
  filterFrom: optionalDate,
  filterTo: optionalDate,
  direction: z.enum(['older', 'newer']).default('older'),
  cursorStart: z.string().datetime().optional(),
  cursorId: id.optional(),
});
export type HistoryPageData = z.infer<typeof historyPageData>;

/** The review card's filters (inputs) and which page of its per-panel table to show. */
export const reviewViewData = z.object({
  filterScope: scopeChoice,
  filterMonths: z.coerce.number().int().min(1).max(120).default(12),
  page: z.coerce.number().int().min(0).max(1000).default(0),
});
export type ReviewViewData = z.infer<typeof reviewViewData>;

/** The force's answer on a chair's record of its substitutes: the record's version guards against a changed record. */
export const confirmAttendanceData = z.object({
  meetingId: id,
  forceId: z.string().regex(/^[a-z0-9-]{1,64}$/),
  recordVersion: version,
  answer: z.enum(['confirmed', 'disputed'], { errorMap: () => ({ message: 'choose confirm or dispute' }) }),
});

/** Apologies in advance from the nomination card, perhaps offering a substitute (a picked person). */
export const sendApologiesData = z.object({
  meetingId: id,
  forceId: z.string().regex(/^[a-z0-9-]{1,64}$/),
  substitute: z.union([z.literal(''), z.string().trim().regex(PICKED_PERSON, 'choose the substitute from the list')]).default(''),
});

/** The most answers a sign-off card carries (scheduler/review/signoff-flags.ts MAX_ROWS is what it shows). */
export const MAX_SIGNOFF_ROWS = 50;
const LOCAL_DAY = /^\d{4}-\d{2}-\d{2}$/;
/** What a typed box may send: a string, bounded well above what the use case then allows, or nothing. */
const box = (max: number) => z.preprocess((v) => (v === null ? undefined : v), z.string({ invalid_type_error: 'that card could not be read' }).max(4 * max, 'that card could not be read').optional());

/**
 * The sign-off card's press: the card's own data (the period, the force or none for the national view, the
 * fingerprint of the flags its rows were made from, how many rows, its press id) and its inputs, `conclusion` and per
 * row `decision_<n>`, `what_<n>`, `owner_<n>`, `due_<n>`. Only the shape is checked here; what each answer must hold
 * is the use case's to say (scheduler/review/signoff.ts), all at once and in words.
 */
export const signOffData = z
  .object({
    forceId: z.string().regex(/^[a-z0-9-]{1,64}$/).optional(),
    from: z.string().regex(LOCAL_DAY, 'that card could not be read (its period)'),
    to: z.string().regex(LOCAL_DAY, 'that card could not be read (its period)'),
    fingerprint: z.string().max(64),
    rows: z.coerce.number().int().min(0).max(MAX_SIGNOFF_ROWS),
    submissionId: z.string().regex(/^[A-Za-z0-9-]{8,64}$/),
    conclusion: box(500),
  })
  .passthrough()
  .transform((d, ctx) => {
    const raw = d as Record<string, unknown>;
    const read = (key: string, max: number) => {
      const r = box(max).safeParse(raw[key]);
      if (!r.success) ctx.addIssue({ code: 'custom', message: 'that card could not be read', path: [key] });
      return r.success ? r.data : undefined;
    };
    const answers = Array.from({ length: d.rows }, (_, n) => ({ decision: read(`decision_${n}`, 20), what: read(`what_${n}`, 300), owner: read(`owner_${n}`, 120), due: read(`due_${n}`, 20) }));
    return { forceId: d.forceId, from: d.from, to: d.to, fingerprint: d.fingerprint, submissionId: d.submissionId, conclusion: d.conclusion ?? '', answers };
  });
export type SignOffData = z.infer<typeof signOffData>;

/** "Mark done" on an action agreed at a sign-off: the action, and the force whose sign-off it is (none: national). */
export const markActionDoneData = z.object({
  actionId: z.string().regex(/^[A-Za-z0-9-]{8,64}\.\d{1,5}$/, 'that card could not be read'),
  forceId: z.string().regex(/^[a-z0-9-]{1,64}$/).optional(),
});

/** Each verb's data schema, so every verb has one and tests can build well-formed data for any of them. */
export const VERB_DATA = {
  nominate: nominateData,
  refreshNomination: cardRef,
  cancelMeeting: cancelData,
  recordAttendance: attendanceData,
  rescheduleMeeting: rescheduleData,
  addMeeting: addMeetingData,
  historyPage: historyPageData,
  reviewView: reviewViewData,
  confirmAttendance: confirmAttendanceData,
  sendApologies: sendApologiesData,
  openAttendance: openAttendanceData,
  inviteForce: inviteForceData,
  openChairCard: openChairCardData,
  openNomination: cardRef,
  linkConversation: linkData,
  signOffReview: signOffData,
  markActionDone: markActionDoneData,
} satisfies Record<keyof typeof VERBS, z.ZodTypeAny>;
