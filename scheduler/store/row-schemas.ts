import { z } from 'zod';
import type { AgencyCounts, Attendee, Timetable } from '../domain/types.js';
import { AGENCY_TYPES, DECISION_ANSWERS, MODES, ROLE_CATEGORIES, UNITS } from '../domain/types.js';

/** JSON read back from the database passes these once (house rule 4). */
export const timetableSchema: z.ZodType<Timetable> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('rrule'), rrule: z.string(), start: z.string(), minutes: z.number(), from: z.string() }),
  z.object({ kind: z.literal('when-necessary'), start: z.string(), minutes: z.number() }),
]);

/** A force's areas as stored (their people are roles). */
export const areasSchema = z.array(z.object({ id: z.string(), name: z.string(), panels: z.array(z.string()) }));

export const auditSubjectSchema = z.record(z.string());
export const auditDetailsSchema = z.record(z.unknown());

/** The attendees a record holds, as stored JSON (records from before the categories were asked carry nulls). */
export const attendeesSchema: z.ZodType<Attendee[]> = z.array(
  z.object({
    aadObjectId: z.string().nullable(),
    tenantId: z.string().nullable(),
    name: z.string(),
    roleCategory: z.enum(ROLE_CATEGORIES).nullable(),
    role: z.string(),
    unit: z.enum(UNITS).nullable(),
    mode: z.enum(MODES).nullable(),
    decisionMaker: z.enum(DECISION_ANSWERS),
    substitute: z.boolean(),
  }),
);

/** Other agencies present, by type. */
export const agenciesSchema: z.ZodType<AgencyCounts> = z.record(z.enum(AGENCY_TYPES), z.number().int().min(0)) as z.ZodType<AgencyCounts>;
