import { describe, expect, it } from 'vitest';
import { keepAnswers } from './draft.js';
import { card } from './format.js';

const form = card([
  { type: 'Input.ChoiceSet', id: 'held', choices: [{ title: 'It was held', value: 'held' }, { title: 'It did not', value: 'not-held' }] },
  { type: 'Input.ChoiceSet', id: 'person_f_1', style: 'filtered', choices: [{ title: 'Tom', value: 'aad-tom' }] },
  { type: 'Input.Text', id: 'role_f_1', maxLength: 10 },
  { type: 'Input.Number', id: 'agency_health', min: 0 },
  { type: 'Container', items: [{ type: 'Input.Text', id: 'note' }] },
  { type: 'ActionSet', actions: [{ type: 'Action.Execute', verb: 'record', data: { held: 'kept as it is' } }] },
]);

const body = (c: Record<string, unknown>) => c.body as Array<Record<string, unknown>>;

describe('keepAnswers: a refused form keeps what was answered', () => {
  it('puts each submitted answer back into the input of the same id', () => {
    const kept = body(keepAnswers(form, { held: 'held', person_f_1: 'aad-tom', role_f_1: 'DI', agency_health: '2', note: 'room moved' }));
    expect(kept.map((e) => e.value)).toEqual(['held', 'aad-tom', 'DI', 2, undefined, undefined]);
    expect((kept[4]!.items as Array<Record<string, unknown>>)[0]!.value).toBe('room moved');
  });

  it('leaves out what the card could not show as it was given: an unoffered choice, an over-long text, a non-number', () => {
    const kept = body(keepAnswers(form, { held: 'maybe', person_f_1: 'user-id-2', role_f_1: 'Detective Chief Inspector', agency_health: 'two' }));
    expect(kept.slice(0, 4).map((e) => e.value)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('changes nothing but values: button data, choices and an unanswered card stay as built', () => {
    const kept = keepAnswers(form, { held: 'held' });
    expect(body(kept)[5]).toEqual(body(form)[5]);
    expect(keepAnswers(form, null)).toEqual(form);
    expect(keepAnswers(form, {})).toEqual(form);
  });
});
