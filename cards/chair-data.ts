import { z } from 'zod';
import { cancellationNote, NOTE_MAX } from '../scheduler/domain/text.js';
import { CANCEL_REASONS } from '../scheduler/domain/types.js';

// What the chair's cards (cancel, move, add, invite, record a past meeting), the `panels` list's forms and the link
// choice card send back. cards/verbs.ts names the verbs and re-exports these with the other cards' schemas.

const id = z.string().min(1).max(200);
const version = z.coerce.number().int().min(0).max(1_000_000);

/** The versions of the meetings a chair's card lists, by meeting id; a press whose meeting is missing here is stale. */
const versions = z.record(z.string().max(200), version).refine((v) => Object.keys(v).length <= 200, 'too many meetings').default({});

/**
 * The cancel card's optional note, by the domain's rule (cancelMeeting applies it again): empty or missing is no
 * note. A raw value far past the limit is refused before it is cleaned.
 */
const cancelNote = z
  .string()
  .max(8 * NOTE_MAX, `keep the note to ${NOTE_MAX} characters or fewer`)
  .nullish()
  .transform((raw, ctx) => {
    const note = cancellationNote(raw);
    if (note.ok) return note.value;
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: note.error.message });
    return z.NEVER;
  });

/**
 * Which step of a change a press is. The form's button asks (nothing changes: the card asks the question), the
 * question's buttons confirm or keep. Anything else asks, so no press changes a meeting without a confirm.
 */
const step = z.enum(['ask', 'confirm', 'keep']).catch('ask');

/** Where the press came from: `panels` when the form sat in the `panels` list, which the answer then keeps. */
const from = z.enum(['panels']).optional().catch(undefined);

/** The lists a button may sit in whose answer keeps the list: `panels`, and the `flags` list (its buttons open forms only). */
const LISTS = ['panels', 'flags'] as const;
export type ListOrigin = (typeof LISTS)[number];
const listFrom = z.enum(LISTS).optional().catch(undefined);

/**
 * A form inside the `panels` list names its inputs `<field>_<row>` (a card's ids are unique, and every meeting
 * has its own form); its button says which row. Read them as the plain fields.
 */
const rowInputs = (fields: readonly string[]) => (raw: unknown): unknown => {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const d = raw as Record<string, unknown>;
  const row = typeof d.row === 'string' || typeof d.row === 'number' ? String(d.row) : '';
  if (!/^\d{1,3}$/.test(row)) return raw;
  return { ...d, ...Object.fromEntries(fields.filter((f) => `${f}_${row}` in d).map((f) => [f, d[`${f}_${row}`]])) };
};

/**
 * An add form inside the `panels` list is one panel's: its button names the panel, and its inputs are
 * `<field>_<panelId>` (two panels' forms on one card would otherwise share ids). Read that panel's as the plain fields.
 */
const panelInputs = (fields: readonly string[]) => (raw: unknown): unknown => {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const d = raw as Record<string, unknown>;
  if (typeof d.panelId !== 'string' || !/^[a-z0-9-]{1,64}$/.test(d.panelId)) return raw;
  return { ...d, ...Object.fromEntries(fields.filter((f) => `${f}_${d.panelId}` in d).map((f) => [f, d[`${f}_${d.panelId}`]])) };
};

/** Where a form's press came from, read without the rest of its data: a refusal answers there too. */
export const pressOrigin = (raw: unknown): 'panels' | undefined => z.object({ from }).catch({ from: undefined }).parse(raw).from;

/** Which list a button that opens a form sat in (`panels` or `flags`): the answer is that list again. */
export const listOrigin = (raw: unknown): ListOrigin | undefined => z.object({ from: listFrom }).catch({ from: undefined }).parse(raw).from;

/** What the cancel card sends back: a reason category, required, and an optional short note (the card warns against case details). */
export const cancelData = z.preprocess(rowInputs(['reason', 'note']), z.object({
  meetingId: id,
  reason: z.enum(CANCEL_REASONS, { errorMap: () => ({ message: 'choose a reason' }) }),
  note: cancelNote,
  versions,
  step,
  from,
}));

