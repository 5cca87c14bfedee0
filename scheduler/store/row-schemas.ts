import { z } from 'zod';
import type { Timetable } from '../domain/types.js';

/** JSON read back from the database passes these once (house rule 4). */
export const timetableSchema: z.ZodType<Timetable> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('rrule'), rrule: z.string(), start: z.string(), minutes: z.number(), from: z.string() }),
  z.object({ kind: z.literal('when-necessary'), start: z.string(), minutes: z.number() }),
]);

export const auditSubjectSchema = z.record(z.string());
export const auditDetailsSchema = z.record(z.unknown());
