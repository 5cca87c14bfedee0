import { z } from 'zod';
import { AAD_OBJECT_ID } from '../scheduler/domain/ids.js';
import { CANCEL_REASONS } from '../scheduler/domain/types.js';

/** The verbs of every Action.Execute the bot's cards carry. */
export const VERBS = {
  nominate: 'nominate',
  refreshNomination: 'refreshNomination',
  cancelMeeting: 'cancelMeeting',
} as const;

const id = z.string().min(1).max(200);
const version = z.coerce.number().int().min(0).max(1_000_000);

/** What a nomination card's button sends back: the card's own data plus the inputs, merged by Teams. */
export const nominateData = z.object({
  meetingId: id,
  forceId: z.string().regex(/^[a-z0-9-]{1,64}$/),
  meetingVersion: version,
  nominationVersion: version,
  attendee: z.string().trim().toLowerCase().regex(AAD_OBJECT_ID, 'choose the attendee from the list'),
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
