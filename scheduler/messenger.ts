import type { Conversation } from './domain/types.js';

/** A message to post: text, an Adaptive Card, or both; mentions name people in the text as `<at>Name</at>`. */
export interface OutgoingMessage {
  text?: string;
  card?: Record<string, unknown>;
  mentions?: Array<{ aadObjectId: string; name: string }>;
}

/** The sending port: the shell implements it over the Bot Connector, tests over a fake. */
export interface Messenger {
  /** Posts a message; with `threadOf`, as a reply in that message's thread. Returns the new activity id. */
  send(conversation: Conversation, message: OutgoingMessage, threadOf?: string): Promise<string | null>;
  update(conversation: Conversation, activityId: string, message: OutgoingMessage): Promise<void>;
}

/** A failed send, classified: retryable ones (429, 412, 5xx, network) are tried again later. */
/**
 * The messenger itself could not be made ready (its SDK failed to load): no send left, so no try is counted and the
 * message waits in the outbox for the next attempt.
 */
export class MessengerUnavailable extends Error {
  constructor(cause: unknown) {
    super(`the Teams side could not be loaded: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'MessengerUnavailable';
  }
}

export class SendError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly retryAfterMs: number | null,
  ) {
    super(message);
    this.name = 'SendError';
  }

  get retryable(): boolean {
    return this.status === null || this.status === 429 || this.status === 412 || this.status >= 500;
  }
}

/** Teams' documented limits per bot per conversation: at most `count` sends in any `ms` window. */
export const CONVERSATION_LIMITS = [
  { count: 7, ms: 1_000 },
  { count: 8, ms: 2_000 },
  { count: 60, ms: 30_000 },
  { count: 1_800, ms: 3_600_000 },
];

/** Slack added to every window, so sends that arrive late do not tip the service's own count over. */
export const PACING_MARGIN_MS = 50;

/** Teams' limit per app per tenant, across all conversations. */
export const TENANT_LIMITS = [{ count: 50, ms: 1_000 }];

/**
 * A tenant's 50 a second go 8 at a time, not 50 at once: a burst of 50 requests queued on one event loop reached the
 * service up to a few hundred milliseconds after they left, unevenly, which the pacer cannot see until they are answered.
 */
export const TENANT_SMOOTHING = { count: 8, ms: (8 * (1_000 + PACING_MARGIN_MS)) / 50 };

/**
 * Paces sends per key (a conversation, a tenant) under Teams' limits: tells how long to wait before the next one may go.
 * The service counts a send when it arrives, somewhere between leaving and its answer. Counting from the answer is
 * safe but puts a whole round trip into every window, which capped a tenant at 50 per 1.2 s with a 150 ms connector;
 * counting from leaving is not safe when a busy event loop holds a request back. So a send counts from when it left,
 * plus however much longer its round trip took than the quickest one seen: the quickest is taken as the service's own
 * time and the way back, and any extra as time spent getting there. Until answered, a send counts from when it left.
 */
export class Pacer {
  private readonly sent = new Map<string, Send[]>();
  private readonly longest: number;
  /** The quickest round trip seen by this pacer, in ms. */
  private quickest = Infinity;
  /** How many senders share the limits (see `share`): each count is divided by it. */
  private senders = 1;

  /**
   * `marginMs` widens each window a little, for what the arrival estimate cannot see (the quickest send's own way there);
   * `smoothing`, when given, also allows at most `count` sends (by when they left) in any `ms`, with no margin.
   */
  constructor(
    private readonly limits = CONVERSATION_LIMITS,
    private readonly marginMs = 0,
    private readonly smoothing: { count: number; ms: number } | null = null,
  ) {
    this.longest = Math.max(...limits.map((l) => l.ms)) + marginMs;
  }

  /**
   * Shares the limits with `senders` senders in all (other instances sending to the same tenant): from now on each
   * count is divided by it, rounded down, never below 1. The windows stay as they are, so the history kept is the same;
   * the smoothing keeps its rate's share instead (its count divided, its window stretched to match: 2 in 126 ms for 3).
   */
  share(senders: number): void {
    // A count that is no number is ignored: the last share stands, as after a failed read.
    if (Number.isFinite(senders)) this.senders = Math.max(1, Math.floor(senders));
  }

  /** A limit's count, as this pacer's share of it. */
  private part(count: number): number {
    return Math.max(1, Math.floor(count / this.senders));
  }

  /** When a send is taken to have arrived: see the class comment. */
  private arrival(s: Send): number {
    return s.roundTrip === null ? s.left : s.left + s.roundTrip - Math.min(this.quickest, s.roundTrip);
  }

  /** Milliseconds to wait before sending to this key at `nowMs` (0: go now). */
  delay(key: string, nowMs: number): number {
    const sends = this.sent.get(key) ?? [];
    const times = sends.map((s) => this.arrival(s)).sort((a, b) => a - b);
    let wait = 0;
    if (this.smoothing) {
      // The smoothing's rate shared: its count divided (never below 1), its window stretched so the rate is 1/senders.
      const count = this.part(this.smoothing.count);
      const ms = (this.smoothing.ms * this.senders * count) / this.smoothing.count;
      if (sends.length >= count) wait = Math.max(0, sends[sends.length - count]!.left + ms - nowMs);
    }
    for (const { count: whole, ms } of this.limits) {
      const count = this.part(whole);
      const inWindow = times.filter((t) => t > nowMs - ms - this.marginMs);
      if (inWindow.length >= count) wait = Math.max(wait, inWindow[inWindow.length - count]! + ms + this.marginMs - nowMs);
    }
    return wait;
  }

  /**
   * Records a send leaving at `nowMs`; call what it returns with the time its answer came back, and whether the service
   * took it (a failure that came back at once, a refused connection, says nothing of the service's own time). Keeps only
   * what the longest window needs, and every send still unanswered.
   */
  record(key: string, nowMs: number): (answeredMs: number, taken?: boolean) => void {
    // A send not yet answered is kept however long ago it left: it still arrives, and counts, when it does.
    const times = (this.sent.get(key) ?? []).filter((s) => s.roundTrip === null || this.arrival(s) > nowMs - this.longest);
    const entry: Send = { left: nowMs, roundTrip: null };
    times.push(entry);
    this.sent.set(key, times);
    return (answeredMs, taken = true) => {
      entry.roundTrip = Math.max(0, answeredMs - nowMs);
      if (taken) this.quickest = Math.min(this.quickest, entry.roundTrip);
    };
  }
}

/** One send as the pacer keeps it: when it left, and its round trip once answered. */
interface Send {
  left: number;
  roundTrip: number | null;
}

/** Exponential backoff with jitter, bounded; a server's Retry-After wins when it asks for longer. */
export function backoffMs(attempt: number, retryAfterMs: number | null, random: number): number {
  const exp = Math.min(1_000 * 2 ** attempt, 5 * 60_000);
  const jittered = exp / 2 + (exp / 2) * random;
  return Math.max(jittered, retryAfterMs ?? 0);
}
