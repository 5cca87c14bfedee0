import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import type { OutboxMessage } from '../scheduler/domain/types.js';
import { plan } from './message-plan.js';
import type { Log } from '../scheduler/log.js';
import { backoffMs, CONVERSATION_LIMITS, MessengerUnavailable, PACING_MARGIN_MS, Pacer, SendError, TENANT_LIMITS, TENANT_SMOOTHING, type Messenger } from '../scheduler/messenger.js';
import type { Store } from '../scheduler/store/store.js';

export const MAX_ATTEMPTS = 8;
const LEASE_MS = 120_000;
const BATCH = 50;

export type SenderDeps = {
  store: Store;
  messenger: Messenger;
  log: Log;
  /** Milliseconds since the epoch; the CLI's `tick --now` runs on a shifted clock. */
  clock: () => number;
  random?: () => number;
  /** Told how each handled message ended (the metrics count them). */
  observe?: SendObserver;
  /**
   * Shutdown: once aborted, nothing more is claimed, sends already on the wire finish and are recorded, and every
   * claimed message not yet sent goes back to the outbox at once (lease cleared, no try counted) for another instance
   * or the next start.
   */
  signal?: AbortSignal;
} & (
  | { sleep?: undefined; monotonic?: undefined }
  | {
      /** A way of waiting, with the elapsed time it moves: a test's sleep must move the clock pacing reads, or pacing would spin. */
      sleep: (ms: number) => Promise<void>;
      /** Real elapsed time for pacing: Teams' rate limits are in wall time, whatever the business clock says. */
      monotonic: () => number;
    }
);

/** How one handled message ended: `throttled` is a 429 and `retried` any other retryable failure, both tried again later. */
export type SendOutcome = 'sent' | 'throttled' | 'retried' | 'failed' | 'skipped' | 'returned';

export interface SendObserver {
  sendOutcome(kind: OutboxMessage['kind'], outcome: SendOutcome): void;
}

/** Why a message stands in the outbox unsent after a shutdown, when it had no error of its own. */
export const RETURNED_AT_SHUTDOWN = 'returned to the outbox when the sender stopped';


const iso = (ms: number) => new Date(ms).toISOString();

/** Sends one claimed message and records the outcome; a retryable failure is rescheduled, a final one left visible. */
async function deliver(deps: SenderDeps, pacer: Pacers, m: OutboxMessage, owner: string): Promise<void> {
  const { store, messenger } = deps;
  try {
    if (deps.signal?.aborted) return await giveBack(deps, m, owner);
    const now = iso(deps.clock());
    const conversation = await store.teams.getConversation(m.conversationId);
    if (!conversation) return await settle(deps, m, 'failed', 'the bot is no longer in that conversation');
    const p = await plan(store, m, now);
    if (p.kind === 'skip') return await settle(deps, m, 'skipped', p.reason);
    // Waiting for the card to be posted first is not a failed try.
    if (p.kind === 'later') return await store.outbox.defer(m.id, iso(deps.clock() + 2_000), p.reason, owner);
    // The pacing wait (or a slow batch) may have outlived the lease: never send what another sender may now hold.
    const stillOurs = () => store.outbox.renewLease(m.id, owner, iso(deps.clock()), iso(deps.clock() + LEASE_MS));
    // Checked before the tenant's turn, not inside it: that turn is one lane at a time, and a database round trip in it
    // capped every instance's sends at one per round trip. The turn's own wait is short (the tenant's pacing), far
    // inside the lease just renewed.
    if (!(await stillOurs())) return;
    const answered = await pace(deps, pacer, m.conversationId, conversation.tenantId);
    if (answered === STOPPED) return await giveBack(deps, m, owner);
    // From here the send is on the wire: a shutdown waits for its answer and records it like any other.
    const sending = p.kind === 'send' ? messenger.send(conversation, p.message, p.threadOf) : messenger.update(conversation, p.activityId, p.message).then(() => p.activityId);
    const activityId = await sending.then(
      (id) => (answered(true), id),
      (err: unknown) => {
        answered(false);
        throw err;
      },
    );
    await store.outbox.markSent(m.id, activityId, iso(deps.clock()));
    deps.observe?.sendOutcome(m.kind, 'sent');
  } catch (err) {
    if (err instanceof MessengerUnavailable) return await unavailable(deps, m, owner, err);
    // Anything else (a rendering bug, the database) is retried like a network failure: bounded, then visible.
    await failed(deps, m, err instanceof SendError ? err : new SendError(String(err), null, null));
  }
}

