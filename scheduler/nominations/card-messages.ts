import type { Repos } from '../store/store.js';

// The nomination card's outbox messages, shared by nominating (nominations.ts), the jobs that post the cards
// (nomination-jobs.ts) and the chair's changes to a meeting (meetings/cancellations.ts).

/** The outbox id (and idempotency key) of a meeting's nomination card for a force. */
export const cardMessageId = (meetingId: string, forceId: string): string => `card:${meetingId}:${forceId}`;

/**
 * Queues an in-place update of the meeting's cards (one force's, or all) after a change; `tag` names the
 * change (e.g. `v3` for meeting version 3, `n2` for a force's second nomination) so each is sent once.
 */
export async function queueCardUpdates(tx: Repos, meetingId: string, tag: string, now: string, forceId?: string): Promise<void> {
  const cards = (await tx.outbox.list({ meetingId })).filter(
    (m) => m.kind === 'card' && m.status !== 'failed' && m.status !== 'skipped' && (!forceId || m.forceId === forceId),
  );
  await tx.outbox.enqueue(
    cards.map((c) => ({ ...c, id: `card-update:${c.meetingId}:${c.forceId}:${tag}`, kind: 'card-update' as const, cardId: c.id, status: 'pending' as const, attempts: 0, nextAttemptAt: now, activityId: null, lastError: null, createdAt: now })),
  );
}
