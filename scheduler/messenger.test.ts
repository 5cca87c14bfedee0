import { describe, expect, it } from 'vitest';
import { backoffMs, Pacer, SendError } from './messenger.js';

describe('pacing sends under Teams limits', () => {
  it('lets 7 through in a second, then waits for the window', () => {
    const p = new Pacer();
    for (let i = 0; i < 7; i++) {
      expect(p.delay('c', 1000 + i)).toBe(0);
      p.record('c', 1000 + i);
    }
    expect(p.delay('c', 1010)).toBe(990);
    expect(p.delay('other', 1010)).toBe(0);
  });

  it('holds to 8 in two seconds and 60 in thirty', () => {
    const p = new Pacer();
    for (let i = 0; i < 8; i++) p.record('c', i * 150);
    expect(p.delay('c', 1200)).toBe(2000 - 1200);
    const q = new Pacer();
    for (let i = 0; i < 60; i++) q.record('c', i * 300);
    expect(q.delay('c', 18_000)).toBe(30_000 - 18_000);
  });
});

describe('retrying', () => {
  it('backs off exponentially, bounded, and honours a longer Retry-After', () => {
    expect(backoffMs(0, null, 1)).toBe(1000);
    expect(backoffMs(3, null, 0)).toBe(4000);
    expect(backoffMs(20, null, 1)).toBe(300_000);
    expect(backoffMs(0, 7000, 1)).toBe(7000);
  });

  it('retries 429, 412, 5xx and network errors, not 403 or 404', () => {
    expect([429, 412, 500, 503, null].map((s) => new SendError('x', s, null).retryable)).toEqual([true, true, true, true, true]);
    expect([403, 404, 400].map((s) => new SendError('x', s, null).retryable)).toEqual([false, false, false]);
  });
});

describe('the pacing margin', () => {
  it('widens every window by the margin', () => {
    const p = new Pacer([{ count: 2, ms: 1000 }], 50);
    p.record('c', 0);
    p.record('c', 10);
    expect(p.delay('c', 500)).toBe(550);
    expect(p.delay('c', 1049)).toBe(1);
    expect(p.delay('c', 1050)).toBe(0);
  });
});

describe('counting from the answer', () => {
  it('moves a send to when its answer came back, so a slow answer holds the window open longer', () => {
    const p = new Pacer([{ count: 2, ms: 1000 }]);
    p.record('c', 0);
    const answered = p.record('c', 10);
    expect(p.delay('c', 500)).toBe(500);
    answered(300);
    expect(p.delay('c', 500)).toBe(500);
    expect(p.delay('c', 1000)).toBe(0);
    const q = new Pacer([{ count: 2, ms: 1000 }]);
    const first = q.record('c', 0);
    q.record('c', 10);
    first(400);
    expect(q.delay('c', 500)).toBe(510);
    expect(q.delay('c', 1005)).toBe(5);
  });
});
