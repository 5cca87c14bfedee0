import { describe, expect, it } from 'vitest';
import { checkAnswers, decisionMakerPresent, needsForceConfirmation, nextConfirmation, toAttendees, type AttendeeAnswer, type MeetingAnswers } from './attendance-rules.js';
import type { Attendance, Attendee } from './types.js';

const FORCES = [{ id: 'cambs', name: 'Cambridgeshire Constabulary' }, { id: 'btp', name: 'British Transport Police' }];
const ANN = { aadObjectId: 'ann', name: 'Ann Lee' };
const BOB = { aadObjectId: 'bob', name: 'Bob Roe' };
const full = (person = ANN, extra: Partial<AttendeeAnswer> = {}): AttendeeAnswer => ({ person, roleCategory: 'prevent-officer', role: 'DS', unit: 'local', mode: 'online', decisionMaker: 'yes', ...extra });
const held = (cambs: MeetingAnswers['forces'][number] | null, btp: MeetingAnswers['forces'][number] | null = { forceId: 'btp', outcome: 'apologies', attendees: [] }): MeetingAnswers => ({
  outcome: 'held', agencies: {}, forces: [cambs, btp].filter((f): f is MeetingAnswers['forces'][number] => !!f),
});
const message = (a: MeetingAnswers) => {
  const r = checkAnswers(a, FORCES);
  return r.ok ? 'ok' : r.error.message;
};