/** Ends a message unsent for good (skipped, or failed without a try), and says so. */
async function settle(deps: SenderDeps, m: OutboxMessage, status: 'failed' | 'skipped', reason: string): Promise<void> {
  await deps.store.outbox.markFinal(m.id, status, reason, iso(deps.clock()));
  deps.observe?.sendOutcome(m.kind, status);
}

/** A claimed message not sent because the sender is stopping: back in the outbox, due as it was, no try counted. */
async function giveBack(deps: SenderDeps, m: OutboxMessage, owner: string): Promise<void> {
  // Only while this sender still holds it: a lease that ran out may be another instance's now.
  await deps.store.outbox.defer(m.id, m.nextAttemptAt, m.lastError ?? RETURNED_AT_SHUTDOWN, owner);
  deps.observe?.sendOutcome(m.kind, 'returned');
}

/** How long a message waits when the Teams side could not be loaded, before the next attempt to load it. */
export const UNAVAILABLE_RETRY_MS = 30_000;

/** Nothing was sent (the Teams side failed to load): the message waits, no try counted, and the error is logged. */
async function unavailable(deps: SenderDeps, m: OutboxMessage, owner: string, e: MessengerUnavailable): Promise<void> {
  deps.log.error({ outboxId: m.id, err: e.message }, 'send not attempted: the Teams side could not be loaded; will retry');
  await deps.store.outbox.defer(m.id, iso(deps.clock() + UNAVAILABLE_RETRY_MS), e.message, owner);
  deps.observe?.sendOutcome(m.kind, 'retried');
}

/** What pace() answers when the sender stopped while the message waited its turn. */
const STOPPED = 'stopped';

/** The sender's wall clock for pacing and its way of waiting, with their defaults; every wait ends early at shutdown. */
const tickOf = (deps: SenderDeps) => deps.monotonic ?? (() => performance.now());
const restOf = (deps: SenderDeps) => (ms: number): Promise<void> => {
  const { signal } = deps;
  if (!deps.sleep) return delay(ms, undefined, signal ? { signal } : {}).catch(() => undefined);
  if (!signal) return deps.sleep(ms);
  if (signal.aborted) return Promise.resolve();
  return Promise.race([deps.sleep(ms), new Promise<void>((r) => signal.addEventListener('abort', () => r(), { once: true }))]);
};

/**
 * Waits until this tenant (and, checked again, this conversation) may take another send and records the send, which
 * follows at once; what it returns is called when the send is answered (see Pacer). The lane has already waited out
 * its own conversation's limit (restFor) and checked the message is still its own; the tenant's history is shared by
 * every lane, so this wait-and-record runs one lane at a time, with no round trip in it.
 */
async function pace(deps: SenderDeps, pacer: Pacers, conversationId: string, tenantId: string): Promise<((taken: boolean) => void) | typeof STOPPED> {
  const tenantKey = `tenant:${tenantId}`;
  const tick = tickOf(deps);
  // Outside the turns: the read is a round trip, and the turns hold every lane.
  if (pacer.shared) await shareCeiling(deps, pacer.shared, pacer.tenant);
  return pacer.turns.run(async () => {
    // Checked again after each wait: an answer that came back meanwhile may have moved a send later (see Pacer). A
    // clock that stands still (a test with pacing turned off) gets one wait, as it would never let a second one end.
    for (let checkedAt = Number.NaN; ; ) {
      if (deps.signal?.aborted) return STOPPED;
      const now = tick();
      const wait = Math.max(pacer.conversation.delay(conversationId, now), pacer.tenant.delay(tenantKey, now));
      if (wait <= 0 || now === checkedAt) break;
      checkedAt = now;
      await restOf(deps)(wait);
    }
    const conversationAnswered = pacer.conversation.record(conversationId, tick());
    const tenantAnswered = pacer.tenant.record(tenantKey, tick());
    return (taken) => {
      conversationAnswered(tick(), taken);
      tenantAnswered(tick(), taken);
    };
  });
}

