import { z } from 'zod';
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

/** What a nomination card's button sends back: the card's own data plus the inputs, merged by Teams. */
export const nominateData = z.object({
  meetingId: id,
  forceId: z.string().regex(/^[a-z0-9-]{1,64}$/),
  meetingVersion: version,
  nominationVersion: version,
  attendee: z.string().trim().regex(PICKED_PERSON, 'choose the attendee from the list'),
  role: z.string().trim().min(2, 'give their role').max(80, 'keep the role under 80 characters'),
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
  note: z.string().trim().min(3, 'add a short note').max(280, 'keep the note under 280 characters'),
});

/** What the attendance card sends back: per force `attended_<id>`, `attendee_<id>`, `decisionMaker_<id>`. */
export const attendanceData = z
  .object({ meetingId: id })
  .catchall(z.string().max(200))
  .transform((d, ctx) => {
    const forces = [...new Set(Object.keys(d).flatMap((k) => /^(attended|attendee|decisionMaker)_([a-z0-9-]{1,64})$/.exec(k)?.[2] ?? []))];
    if (!forces.length) ctx.addIssue({ code: 'custom', message: 'say for each force whether the police attended' });
    const records = forces.map((f) => {
      const attendee = (d[`attendee_${f}`] ?? '').trim();
      if (attendee && !PICKED_PERSON.test(attendee)) ctx.addIssue({ code: 'custom', message: `choose who attended for ${f} from the list` });
      return { forceId: f, attended: d[`attended_${f}`] !== 'false', attendee: attendee || null, decisionMaker: d[`decisionMaker_${f}`] === 'true' };
    });
    return { meetingId: d.meetingId as string, records };
  });

const localDateInput = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'choose a date');
const localTimeInput = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d(:00)?$/, 'choose a start time').transform((t) => t.slice(0, 5));

/** Moving a meeting: which one, and its new local date and start time. */
export const rescheduleData = z.object({ meetingId: z.string({ required_error: 'choose a meeting' }).min(1, 'choose a meeting').max(200), newDate: localDateInput, newTime: localTimeInput });

/** Adding an extra meeting to a panel. */
export const addMeetingData = z.object({ panelId: z.string({ required_error: 'choose a panel' }).regex(/^[a-z0-9-]{1,64}$/, 'choose a panel'), extraDate: localDateInput, extraTime: localTimeInput });

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
