import { describe, expect, it } from 'vitest';
import { backoffMs, Pacer, PACING_MARGIN_MS, SendError, TENANT_LIMITS, TENANT_SMOOTHING } from './messenger.js';

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

describe("sharing a tenant's limits with other instances", () => {
  it('divides each count by the senders, rounded down and never below 1, smoothing included', () => {
    const p = new Pacer([{ count: 50, ms: 1000 }], 0, { count: 8, ms: 168 });
    p.share(2);
    // 4 (8 / 2) may leave in any 168 ms: the 5th waits for the 1st's 168 ms to pass.
    for (let i = 0; i < 4; i++) {
      expect(p.delay('t', i)).toBe(0);
      p.record('t', i);
    }
    expect(p.delay('t', 4)).toBe(168 - 4);
    // 25 (50 / 2) in a second, then a wait for the window.
    const q = new Pacer([{ count: 50, ms: 1000 }]);
    q.share(2);
    for (let i = 0; i < 25; i++) q.record('t', i * 10);
    expect(q.delay('t', 250)).toBe(1000 - 250);
    q.share(1);
    expect(q.delay('t', 250)).toBe(0);
    // Three senders: the smoothing's rate a third, 2 in 126 ms (not 2 in 168); the count 16 (50 / 3 rounded down).
    const three = new Pacer([{ count: 50, ms: 1000 }], 0, { count: 8, ms: 168 });
    three.share(3);
    three.record('t', 0);
    three.record('t', 1);
    expect(three.delay('t', 2)).toBe(126 - 2);
    const sixteen = new Pacer([{ count: 50, ms: 1000 }]);
    sixteen.share(3);
    for (let i = 0; i < 15; i++) sixteen.record('t', i * 10);
    expect(sixteen.delay('t', 150)).toBe(0);
    sixteen.record('t', 150);
    expect(sixteen.delay('t', 160)).toBe(1000 - 160);
    const one = new Pacer([{ count: 3, ms: 1000 }]);
    one.share(7);
    expect(one.delay('t', 0)).toBe(0);
    one.record('t', 0);
    expect(one.delay('t', 1)).toBe(999);
    one.share(0);
    expect(one.delay('t', 1)).toBe(0);
    // A count that is no number never turns pacing off: the last share (1, here) stands.
    one.share(Number.NaN);
    one.record('t', 2);
    one.record('t', 3);
    expect(one.delay('t', 4)).toBe(996);
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

describe('counting from the estimated arrival', () => {
  it('counts a send from when it left while in flight, and after an answer as quick as any seen', () => {
    const p = new Pacer([{ count: 1, ms: 1000 }]);
    const answered = p.record('c', 0);
    expect(p.delay('c', 100)).toBe(900);
    answered(150);
    expect(p.delay('c', 100)).toBe(900);
  });

  it('moves a send later by how much slower its round trip was than the quickest', () => {
    const p = new Pacer([{ count: 1, ms: 1000 }]);
    p.record('other', 0)(150);
    p.record('c', 1000)(1400);
    // 250 ms slower than the quickest: taken as time on the way there, so it counts from 1250.
    expect(p.delay('c', 1500)).toBe(750);
  });

  it('keeps a send in flight longer than the longest window, and counts it from its arrival once answered', () => {
    const p = new Pacer([{ count: 1, ms: 1000 }]);
    p.record('other', 0)(100);
    const slow = p.record('c', 0);
    // 1.5 s later it is still unanswered; another send to the key is recorded (and would prune what the window no longer needs).
    p.record('c', 1500)(1600);
    slow(1900);
    // The slow one came back after 1,900 ms, 1,800 ms slower than the quickest: taken to have arrived at 1,800.
    expect(p.delay('c', 2000)).toBe(800);
  });

  it('moves earlier sends later when a quicker round trip is seen afterwards', () => {
    const p = new Pacer([{ count: 1, ms: 1000 }]);
    p.record('c', 0)(300);
    expect(p.delay('c', 500)).toBe(500);
    p.record('other', 600)(700);
    expect(p.delay('c', 500)).toBe(700);
  });
});

describe('learning the quickest round trip', () => {
  it('learns nothing from a failure that came back at once', () => {
    const p = new Pacer([{ count: 1, ms: 1000 }]);
    p.record('c', 0)(300);
    p.record('other', 600)(601, false);
    expect(p.delay('c', 500)).toBe(500);
  });
});

describe('smoothing a tenant\'s sends', () => {
  it('allows at most `count` sends, by when they left, in any `ms`, with no margin', () => {
    const p = new Pacer([{ count: 50, ms: 1000 }], 50, { count: 2, ms: 40 });
    p.record('t', 0);
    p.record('t', 0);
    expect(p.delay('t', 10)).toBe(30);
    expect(p.delay('t', 40)).toBe(0);
  });

  it('keeps the tenant at its ceiling of 50 in each widened second, 8 at a time', () => {
    const p = new Pacer(TENANT_LIMITS, PACING_MARGIN_MS, TENANT_SMOOTHING);
    const sent: number[] = [];
    for (let t = 0; t < 10 * (1000 + PACING_MARGIN_MS); ) {
      const wait = p.delay('t', t);
      if (wait > 0) t += wait;
      else {
        p.record('t', t)(t);
        sent.push(t);
      }
    }
    expect(sent).toHaveLength(500);
    for (let i = TENANT_SMOOTHING.count; i < sent.length; i++) expect(sent[i]! - sent[i - TENANT_SMOOTHING.count]!).toBeGreaterThanOrEqual(TENANT_SMOOTHING.ms - 1e-9);
  });
});
