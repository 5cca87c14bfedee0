import { describe, expect, it } from 'vitest';
import { STORE_KINDS, useFreshStore } from './support/stores.js';

// The instances sending from the outbox (migration 016): each says so, and counts those seen in the window.
const T0 = Date.parse('2027-03-01T08:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const WINDOW = 5_000;

describe.each(STORE_KINDS)('counting the instances sending on %s', (kind) => {
  const t = useFreshStore(kind);
  const senders = (id: string, at: number) => t.store.outbox.senders(id, iso(T0 + at), iso(T0 + at - WINDOW));

  it('counts itself and every other instance seen in the window, and forgets those seen before it', async () => {
    expect(await senders('a', 0)).toBe(1);
    expect(await senders('b', 1_000)).toBe(2);
    // Saying so again moves its own time on, never counting itself twice.
    expect(await senders('a', 2_000)).toBe(2);
    expect(await senders('c', 3_000)).toBe(3);
    // b was last seen at 1 s: at 6.5 s it is outside the 5 s window, and its row goes.
    expect(await senders('a', 6_500)).toBe(2);
    // Counting with a window reaching back to before everything: only a, c and the asker remain.
    expect(await t.store.outbox.senders('probe', iso(T0 + 6_500), iso(T0 - 1e9))).toBe(3);
    // An instance whose own clock runs far behind still counts itself, and the others ahead of it (never none).
    expect(await senders('z', -60_000)).toBe(4);
  });
});
