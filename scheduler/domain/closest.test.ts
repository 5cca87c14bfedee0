import { describe, expect, it } from 'vitest';
import { closest, editDistance, offerList, plausible } from './closest.js';

const FORCES = [
  { id: 'cambs', name: 'Cambridgeshire Constabulary' },
  { id: 'cumbria', name: 'Cumbria Constabulary' },
  { id: 'devon-cornwall', name: 'Devon and Cornwall Police' },
  { id: 'hampshire', name: 'Hampshire and Isle of Wight Constabulary' },
  { id: 'leics', name: 'Leicestershire Police' },
  { id: 'notts', name: 'Nottinghamshire Police' },
];
const ids = FORCES.map((f) => f.id);
const byNameToo = (f: (typeof FORCES)[number]) => [f.id, f.name, f.name.split(' ')[0]!];

describe('closest', () => {
  it('counts a swap of two neighbouring letters as one slip', () => {
    expect(editDistance('cmabs', 'cambs')).toBe(1);
    expect(editDistance('cambs', 'cambs')).toBe(0);
    expect(editDistance('', 'leics')).toBe(5);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it.each([
    ['cambz', 'cambs'],
    ['cmabs', 'cambs'],
    ['CAMBS', 'cambs'],
    ['hamshire', 'hampshire'],
    ['lei', 'leics'],
    ['devon', 'devon-cornwall'],
    ['nots', 'notts'],
  ])('puts the id %s most likely meant first: %s', (typed, meant) => {
    expect(closest(typed, ids)[0]).toBe(meant);
  });

  it('matches names as well as ids, when told to', () => {
    expect(closest('cambridgeshire', FORCES, byNameToo)[0]!.id).toBe('cambs');
    expect(closest('leicester', FORCES, byNameToo)[0]!.id).toBe('leics');
    expect(closest('Nottinghamshire', FORCES, byNameToo)[0]!.id).toBe('notts');
  });

  it('keeps every candidate, the implausible ones in the order given', () => {
    expect(closest('cambz', ids)).toEqual(['cambs', 'cumbria', 'devon-cornwall', 'hampshire', 'leics', 'notts']);
    expect(closest('', ids)).toEqual(ids);
    expect(closest('x', [])).toEqual([]);
  });

  it('keeps only the plausible slips when asked, for a "did you mean"', () => {
    expect(plausible('nots', ids)).toEqual(['notts']);
    expect(plausible('cumbira', ids)).toEqual(['cumbria']);
    expect(plausible('atlantis', ids)).toEqual([]);
  });

  it('orders a word near none of them exactly as a made-up one, so the order tells nothing about what was typed', () => {
    for (const typed of ['southampton', 'peterborough-rutland', 'atlantis', 'nosuch']) expect(closest(typed, ids)).toEqual(ids);
  });
});

describe('offerList', () => {
  it('names each by name with the command that names it, nearest first, then alphabetically', () => {
    expect(offerList('cambz', FORCES.slice(0, 3), 'link force')).toBe(
      'Cambridgeshire Constabulary (`link force cambs`), Cumbria Constabulary (`link force cumbria`), Devon and Cornwall Police (`link force devon-cornwall`)',
    );
    expect(offerList('leicester', FORCES, 'review', 2)).toBe('Leicestershire Police (`review leics`), Cambridgeshire Constabulary (`review cambs`), and 4 more');
  });

  it('shows a name as text, never as Markdown', () => {
    expect(offerList('x', [{ id: 'x', name: '[Click](https://evil.example) *now*' }], 'review')).toBe(`${String.raw`\[Click\]\(https\://evil\.example\) \*now\*`} (\`review x\`)`);
  });

  it('is empty when there is nothing to offer', () => {
    expect(offerList('cambs', [], 'review')).toBe('');
  });
});
