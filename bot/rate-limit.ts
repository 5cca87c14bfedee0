import type { TurnContext } from 'botbuilder';
import type { Log } from '../scheduler/log.js';

/** A token bucket: `burst` tokens at most, refilled at `perMinute`. */
export interface BucketLimits {
  burst: number;
  perMinute: number;
}

/** Typed commands: a person types far slower than this; a script or a stuck client does not. */
export const COMMAND_LIMITS: BucketLimits = { burst: 10, perMinute: 20 };
/** Card actions: Teams sends a refresh invoke for every card with a refresh each time a person views it, so allow many more. */
export const ACTION_LIMITS: BucketLimits = { burst: 60, perMinute: 120 };

export type Verdict = 'ok' | 'refused-first' | 'refused';

interface Bucket {
  tokens: number;
  at: number;
  /** Set once the person has been told, so a flood gets one polite message and then silence. */
  told: boolean;
}

/** Beyond this many keys a full bucket is forgotten: it behaves exactly like a new one. */
const MAX_TRACKED = 10_000;

/**
 * One token bucket per key (a person, a calendar link), the least recently used forgotten first once `maxKeys` are
 * held; `clock` is ms since the epoch, injected so tests control refills.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limits: BucketLimits,
    private readonly clock: () => number = Date.now,
    private readonly maxKeys = MAX_TRACKED,
  ) {}

  /** Takes one token for `key`; the first refusal after a spell of being allowed says so, so the caller tells the person once. */
  take(key: string): Verdict {
    const now = this.clock();
    const b = this.refill(this.buckets.get(key), now);
    // Re-inserted, so the map runs from least to most recently used.
    this.buckets.delete(key);
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      b.told = false;
      return 'ok';
    }
    if (b.told) return 'refused';
    b.told = true;
    return 'refused-first';
  }

  /** Whole seconds until `key` may act again (0 when it may now). */
  waitSeconds(key: string): number {
    const b = this.refill(this.buckets.get(key), this.clock());
    return b.tokens >= 1 ? 0 : Math.ceil(((1 - b.tokens) * 60) / this.limits.perMinute);
  }

  private refill(b: Bucket | undefined, now: number): Bucket {
    if (!b) {
      // Full of keys (a flood of new ones): drop the least recently used, in O(1), rather than grow without bound or
      // scan every bucket on each new key. The map runs from least to most recently used (see take).
      if (this.buckets.size >= this.maxKeys) this.buckets.delete(this.buckets.keys().next().value as string);
      return { tokens: this.limits.burst, at: now, told: false };
    }
    // A clock that steps back (NTP) must not mint tokens or wedge the bucket: count no time at all. (No time also
    // adds nothing to an unlimited bucket, where 0 × Infinity would be NaN.)
    const elapsed = Math.max(0, now - b.at);
    const tokens = elapsed > 0 ? Math.min(this.limits.burst, b.tokens + (elapsed * this.limits.perMinute) / 60_000) : b.tokens;
    return { tokens, at: Math.max(b.at, now), told: b.told };
  }
}

export interface RateLimitOptions {
  commands?: BucketLimits;
  actions?: BucketLimits;
  /** Real time by default: limits are about how fast requests arrive, not the scheduler's (test-frozen) clock. */
  clock?: () => number;
}

const INVOKE_MESSAGE = 'application/vnd.microsoft.activity.message';

/**
 * The beforeTurn gate. Messages (commands) get one polite reply when a person is first limited, then silence.
 * Card actions are invokes, which Teams must always get an answer to: a limited one is answered with a short message
 * (HTTP 200) instead of running its handler, so the card stays as it was and nothing is written.
 */
export function rateLimitGate(options: RateLimitOptions, log: Log): (ctx: TurnContext) => Promise<boolean> {
  const commands = new RateLimiter(options.commands ?? COMMAND_LIMITS, options.clock);
  const actions = new RateLimiter(options.actions ?? ACTION_LIMITS, options.clock);
  return async (ctx) => {
    const a = ctx.activity;
    const limiter = a.type === 'message' ? commands : a.type === 'invoke' ? actions : null;
    const who = a.from?.aadObjectId?.toLowerCase() || a.from?.id;
    if (!limiter || !who) return true;
    const verdict = limiter.take(who);
    if (verdict === 'ok') return true;
    const text = `You're going faster than I can keep up with. Please wait about ${limiter.waitSeconds(who)} seconds and try again.`;
    if (verdict === 'refused-first') log.warn({ who, type: a.type }, 'rate limit reached; further requests refused until the bucket refills');
    if (a.type === 'invoke') {
      await ctx.sendActivity({ type: 'invokeResponse', value: { status: 200, body: { statusCode: 200, type: INVOKE_MESSAGE, value: text } } });
    } else if (verdict === 'refused-first') {
      await ctx.sendActivity(text);
    }
    return false;
  };
}
