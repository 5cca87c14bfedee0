import type { AttendeeAnswer, MeetingAnswers } from '../../scheduler/domain/attendance-rules.js';
import type { AttendanceOutcome, DecisionAnswer, Person } from '../../scheduler/domain/types.js';

/** An attendee with every question answered; `decisionMaker` as given. */
export const present = (person: Person, decisionMaker: DecisionAnswer = 'yes', extra: Partial<AttendeeAnswer> = {}): AttendeeAnswer => ({
  person, roleCategory: 'prevent-officer', role: 'Detective Sergeant', unit: 'local', mode: 'in-person', decisionMaker, ...extra,
});

/** A held meeting's answers: per force, the attendees who came, or an outcome of apologies or absent. */
export function heldWith(forces: Record<string, AttendeeAnswer[] | Exclude<AttendanceOutcome, 'attended'>>, agencies: MeetingAnswers['agencies'] = {}): MeetingAnswers {
  return {
    outcome: 'held',
    agencies,
    forces: Object.entries(forces).map(([forceId, v]) => (typeof v === 'string' ? { forceId, outcome: v, attendees: [] } : { forceId, outcome: 'attended' as const, attendees: v })),
  };
}

/** A meeting that did not take place. */
export const notHeld = (reason: NonNullable<MeetingAnswers['notHeldReason']> = 'not quorate', agencies: MeetingAnswers['agencies'] = {}): MeetingAnswers => ({ outcome: 'not-held', notHeldReason: reason, agencies, forces: [] });