const localDateInput = z.string({ required_error: 'choose a date' }).regex(/^\d{4}-\d{2}-\d{2}$/, 'choose a date');
const localTimeInput = z.string({ required_error: 'choose a start time' }).regex(/^([01]\d|2[0-3]):[0-5]\d(:00)?$/, 'choose a start time').transform((t) => t.slice(0, 5));

/** Moving a meeting: which one, and its new local date and start time. */
export const rescheduleData = z.preprocess(rowInputs(['newDate', 'newTime']), z.object({
  meetingId: z.string({ required_error: 'choose a meeting' }).min(1, 'choose a meeting').max(200), newDate: localDateInput, newTime: localTimeInput, versions, step, from,
}));

/** Adding an extra meeting to a panel. */
export const addMeetingData = z.preprocess(panelInputs(['extraDate', 'extraTime']), z.object({ panelId: z.string({ required_error: 'choose a panel' }).regex(/^[a-z0-9-]{1,64}$/, 'choose a panel'), extraDate: localDateInput, extraTime: localTimeInput,
  /** Each listed panel's fingerprint when the card was made (`asOf`): a press after the panel's meetings changed is stale. */
  snapshots: z.record(z.string().max(64), z.string().max(64)).refine((v) => Object.keys(v).length <= 200, 'too many panels').optional(),
  asOf: z.string().datetime().optional(),
  step,
  from,
}));

/** Opening a past meeting's attendance card: the past-meeting card's list sends `pastMeetingId`, other buttons `meetingId`. */
export const openAttendanceData = z
  .object({ meetingId: z.string().max(200).optional(), pastMeetingId: z.string().max(200).optional(), from: listFrom })
  .transform((d, ctx) => {
    const meetingId = d.pastMeetingId !== undefined ? d.pastMeetingId : d.meetingId;
    if (!meetingId) ctx.addIssue({ code: 'custom', message: 'choose a meeting' });
    return { meetingId: meetingId ?? '', from: d.from };
  });

/** The chair's focused cards, each for one job. */
export const CHAIR_CARDS = ['cancel', 'move', 'add', 'invite', 'record'] as const;
export type ChairCardName = (typeof CHAIR_CARDS)[number];

/** Opening one of them: which, the meeting to preselect, and where from (`panels` keeps the list and sends the card apart). */
export const openChairCardData = z.object({
  view: z.enum(CHAIR_CARDS, { errorMap: () => ({ message: 'that card could not be read' }) }),
  // A client may send an unset ChoiceSet as "": that is no meeting chosen, not a malformed card.
  meetingId: z.preprocess((v) => (v === '' ? undefined : v), id.optional()),
  from,
});

/** Linking this conversation from the choice card: what kind, and the force or panel chosen. */
export const linkData = z
  .object({
    scope: z.enum(['force', 'panel', 'area'], { errorMap: () => ({ message: 'that card could not be read' }) }),
    forceId: z.string().regex(/^[a-z0-9-]{1,64}$/, 'choose a force from the list').optional(),
    panelId: z.string().regex(/^[a-z0-9-]{1,64}$/, 'choose a panel from the list').optional(),
    areaId: z.string().regex(/^[a-z0-9-]{1,64}$/, 'choose an area from the list').optional(),
  })
  .transform((d, ctx) => {
    const target = d.scope === 'force' ? d.forceId : d.scope === 'panel' ? d.panelId : d.areaId;
    if (!target) ctx.addIssue({ code: 'custom', message: `choose a ${d.scope}` });
    return { scope: d.scope, id: target ?? '' };
  });

/** Inviting a force to one meeting: the meeting chosen on the chair's card and a force that does not face its panel. */
export const inviteForceData = z.object({
  meetingId: z.string({ required_error: 'choose a meeting' }).min(1, 'choose a meeting').max(200),
  forceId: z.string({ required_error: 'choose a force' }).regex(/^[a-z0-9-]{1,64}$/, 'choose a force from the list'),
});
