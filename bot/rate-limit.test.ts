import { TestAdapter, type Activity, type TurnContext } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { silentLog } from '../scheduler/log.js';
import { RateLimiter, rateLimitGate, type Verdict } from './rate-limit.js';

const T0 = Date.parse('2027-04-01T08:00:00.000Z');

describe('the per-person token bucket', () => {
  it('allows a burst, refuses the next once with a notice and then silently, and refills at the rate', () => {
    let t = T0;
    const limiter = new RateLimiter({ burst: 3, perMinute: 6 }, () => t);
    const takes = (n: number) => Array.from({ length: n }, () => limiter.take('gareth'));
    expect(takes(6)).toEqual<Verdict[]>(['ok', 'ok', 'ok', 'refused-first', 'refused', 'refused']);
    expect(limiter.waitSeconds('gareth')).toBe(10);
    t += 9_999;
    expect(limiter.take('gareth')).toBe('refused');
    t += 1;
    expect(limiter.take('gareth')).toBe('ok');
    // Allowed again, so the next flood is told again.
    expect(takes(2)).toEqual<Verdict[]>(['refused-first', 'refused']);
  });

  it('keeps each person’s bucket apart', () => {
    const limiter = new RateLimiter({ burst: 1, perMinute: 1 }, () => T0);
    expect([limiter.take('a'), limiter.take('b'), limiter.take('a')]).toEqual<Verdict[]>(['ok', 'ok', 'refused-first']);
  });

  it('never holds more than the burst, however long the wait', () => {
    let t = T0;
    const limiter = new RateLimiter({ burst: 2, perMinute: 60 }, () => t);
    limiter.take('a');
    t += 86_400_000;
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual<Verdict[]>(['ok', 'ok', 'refused-first']);
  });

  it('mints nothing when the clock steps backwards, and resumes from the latest time it saw', () => {
    let t = T0;
    const limiter = new RateLimiter({ burst: 1, perMinute: 1 }, () => t);
    limiter.take('a');
    t -= 3_600_000;
    expect(limiter.take('a')).toBe('refused-first');
    t = T0 + 59_999;
    expect(limiter.take('a')).toBe('refused');
    t = T0 + 60_000;
    expect(limiter.take('a')).toBe('ok');
  });

  it('holds at most `maxKeys` buckets, forgetting the least recently used', () => {
    const limiter = new RateLimiter({ burst: 1, perMinute: 1 }, () => T0, 2);
    expect([limiter.take('a'), limiter.take('b'), limiter.take('a')]).toEqual<Verdict[]>(['ok', 'ok', 'refused-first']);
    // A third key: b, used least recently, is forgotten; a, used since, is still refused.
    limiter.take('c');
    expect(limiter.take('a')).toBe('refused');
    expect(limiter.take('b')).toBe('ok');
  });

  it('refuses nothing when unlimited, however fast the takes come (the calendar bench runs so)', () => {
    const limiter = new RateLimiter({ burst: Infinity, perMinute: Infinity }, () => T0);
    expect(Array.from({ length: 5 }, () => limiter.take('a'))).toEqual<Verdict[]>(['ok', 'ok', 'ok', 'ok', 'ok']);
  });
});

describe('the beforeTurn gate', () => {
  const from = { id: '29:gareth', aadObjectId: '36F675CC-81E7-4EF5-A8E2-5D940ED90475', name: 'Gareth Owen' };
  /** Runs one activity through the gate; returns whether the turn went on, what was sent and the invoke answer. */
  async function turn(gate: (ctx: TurnContext) => Promise<boolean>, activity: Partial<Activity>) {
    const adapter = new TestAdapter();
    let passed = false;
    await adapter.processActivity({ from, ...activity }, async (ctx) => {
      passed = await gate(ctx);
    });
    // TestAdapter queues an invoke answer like any other activity; CloudAdapter would return it as the HTTP response.
    const queued = adapter.activeQueue;
    return { passed, sent: queued.filter((a) => a.type === 'message').map((a) => a.text), invoke: queued.find((a) => a.type === 'invokeResponse')?.value };
  }

  it('tells a person once that their commands are refused, then stays silent until the bucket refills', async () => {
    let t = T0;
    const gate = rateLimitGate({ commands: { burst: 2, perMinute: 2 }, clock: () => t }, silentLog);
    const msg = { type: 'message', text: 'panels' };
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await turn(gate, msg));
    expect(results.map((r) => r.passed)).toEqual([true, true, false, false]);
    expect(results.map((r) => r.sent)).toEqual([[], [], ["You're going faster than I can keep up with. Please wait about 30 seconds and try again."], []]);
    t += 30_000;
    expect((await turn(gate, msg)).passed).toBe(true);
  });

  it('answers every limited card action with a message instead of running it', async () => {
    const gate = rateLimitGate({ actions: { burst: 1, perMinute: 1 }, clock: () => T0 }, silentLog);
    const press = { type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb: 'nominate', data: {} } } };
    expect((await turn(gate, press)).passed).toBe(true);
    for (let i = 0; i < 2; i++) {
      const r = await turn(gate, press);
      expect(r.passed).toBe(false);
      expect(r.invoke).toEqual({ status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: expect.stringMatching(/going faster/) } });
    }
  });

  it('counts commands and card actions apart, per Entra object id whatever its case, and lets other activities through', async () => {
    const gate = rateLimitGate({ commands: { burst: 1, perMinute: 1 }, actions: { burst: 1, perMinute: 1 }, clock: () => T0 }, silentLog);
    expect((await turn(gate, { type: 'message', text: 'help' })).passed).toBe(true);
    expect((await turn(gate, { type: 'invoke', name: 'adaptiveCard/action' })).passed).toBe(true);
    expect((await turn(gate, { type: 'conversationUpdate' })).passed).toBe(true);
    expect((await turn(gate, { type: 'message', text: 'help', from: { ...from, aadObjectId: from.aadObjectId.toLowerCase() } })).passed).toBe(false);
  });
});
