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
 * Paces sends per key (a conversation, a tenant) under Teams' limits: tells how long to wait before the next one may go.
 * A send is recorded when it leaves and moved to when its answer came back: the service counted it somewhere in between,
 * and a busy event loop can hold a request back for tens of milliseconds, so the later time is the safe one to count from.
 */
export class Pacer {
  private readonly sent = new Map<string, Array<{ at: number }>>();
  private readonly longest: number;

  /** `marginMs` widens each window a little: the service counts arrivals, which lag our sends by the network. */
  constructor(
    private readonly limits = CONVERSATION_LIMITS,
    private readonly marginMs = 0,
  ) {
    this.longest = Math.max(...limits.map((l) => l.ms)) + marginMs;
  }

  /** Milliseconds to wait before sending to this key at `nowMs` (0: go now). */
  delay(key: string, nowMs: number): number {
    const times = (this.sent.get(key) ?? []).map((s) => s.at).sort((a, b) => a - b);
    let wait = 0;
    for (const { count, ms } of this.limits) {
      const inWindow = times.filter((t) => t > nowMs - ms - this.marginMs);
      if (inWindow.length >= count) wait = Math.max(wait, inWindow[inWindow.length - count]! + ms + this.marginMs - nowMs);
    }
    return wait;
  }

  /** Records a send leaving at `nowMs`; call what it returns with the time its answer came back. Keeps only what the longest window needs. */
  record(key: string, nowMs: number): (answeredMs: number) => void {
    const times = (this.sent.get(key) ?? []).filter((s) => s.at > nowMs - this.longest);
    const entry = { at: nowMs };
    times.push(entry);
    this.sent.set(key, times);
    return (answeredMs) => void (entry.at = Math.max(entry.at, answeredMs));
  }
}

/** Exponential backoff with jitter, bounded; a server's Retry-After wins when it asks for longer. */
export function backoffMs(attempt: number, retryAfterMs: number | null, random: number): number {
  const exp = Math.min(1_000 * 2 ** attempt, 5 * 60_000);
  const jittered = exp / 2 + (exp / 2) * random;
  return Math.max(jittered, retryAfterMs ?? 0);
}
