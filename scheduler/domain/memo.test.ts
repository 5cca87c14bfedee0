import { describe, expect, it } from 'vitest';
import { memo } from './memo.js';

describe('memo', () => {
  it('computes each key once, and starts afresh once it holds its maximum', () => {
    const calls: string[] = [];
    const upper = memo((k) => (calls.push(k), k.toUpperCase()), 2);
    expect([upper('a'), upper('a'), upper('b'), upper('a')]).toEqual(['A', 'A', 'B', 'A']);
    expect(calls).toEqual(['a', 'b']);
    upper('c'); // the third key clears the two held
    upper('a');
    expect(calls).toEqual(['a', 'b', 'c', 'a']);
  });
});
