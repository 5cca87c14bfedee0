import type { TurnContext } from 'botbuilder';
import type { z } from 'zod';
import type { AttendanceData, SlotAnswer } from '../../cards/verbs.js';
import type { AttendeeAnswer, ForceAnswer, MeetingAnswers } from '../../scheduler/domain/attendance-rules.js';
import type { Person, Result } from '../../scheduler/domain/types.js';
import { fail, ok } from '../../scheduler/domain/types.js';
import { resolvePickedPerson } from './people.js';

/** The forces of the attendance card's model, as far as answers need them. */
export interface CardForce {
  id: string;
  name: string;
  nominee: Pick<Person, 'aadObjectId'> | null;
  choices: Person[];
}

/** Why the card's data was refused, in plain words: an issue about a force's answers names the force (and the attendee). */
export function explainIssues(error: z.ZodError, forces: readonly CardForce[]): string {
  const lines = error.issues.map((i) => {
    const [forceId, slot] = i.path;
    const force = typeof forceId === 'string' ? forces.find((f) => f.id === forceId) : undefined;
    if (!force) return i.message;
    return `${force.name}${typeof slot === 'number' ? `, attendee ${slot}` : ''}: ${i.message}`;
  });
  return [...new Set(lines)].join('; ');
}

/** The first attendee's picker left on the card's suggestion (the nominee) and nothing else answered for them. */
const untouchedSuggestion = (s: SlotAnswer, force: CardForce) =>
  s.slot === 1 && s.person?.toLowerCase() === force.nominee?.aadObjectId && [s.roleCategory, s.role, s.unit, s.mode, s.decisionMaker].every((v) => v === undefined);

/**
 * The card's answers as the use case takes them, each picked person resolved to someone the card offered or
 * Teams vouches for. A force not on the card is passed on without attendees, for the use case to refuse.
 */
export async function resolveAnswers(ctx: TurnContext, forces: readonly CardForce[], d: AttendanceData): Promise<Result<MeetingAnswers>> {
  const base = { outcome: d.outcome, notHeldReason: d.notHeldReason, agencies: d.agencies };
  // A meeting that did not take place has no police answers to resolve.
  if (d.outcome === 'not-held') return ok({ ...base, forces: [] });
  const answers: ForceAnswer[] = [];
  for (const f of d.forces) {
    const force = forces.find((x) => x.id === f.forceId);
    // Recording apologies or an absence, the nominee the card suggested is not an attendee.
    const slots = force ? f.slots.filter((s) => f.outcome === 'attended' || !untouchedSuggestion(s, force)) : [];
    const attendees: AttendeeAnswer[] = [];
    for (const s of slots) {
      const person = await resolvePickedPerson(ctx, force!.choices, s.person!);
      if (!person) return fail('NOT_FOUND', `Not recorded: I could not find attendee ${s.slot} for ${force!.name} in this team. Pick them from the list.`);
      attendees.push({ person, roleCategory: s.roleCategory, role: s.role, unit: s.unit, mode: s.mode, decisionMaker: s.decisionMaker });
    }
    answers.push({ forceId: f.forceId, outcome: f.outcome, attendees });
  }
  return ok({ ...base, forces: answers });
}