async function failed(deps: SenderDeps, m: OutboxMessage, e: SendError): Promise<void> {
  const why = `${e.status ?? 'network'}: ${e.message}`;
  if (!e.retryable || m.attempts + 1 >= MAX_ATTEMPTS) {
    deps.log.error({ outboxId: m.id, status: e.status, err: e.message }, 'message could not be delivered; left as failed');
    await deps.store.outbox.markFinal(m.id, 'failed', why, iso(deps.clock()));
    return deps.observe?.sendOutcome(m.kind, 'failed');
  }
  const next = deps.clock() + backoffMs(m.attempts, e.retryAfterMs, (deps.random ?? Math.random)());
  deps.log.warn({ outboxId: m.id, status: e.status, retryAt: iso(next) }, 'send failed; will retry');
  await deps.store.outbox.markRetry(m.id, iso(next), why);
  deps.observe?.sendOutcome(m.kind, e.status === 429 ? 'throttled' : 'retried');
}

/** Runs tasks one after another, in the order they were handed in. */
export class Turns {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** Sends are paced per conversation and per tenant, under Teams' documented limits. */
export interface Pacers {
  conversation: Pacer;
  tenant: Pacer;
  /** Serialises the tenant-wide wait-and-record across lanes. */
  turns: Turns;
  /** The tenant's ceiling shared with the other instances sending now; without it this process takes it all. */
  shared?: SharedCeiling;
}

/** How often a sending instance says so and counts the others, and how long one counts after it last did (ms). */
export const SENDERS_REFRESH_MS = 1_000;
export const SENDERS_WINDOW_MS = 5_000;

/**
 * Teams' 50 messages a second is per app and tenant, however many instances send. Each sending instance writes its
 * row in `outbox_senders` (store.outbox.senders) about once a second and paces the tenant to its share: the ceiling
 * divided by the instances seen in the last few seconds. Counted over all tenants (an instance sending to one
 * partner's tenant halves another's share in the home tenant: slower, never over). An instance starting to send
 * while another already is goes at its share at once; the other learns of it within `refreshMs`.
 */
export interface SharedCeiling {
  /** This process among the senders: random, made once per process. */
  instanceId: string;
  refreshMs: number;
  windowMs: number;
  /**
   * Wall-clock ms since the epoch, written for the instances to compare (not the business clock, which a `tick --now`
   * shifts): their hosts' clocks must agree to well within `windowMs`, as the outbox's leases already need.
   */
  wall: () => number;
  /** When the count was last asked for (on the sender's monotonic clock, which a clock step cannot hold back), and the read in flight. */
  readAt: number;
  reading: Promise<void> | null;
}

/**
 * A process's pacers. `shared`: the tenant's ceiling shared with the other instances sending (every `outboxDrainer`:
 * the server's, `panel-bot tick`'s, `audit checkpoint`'s); without it (a test's drain) this sender takes the whole
 * ceiling and writes no row.
 */
export const newPacers = (shared = false): Pacers => ({
  conversation: new Pacer(CONVERSATION_LIMITS, PACING_MARGIN_MS),
  tenant: new Pacer(TENANT_LIMITS, PACING_MARGIN_MS, TENANT_SMOOTHING),
  turns: new Turns(),
  ...(shared ? { shared: { instanceId: randomUUID(), refreshMs: SENDERS_REFRESH_MS, windowMs: SENDERS_WINDOW_MS, wall: Date.now, readAt: -Infinity, reading: null } } : {}),
});

/**
 * Before a send: says this instance is sending and shares the tenant's ceiling with the others (see SharedCeiling),
 * at most once per `refreshMs`; lanes arriving meanwhile wait for the same read. A failed read keeps the last share.
 */
function shareCeiling(deps: SenderDeps, shared: SharedCeiling, tenant: Pacer): Promise<void> {
  // A sender that is stopping sends nothing more, so it does not say it is sending.
  if (shared.reading || deps.signal?.aborted) return shared.reading ?? Promise.resolve();
  const tick = tickOf(deps)();
  if (tick - shared.readAt < shared.refreshMs) return Promise.resolve();
  shared.readAt = tick;
  const now = shared.wall();
  shared.reading = deps.store.outbox
    .senders(shared.instanceId, iso(now), iso(now - shared.windowMs))
    .then(
      (n) => tenant.share(n),
      (err: unknown) => deps.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not count the instances sending; pacing on the last count'),
    )
    .finally(() => {
      shared.reading = null;
    });
  return shared.reading;
}

/**
 * Conversations served at once. A send holds its lane for the Bot Connector's round trip (about 150 ms) as well as
 * its rendering and store writes: 50 messages a second (the tenant's ceiling, which the pacer keeps to) needs about
 * 8 on the wire at once, so 16 lanes leave room for rendering. Each conversation still gets one message at a time, in
 * order, within its own limits.
 */
export const LANES = 16;
/** Claimed messages held in memory at most; more wait in the store, unclaimed, for another instance or the next round. */
const HELD = 2 * BATCH;

/**
 * Drains the outbox: sends every due message; waits for retries due within `waitMs`, then returns how many were handled.
 * Messages to one conversation go in the order they were queued (a reminder after its card); different conversations go
 * side by side in up to LANES lanes, so the per-tenant ceiling is reached even when one message takes longer to render than
 * the ceiling allows between two sends.
 */
export async function drainOutbox(deps: SenderDeps, waitMs = 0, pacer: Pacers = newPacers()): Promise<number> {
  let handled = 0;
  const owner = randomUUID();
  const lanes = new Map<string, Promise<void>>();
  const slots = new Slots(LANES);
  let held = 0;
  for (;;) {
    const now = deps.clock();
    const room = HELD - held;
    const claiming = room > 0 && !deps.signal?.aborted;
    const batch = claiming ? await deps.store.outbox.claimDue(iso(now), iso(now + LEASE_MS), Math.min(BATCH, room), owner) : [];
    for (const m of batch) {
      held += 1;
      const lane: Promise<void> = (lanes.get(m.conversationId) ?? Promise.resolve())
        .then(() => restFor(deps, pacer, m.conversationId))
        .then(() => slots.run(() => deliver(deps, pacer, m, owner)))
        .finally(() => {
          held -= 1;
          if (lanes.get(m.conversationId) === lane) lanes.delete(m.conversationId);
        });
      lanes.set(m.conversationId, lane);
    }
    handled += batch.length;
    if (batch.length && held < HELD) continue;
    if (held > 0) {
      await Promise.race(lanes.values());
      continue;
    }
    if (deps.signal?.aborted) return handled;
    const next = (await deps.store.outbox.list({ status: 'pending' })).map((m) => Date.parse(m.nextAttemptAt)).sort((a, b) => a - b)[0];
    if (next === undefined || next - now > waitMs) return handled;
    await restOf(deps)(Math.max(next - now, 10));
  }
}

/** A lane waits out its own conversation's limit before it takes a slot, so a slot is never held just to wait. */
async function restFor(deps: SenderDeps, pacer: Pacers, conversationId: string): Promise<void> {
  const wait = pacer.conversation.delay(conversationId, tickOf(deps)());
  if (wait > 0) await restOf(deps)(wait);
}

/** At most `size` tasks at once; the rest wait their turn in order. */
class Slots {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(size: number) {
    this.free = size;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free -= 1;
    else await new Promise<void>((r) => this.waiting.push(r));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free += 1;
    }
  }
}
