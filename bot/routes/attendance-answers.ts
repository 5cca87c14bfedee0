import type { TurnContext } from 'botbuilder';
import type { z } from 'zod';
import { placeRecorded } from '../../cards/attendance-inputs.js';
import type { AttendanceData, SlotAnswer } from '../../cards/verbs.js';
import type { AttendeeAnswer, ForceAnswer, MeetingAnswers } from '../../scheduler/domain/attendance-rules.js';
import type { Attendee, Person, Result } from '../../scheduler/domain/types.js';
import { fail, ok } from '../../scheduler/domain/types.js';
import { resolvePickedPerson } from './people.js';

/** The forces of the attendance card's model, as far as answers need them. */
export interface CardForce {
  id: string;
  name: string;
  nominee: Pick<Person, 'aadObjectId'> | null;
  choices: Person[];
  /** The force's record the card showed (the card version guards that it still is). */
  recorded: { attendees: readonly Attendee[] } | null;
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

/** A recorded attendee as the card's answers carry them: unchanged. */
const asAnswer = (a: Attendee): AttendeeAnswer => ({
  person: { aadObjectId: a.aadObjectId, name: a.name, tenantId: a.tenantId },
  roleCategory: a.roleCategory ?? undefined, role: a.role || undefined, unit: a.unit ?? undefined, mode: a.mode ?? undefined, decisionMaker: a.decisionMaker,
});

/**
 * The card's answers as the use case takes them, each picked person resolved to someone the card offered or
 * Teams vouches for. A force not on the card is passed on without attendees, for the use case to refuse.
 * The recorded attendees the card shows as fixed lines, not in slots (an import's people known by name alone,
 * whom no picker can offer, and any past the slots the card had room for) are added back, as they are, to a
 * force still answered as attended; recording apologies or an absence drops them with everyone else.
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
    if (force && f.outcome === 'attended') {
      // Someone kept for want of room on the card and picked in a slot as well is answered there.
      const kept = placeRecorded(force.recorded?.attendees ?? [], d.inSlots[f.forceId]).kept.filter((k) => !attendees.some((a) => k.aadObjectId && a.person.aadObjectId === k.aadObjectId));
      attendees.push(...kept.map(asAnswer));
    }
    answers.push({ forceId: f.forceId, outcome: f.outcome, attendees });
  }
  return ok({ ...base, forces: answers });
}
