import { z } from 'zod';
import { cleanText } from '../scheduler/domain/text.js';
import { CANCEL_REASONS } from '../scheduler/domain/types.js';

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
} as const;

const id = z.string().min(1).max(200);

/** A person picker's value: an Entra object id (Teams) or a Teams user id (the Agents Playground's picker). */
export const PICKED_PERSON = /^[A-Za-z0-9][A-Za-z0-9:._-]{0,199}$/;
const version = z.coerce.number().int().min(0).max(1_000_000);

/** Text a person typed, cleaned (cleanText) before its length is checked, so invisible characters count for nothing. */
const typed = (min: number, tooShort: string, max: number, tooLong: string) =>
  z.string().max(4 * max, tooLong).transform(cleanText).pipe(z.string().min(min, tooShort).max(max, tooLong));

/** The versions of the meetings a chair's card lists, by meeting id; a press whose meeting is missing here is stale. */
const versions = z.record(z.string().max(200), version).refine((v) => Object.keys(v).length <= 200, 'too many meetings').default({});

/** What a nomination card's button sends back: the card's own data plus the inputs, merged by Teams. */
export const nominateData = z.object({
  meetingId: id,
  forceId: z.string().regex(/^[a-z0-9-]{1,64}$/),
  meetingVersion: version,
  nominationVersion: version,
  attendee: z.string().trim().regex(PICKED_PERSON, 'choose the attendee from the list'),
  role: typed(2, 'give their role', 80, 'keep the role under 80 characters'),
  decisionMaker: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
});
export type NominateData = z.infer<typeof nominateData>;

/** A refresh or a re-render needs only which card it is. */
export const cardRef = z.object({ meetingId: id, forceId: z.string().regex(/^[a-z0-9-]{1,64}$/) });

/** The cancellation categories the card offers; the store keeps the same words. */
export const CANCEL_REASON_CHOICES = CANCEL_REASONS.map((r) => ({ title: r[0]!.toUpperCase() + r.slice(1), value: r }));

/** What the cancel card sends back. The note is free text: length-limited here, and the card warns against case details. */
export const cancelData = z.object({
  meetingId: id,
  reason: z.enum(CANCEL_REASONS, { errorMap: () => ({ message: 'choose a reason' }) }),
  note: typed(3, 'add a short note', 280, 'keep the note under 280 characters'),
  versions,
});

/** What the attendance card sends back: per force `attended_<id>`, `attendee_<id>`, `decisionMaker_<id>`; and the card's version. */
export const attendanceData = z
  .object({ meetingId: id, cardVersion: z.string().max(200).default('') })
  .passthrough()
  .transform((d, ctx) => {
    const field = (name: string) => {
      const v = (d as Record<string, unknown>)[name];
      if (v !== undefined && (typeof v !== 'string' || v.length > 200)) ctx.addIssue({ code: 'custom', message: 'that card could not be read' });
      return typeof v === 'string' ? v : undefined;
    };
    const forces = [...new Set(Object.keys(d).flatMap((k) => /^(attended|attendee|decisionMaker)_([a-z0-9-]{1,64})$/.exec(k)?.[2] ?? []))];
    if (!forces.length) ctx.addIssue({ code: 'custom', message: 'say for each force whether the police attended' });
    const records = forces.map((f) => {
      const attendee = (field(`attendee_${f}`) ?? '').trim();
      if (attendee && !PICKED_PERSON.test(attendee)) ctx.addIssue({ code: 'custom', message: `choose who attended for ${f} from the list` });
      return { forceId: f, attended: field(`attended_${f}`) !== 'false', attendee: attendee || null, decisionMaker: field(`decisionMaker_${f}`) === 'true' };
    });
    return { meetingId: d.meetingId, cardVersion: d.cardVersion, records };
  });

const localDateInput = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'choose a date');
const localTimeInput = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d(:00)?$/, 'choose a start time').transform((t) => t.slice(0, 5));

/** Moving a meeting: which one, and its new local date and start time. */
export const rescheduleData = z.object({ meetingId: z.string({ required_error: 'choose a meeting' }).min(1, 'choose a meeting').max(200), newDate: localDateInput, newTime: localTimeInput, versions });

/** Adding an extra meeting to a panel. */
export const addMeetingData = z.object({ panelId: z.string({ required_error: 'choose a panel' }).regex(/^[a-z0-9-]{1,64}$/, 'choose a panel'), extraDate: localDateInput, extraTime: localTimeInput,
  /** Each listed panel's fingerprint when the card was made (`asOf`): a press after the panel's meetings changed is stale. */
  snapshots: z.record(z.string().max(64), z.string().max(64)).refine((v) => Object.keys(v).length <= 200, 'too many panels').optional(),
  asOf: z.string().datetime().optional(),
});

/** A history or review filter: a force or panel (`force:<id>`, `panel:<id>`), or `all` (or nothing) for everything the person may see. */
const scopeChoice = z.string().regex(/^(all|(force|panel):[a-z0-9-]{1,64})?$/, 'choose a force or panel from the list').default('');
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
} satisfies Record<keyof typeof VERBS, z.ZodTypeAny>;
