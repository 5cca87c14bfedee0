import { describe, expect, it } from 'vitest';
import { answeredInputs, cardInputs } from '../test/support/card-inputs.js';
import { cardBytes, cardProblems } from '../test/support/validate-card.js';
import { md } from './format.js';
import type { Attendee } from '../scheduler/domain/types.js';
import { attendanceCard, type AttendanceForceView, type AttendanceView } from './attendance-card.js';

const person = (i: number) => ({ aadObjectId: `6b0d549b-6f03-475a-9600-a35a0999${String(5000 + i).padStart(4, '0')}`, name: `Detective Inspector Person ${i}` });
const attendee = (i: number) => ({ ...person(i), tenantId: null, roleCategory: 'prevent-officer' as const, role: 'DS', unit: 'local' as const, mode: 'online' as const, decisionMaker: 'no' as const, substitute: true });
const recordOf = (attendees: Attendee[]): AttendanceForceView['recorded'] => ({ outcome: 'attended', attendees, source: 'import', forceConfirmation: 'not-needed' });
const nameOnly = (name: string): Attendee => ({ ...attendee(0), aadObjectId: null, name, roleCategory: 'regional-ctu-officer', role: 'DC', unit: 'regional', decisionMaker: 'unknown' });
const slotsOf = (card: Record<string, unknown>, forceId: string) => [...cardInputs(card).keys()].filter((k) => k.startsWith(`person_${forceId}_`)).length;
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

  it('gives a force a slot for each recorded attendee with a Teams account, however few the layout offers, up to the nine a card may send back', () => {
    const held = { outcome: 'held' as const, notHeldReason: null, agencies: {}, source: 'import' as const };
    const counts = (n: number) => slotsOf(attendanceCard(view([force('x', n ? recordOf(Array.from({ length: n }, (_, i) => attendee(i + 1))) : null)], held)), 'x');
    expect([0, 1, 3, 4, 5, 9, 11].map(counts)).toEqual([3, 3, 3, 4, 5, 9, 9]);
    const card = attendanceCard(view([force('x', recordOf(Array.from({ length: 11 }, (_, i) => attendee(i + 1))))], held));
    expect(cardProblems(card)).toEqual([]);
    expect(cardBytes(card)).toBeLessThan(28 * 1024);
    expect(answeredInputs(card)).toMatchObject({ person_x_9: person(9).aadObjectId });
    expect(JSON.stringify(card)).toContain('"id":"slot_x_9","isVisible":true');
    // The two past the ninth slot are kept as fixed lines.
    expect(JSON.stringify(card)).toContain('Detective Inspector Person 11 (no room on this card to change them): Prevent officer, DS, local force, online; decision maker: no');
  });

  it('shows a name-only attendee of an import as a kept line, not a slot, and says a correction keeps them', () => {
    const card = attendanceCard(view([force('x', recordOf([attendee(1), nameOnly('Sam Cole'), attendee(2)]))]));
    expect(cardProblems(card)).toEqual([]);
    expect(slotsOf(card, 'x')).toBe(3);
    expect(answeredInputs(card)).toMatchObject({ person_x_1: person(1).aadObjectId, person_x_2: person(2).aadObjectId, category_x_2: 'prevent-officer' });
    expect(answeredInputs(card)).not.toHaveProperty('person_x_3');
    const json = JSON.stringify(card);
    expect(json).toContain("Sam Cole (imported, no Teams account): regional counter terrorism unit officer, DC, regional unit, online; decision maker: don't know");
    expect(json).toContain('They are kept as they are while the police are recorded as attended; recording apologies or an absence removes them. Someone without a Teams account can be changed only by a new import.');
    expect(json).toContain('"label":"Who else attended"');
    // A name is Markdown-escaped on its line.
    expect(JSON.stringify(attendanceCard(view([force('x', recordOf([nameOnly('Sam *Cole*')]))])))).toContain('Sam \\\\*Cole\\\\* (imported');
  });

  it('says a name-only attendee recorded before every question was asked is replaced by a correction (the rules could not keep them as they are)', () => {
    const legacy: Attendee = { aadObjectId: null, tenantId: null, name: 'Pat Old', roleCategory: null, role: '', unit: null, mode: null, decisionMaker: 'yes', substitute: true };
    const card = attendanceCard(view([force('x', recordOf([legacy]))]));
    expect(cardProblems(card)).toEqual([]);
    expect(JSON.stringify(card)).toContain('On record: Pat Old, who has no Teams account, without every answer. A correction replaces them with whoever you pick below.');
    expect(JSON.stringify(card)).not.toContain('Also on record');
  });

  it('fits a large record beside other forces under Teams\' limit: past what fits, its attendees are kept lines and the card\'s data says how many were in slots', () => {
    const big = recordOf(Array.from({ length: 9 }, (_, i) => attendee(i + 20)));
    const card = attendanceCard(view([force('a'), force('b'), force('c'), force('d', big)], { outcome: 'held', notHeldReason: null, agencies: {}, source: 'import' }), 'Nothing was recorded: a refusal line.');
    expect(cardProblems(card)).toEqual([]);
    expect(cardBytes(card)).toBeLessThan(28 * 1024);
    const inSlots = slotsOf(card, 'd');
    expect(inSlots).toBeGreaterThanOrEqual(2);
    expect(inSlots).toBeLessThan(9);
    expect(JSON.stringify(card)).toContain(`"data":{"meetingId":"m.2027-03-29","cardVersion":"1.0","inSlots":{"d":${inSlots}}}`);
    expect(JSON.stringify(card).match(/no room on this card to change them/g)).toHaveLength(9 - inSlots);
    // Alone, the same record has a slot each, and the card says nothing of slots.
    const alone = attendanceCard(view([force('d', big)]));
    expect(slotsOf(alone, 'd')).toBe(9);
    expect(JSON.stringify(alone)).not.toContain('inSlots');
  });
});
