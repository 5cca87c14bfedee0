import type {
  AgencyCounts, Attendance, AttendanceOutcome, Attendee, CancelReason, DecisionAnswer, ForceConfirmation, Mode, Nomination, Result, RoleCategory, Unit,
} from './types.js';
import { AGENCY_TYPES, fail, ok } from './types.js';

/** One attendee as the chair answered: every field is undefined until someone answers it. */
export interface AttendeeAnswer {
  /** An import may know a person by name alone (no Entra id). */
  person: { aadObjectId: string | null; name: string; tenantId?: string | null };
  roleCategory?: RoleCategory;
  role?: string;
  unit?: Unit;
  mode?: Mode;
  decisionMaker?: DecisionAnswer;
}

export interface ForceAnswer {
  forceId: string;
  outcome?: AttendanceOutcome;
  attendees: AttendeeAnswer[];
}

/** Everything a chair's card says about a meeting that has ended. */
export interface MeetingAnswers {
  outcome?: 'held' | 'not-held';
  notHeldReason?: CancelReason;
  agencies: AgencyCounts;
  forces: ForceAnswer[];
}

/** The answers once every question has one. */
export type CheckedAnswers =
  | { outcome: 'not-held'; notHeldReason: CancelReason; agencies: AgencyCounts }
  | { outcome: 'held'; agencies: AgencyCounts; forces: Array<{ forceId: string; outcome: AttendanceOutcome; attendees: Array<Required<AttendeeAnswer>> }> };

const MAX_AGENCY = 99;

/**
 * Checks that the chair answered every question for the meeting and each of its forces (`forces`, in card
 * order). Nothing is assumed: a missing answer is a line of its own saying what to answer, all lines at once.
 */
export function checkAnswers(a: MeetingAnswers, forces: ReadonlyArray<{ id: string; name: string }>): Result<CheckedAnswers> {
  const missing: string[] = [];
  for (const [k, n] of Object.entries(a.agencies)) {
    if (!(AGENCY_TYPES as readonly string[]).includes(k) || !Number.isInteger(n) || n! < 0 || n! > MAX_AGENCY) missing.push(`give other agencies present as whole numbers from 0 to ${MAX_AGENCY}`);
  }
  if (!a.outcome) missing.push('say whether the meeting was held or did not take place');
  if (a.outcome === 'not-held') {
    if (!a.notHeldReason) missing.push('say why the meeting did not take place');
    if (missing.length) return fail('INCOMPLETE', sentence(missing));
    return ok({ outcome: 'not-held', notHeldReason: a.notHeldReason!, agencies: a.agencies });
  }
  const unknown = a.forces.filter((f) => !forces.some((x) => x.id === f.forceId));
  if (unknown.length) return fail('NOT_FOUND', `${unknown.map((f) => f.forceId).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not asked to this meeting.`);
  const checked = forces.map((force) => checkForce(force, a.forces.find((f) => f.forceId === force.id), missing));
  if (missing.length) return fail('INCOMPLETE', sentence([...new Set(missing)]));
  return ok({ outcome: 'held', agencies: a.agencies, forces: checked });
}

function checkForce(force: { id: string; name: string }, answer: ForceAnswer | undefined, missing: string[]) {
  const outcome = answer?.outcome;
  const attendees = answer?.attendees ?? [];
  if (!outcome) missing.push(`${force.name}: say whether the police attended, sent apologies or were absent without apologies`);
  if (outcome === 'attended' && attendees.length === 0) missing.push(`${force.name}: say who attended`);
  if (outcome && outcome !== 'attended' && attendees.length > 0) missing.push(`${force.name}: you named attendees but said the police did not attend; choose one`);
  const ids = attendees.map((p) => p.person.aadObjectId ?? `name:${p.person.name.toLowerCase()}`);
  if (new Set(ids).size !== ids.length) missing.push(`${force.name}: name each attendee once`);
  for (const p of outcome === 'attended' ? attendees : []) {
    const gaps = [
      !p.roleCategory && 'role category',
      !p.role && 'rank or role',
      !p.unit && 'local force or regional unit',
      !p.mode && 'in person or online',
      !p.decisionMaker && "decision maker (yes, no or don't know)",
    ].filter((g): g is string => !!g);
    if (gaps.length) missing.push(`${force.name}, ${p.person.name}: answer ${gaps.join(', ')}`);
  }
  return { forceId: force.id, outcome: outcome ?? 'absent', attendees: outcome === 'attended' ? (attendees as Array<Required<AttendeeAnswer>>) : [] };
}

const sentence = (lines: string[]) => `Nothing was recorded. Still to answer: ${lines.join('; ')}.`;

/** The stored attendees: anyone but the force's nominee (or anyone, when it named nobody) is a substitute. */
export function toAttendees(answers: ReadonlyArray<Required<AttendeeAnswer>>, nominee: Pick<Nomination, 'aadObjectId'> | null): Attendee[] {
  return answers.map((p) => ({
    aadObjectId: p.person.aadObjectId,
    tenantId: p.person.tenantId ?? null,
    name: p.person.name,
    roleCategory: p.roleCategory,
    role: p.role,
    unit: p.unit,
    mode: p.mode,
    decisionMaker: p.decisionMaker,
    substitute: !nominee || nominee.aadObjectId !== p.person.aadObjectId,
  }));
}

/**
 * Whether the force must confirm the chair's record: someone it did not name attended, or the chair
 * answered "decision maker" for someone the force itself had not confirmed as one.
 */
export function needsForceConfirmation(attendees: readonly Attendee[], nominee: Pick<Nomination, 'aadObjectId' | 'decisionMaker'> | null): boolean {
  return attendees.some((a) => a.substitute || (a.decisionMaker === 'yes' && !(nominee?.aadObjectId === a.aadObjectId && nominee.decisionMaker)));
}

/** The confirmation a new version of a record carries: kept when the force's people are unchanged, else asked again. */
export function nextConfirmation(previous: Attendance | null, attendees: readonly Attendee[], needed: boolean): { state: ForceConfirmation; by: string | null; at: string | null } {
  if (!needed) return { state: 'not-needed', by: null, at: null };
  if (previous && previous.forceConfirmation !== 'not-needed' && previous.forceConfirmation !== 'pending' && samePeople(previous.attendees, attendees)) {
    return { state: previous.forceConfirmation, by: previous.confirmedBy, at: previous.confirmedAt };
  }
  return { state: 'pending', by: null, at: null };
}

/** Same people with the same answers (what a force confirms), in any order. */
export function samePeople(a: readonly Attendee[], b: readonly Attendee[]): boolean {
  const key = (x: Attendee) => JSON.stringify([x.aadObjectId, x.name, x.roleCategory, x.role, x.unit, x.mode, x.decisionMaker]);
  const [ka, kb] = [a.map(key).sort(), b.map(key).sort()];
  return ka.length === kb.length && ka.every((k, i) => k === kb[i]);
}

/**
 * A decision maker represented the force: it attended and someone answered "yes" for one of its attendees,
 * and the force has not disputed the record (a dispute says the people it sent could not decide for it).
 */
export const decisionMakerPresent = (a: Pick<Attendance, 'outcome' | 'forceConfirmation' | 'attendees'> | undefined): boolean =>
  !!a && a.outcome === 'attended' && a.forceConfirmation !== 'disputed' && a.attendees.some((p) => p.decisionMaker === 'yes');

/** The police attended (someone was there for the force). */
export const attended = (a: Pick<Attendance, 'outcome'> | undefined): boolean => !!a && a.outcome === 'attended';
