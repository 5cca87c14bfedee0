import { describe, expect, it } from 'vitest';
import { answeredInputs, cardInputs } from '../test/support/card-inputs.js';
import { cardBytes, cardProblems } from '../test/support/validate-card.js';
import { md } from './format.js';
import { attendanceCard, type AttendanceForceView, type AttendanceView } from './attendance-card.js';

const person = (i: number) => ({ aadObjectId: `6b0d549b-6f03-475a-9600-a35a0999${String(5000 + i).padStart(4, '0')}`, name: `Detective Inspector Person ${i}` });
const attendee = (i: number) => ({ ...person(i), tenantId: null, roleCategory: 'prevent-officer' as const, role: 'DS', unit: 'local' as const, mode: 'online' as const, decisionMaker: 'no' as const, substitute: true });
const force = (id: string, recorded: AttendanceForceView['recorded'] = null): AttendanceForceView => ({
  id, name: `${id} Police`, invited: false, nominee: person(0), recorded, apology: null, choices: Array.from({ length: 12 }, (_, i) => person(i)),
});
const view = (forces: AttendanceForceView[], record: AttendanceView['record'] = null): AttendanceView => ({
  meetingId: 'm.2027-03-29', version: '1.0', panelName: 'A <b>panel</b> [x](https://evil.example)', start: '2027-03-29T10:00:00+01:00', end: '2027-03-29T12:00:00+01:00', record, forces,
});

describe('the chair\'s attendance card', () => {
  it('gives one force three attendee slots, each picker offering its twelve people, and answers nothing but the suggested nominee', () => {
    const card = attendanceCard(view([force('cumbria')]));
    expect(cardProblems(card)).toEqual([]);
    const inputs = cardInputs(card);
    expect([1, 2, 3].every((n) => inputs.has(`person_cumbria_${n}`))).toBe(true);
    expect(JSON.stringify(card).match(/Detective Inspector Person 11/g)).toHaveLength(3);
    expect(answeredInputs(card)).toEqual({ person_cumbria_1: person(0).aadObjectId });
    expect((card.body as Array<{ text?: string }>).map((e) => e.text)).toContain(`Police attendance: ${md(view([]).panelName)}`);
  });

  it('fits many forces under Teams\' limit with fewer slots, never fewer than a force has on record', () => {
    const card = attendanceCard(view([force('a'), force('b'), force('c'), force('d'), force('e'), force('f', { outcome: 'attended', attendees: [attendee(1), attendee(2), attendee(13)], source: 'import', forceConfirmation: 'not-needed' })], { outcome: 'held', notHeldReason: null, agencies: {}, source: 'import' }));
    expect(cardProblems(card)).toEqual([]);
    expect(cardBytes(card)).toBeLessThan(28 * 1024);
    const inputs = cardInputs(card);
    expect(inputs.has('person_a_2')).toBe(false);
    expect(answeredInputs(card)).toMatchObject({ held: 'held', outcome_f: 'attended', person_f_1: person(1).aadObjectId, person_f_3: person(13).aadObjectId, decision_f_3: 'no' });
    // A recorded attendee the trimmed picker would not offer is still among its choices.
    expect(JSON.stringify(card)).toContain(`"title":"Detective Inspector Person 13","value":"${person(13).aadObjectId}"`);
    expect(JSON.stringify(card)).toContain('Imported.');
  });
});