describe('checkAnswers: nothing is assumed', () => {
  it.each([
    ['no answer about the meeting', { outcome: undefined, agencies: {}, forces: [] }, /say whether the meeting was held or did not take place/],
    ['not held without a reason', { outcome: 'not-held', agencies: {}, forces: [] }, /say why the meeting did not take place/],
    ['a force with no outcome', held(null), /Cambridgeshire Constabulary: say whether the police attended, sent apologies or were absent without apologies/],
    ['attended but nobody named', held({ forceId: 'cambs', outcome: 'attended', attendees: [] }), /Cambridgeshire Constabulary: say who attended/],
    ['absent with attendees', held({ forceId: 'cambs', outcome: 'absent', attendees: [full()] }), /you named attendees but said the police did not attend/],
    ['an attendee twice', held({ forceId: 'cambs', outcome: 'attended', attendees: [full(), full()] }), /name each attendee once/],
    ['no decision-maker answer', held({ forceId: 'cambs', outcome: 'attended', attendees: [full(ANN, { decisionMaker: undefined })] }), /Ann Lee: answer decision maker \(yes, no or don't know\)/],
    ['no unit, mode or category', held({ forceId: 'cambs', outcome: 'attended', attendees: [full(ANN, { unit: undefined, mode: undefined, roleCategory: undefined, role: '' })] }), /Ann Lee: answer role category, rank or role, local force or regional unit, in person or online/],
    ['an agency count out of range', { ...held({ forceId: 'cambs', outcome: 'absent', attendees: [] }), agencies: { health: -1 } }, /whole numbers from 0 to 99/],
  ] as Array<[string, MeetingAnswers, RegExp]>)('refuses %s, saying what is missing', (_name, answers, expected) => {
    const text = message(answers);
    expect(text).toMatch(/^Nothing was recorded\. Still to answer: /);
    expect(text).toMatch(expected);
  });

  it('lists every missing answer at once', () => {
    const text = message({ outcome: 'held', agencies: {}, forces: [] });
    expect(text).toContain('Cambridgeshire Constabulary: say whether');
    expect(text).toContain('British Transport Police: say whether');
  });

  it('refuses a force that is not asked to the meeting', () => {
    const r = checkAnswers(held({ forceId: 'cambs', outcome: 'absent', attendees: [] }, { forceId: 'kent', outcome: 'absent', attendees: [] }), FORCES);
    expect(r.ok ? null : r.error.code).toBe('NOT_FOUND');
  });

  it.each([
    ['attended with two people', held({ forceId: 'cambs', outcome: 'attended', attendees: [full(ANN), full(BOB, { decisionMaker: 'unknown', unit: 'regional', roleCategory: 'regional-ctu-officer' })] })],
    ['apologies', held({ forceId: 'cambs', outcome: 'apologies', attendees: [] })],
    ['absent without apologies', held({ forceId: 'cambs', outcome: 'absent', attendees: [] })],
    ['not held with a reason and agencies', { outcome: 'not-held', notHeldReason: 'not quorate', agencies: { 'local-authority': 1, health: 0 }, forces: [] }],
  ] as Array<[string, MeetingAnswers]>)('accepts %s', (_name, answers) => {
    expect(message(answers)).toBe('ok');
  });
});

const attendee = (who: string, extra: Partial<Attendee> = {}): Attendee => ({
  aadObjectId: who, tenantId: null, name: who, roleCategory: 'prevent-officer', role: 'DS', unit: 'local', mode: 'in-person', decisionMaker: 'yes', substitute: false, ...extra,
});
const record = (extra: Partial<Attendance>): Attendance => ({
  meetingId: 'm', forceId: 'cambs', outcome: 'attended', attendees: [attendee('ann')], source: 'chair', forceConfirmation: 'not-needed', confirmedBy: null, confirmedAt: null,
  recordedBy: 'chair', recordedAt: '2027-01-01T00:00:00.000Z', version: 1, ...extra,
});

describe('substitutes, provenance and the decision maker', () => {
  it('marks anyone but the nominee a substitute, and everyone when nobody was named', () => {
    expect(toAttendees([full(ANN) as Required<AttendeeAnswer>, full(BOB) as Required<AttendeeAnswer>], { aadObjectId: 'ann' }).map((a) => a.substitute)).toEqual([false, true]);
    expect(toAttendees([full(ANN) as Required<AttendeeAnswer>], null).map((a) => a.substitute)).toEqual([true]);
  });

  it.each([
    ['the confirmed nominee alone', [attendee('ann')], { aadObjectId: 'ann', decisionMaker: true }, false],
    ['the nominee the force did not confirm, answered yes by the chair', [attendee('ann')], { aadObjectId: 'ann', decisionMaker: false }, true],
    ['the unconfirmed nominee answered no', [attendee('ann', { decisionMaker: 'no' })], { aadObjectId: 'ann', decisionMaker: false }, false],
    ['a substitute', [attendee('bob', { substitute: true, decisionMaker: 'no' })], { aadObjectId: 'ann', decisionMaker: true }, true],
    ['someone when nobody was named', [attendee('bob', { substitute: true })], null, true],
  ] as const)('needs the force to confirm: %s', (_name, people, nominee, expected) => {
    expect(needsForceConfirmation(people, nominee)).toBe(expected);
  });

  it('keeps the force’s answer while its people are unchanged, and asks again when they change', () => {
    const confirmed = record({ forceConfirmation: 'confirmed', confirmedBy: 'lead', confirmedAt: 't' });
    expect(nextConfirmation(confirmed, [attendee('ann')], true)).toEqual({ state: 'confirmed', by: 'lead', at: 't' });
    expect(nextConfirmation(confirmed, [attendee('ann', { decisionMaker: 'no' })], true).state).toBe('pending');
    expect(nextConfirmation(confirmed, [attendee('ann')], false).state).toBe('not-needed');
    expect(nextConfirmation(null, [attendee('ann')], true).state).toBe('pending');
  });

  it.each([
    ['an attendee answered yes', record({}), true],
    ['only "don\'t know"', record({ attendees: [attendee('ann', { decisionMaker: 'unknown' })] }), false],
    ['only "no"', record({ attendees: [attendee('ann', { decisionMaker: 'no' })] }), false],
    ['yes, awaiting the force', record({ forceConfirmation: 'pending' }), true],
    ['yes, but the force disputed it', record({ forceConfirmation: 'disputed' }), false],
    ['apologies', record({ outcome: 'apologies', attendees: [] }), false],
    ['imported yes', record({ source: 'import' }), true],
  ] as const)('decision maker present: %s', (_name, r, expected) => {
    expect(decisionMakerPresent(r)).toBe(expected);
  });
});
