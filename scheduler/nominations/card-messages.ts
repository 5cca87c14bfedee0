import type { Nomination, OutboxMessage } from '../domain/types.js';
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

/** The @mention replies in a card's thread that name someone still: posted or about to be, and not reworded since. */
async function standingMentions(tx: Repos, meetingId: string, forceId: string): Promise<OutboxMessage[]> {
  const thread = (await tx.outbox.list({ meetingId })).filter((m) => m.forceId === forceId);
  const reworded = new Set(thread.filter((m) => m.kind === 'mention-update' && m.status === 'sent').map((m) => m.cardId));
  return thread.filter((m) => m.kind === 'mention' && (m.status === 'pending' || m.status === 'sent') && !reworded.has(m.id));
}

/**
 * What a nomination does to its card's thread, which must never show two people named: every reply that names
 * someone else is reworded in place (a `mention-update`, whose `cardId` is the mention's outbox id), and the nominee
 * is @mentioned unless a reply there names them already (a change of role only: the card shows the role).
 * Nothing before the card is posted: there is no thread yet.
 */
export async function threadMessages(tx: Repos, n: Nomination, now: string): Promise<OutboxMessage[]> {
  const cardId = cardMessageId(n.meetingId, n.forceId);
  const card = await tx.outbox.get(cardId);
  if (!card) return [];
  const standing = await standingMentions(tx, n.meetingId, n.forceId);
  const base = { meetingId: n.meetingId, forceId: n.forceId, status: 'pending' as const, attempts: 0, nextAttemptAt: now, activityId: null, lastError: null, createdAt: now };
  const reworded: OutboxMessage[] = standing.filter((m) => m.personAadObjectId !== n.aadObjectId).map((m) => ({
    ...base, id: `mention-update:${m.id.slice('mention:'.length)}:n${n.version}`, kind: 'mention-update', conversationId: m.conversationId, cardId: m.id, personAadObjectId: m.personAadObjectId,
  }));
  if (standing.some((m) => m.personAadObjectId === n.aadObjectId)) return reworded;
  return [...reworded, { ...base, id: `mention:${n.meetingId}:${n.forceId}:v${n.version}`, kind: 'mention', conversationId: card.conversationId, cardId, personAadObjectId: n.aadObjectId }];
}
