import type { Nomination, OutboxMessage } from '../domain/types.js';
import type { Repos } from '../store/store.js';

// The nomination card's outbox messages, shared by nominating (nominations.ts), the jobs that post the cards
// (nomination-jobs.ts) and the chair's changes to a meeting (meetings/cancellations.ts).

/** The outbox id (and idempotency key) of a meeting's nomination card for a force. */
export const cardMessageId = (meetingId: string, forceId: string): string => `card:${meetingId}:${forceId}`;

/** How many times a card was posted afresh elsewhere (its panel moved area): 1 for the first card. */
const generation = (id: string): number => Number(/:g(\d+)$/.exec(id)?.[1] ?? 1);

/** The id of the card that replaces this one in another conversation. */
export const nextCardId = (meetingId: string, forceId: string, current: string): string => `${cardMessageId(meetingId, forceId)}:g${generation(current) + 1}`;

/**
 * A meeting's nomination card for a force where it lives now: the latest posted, or to be. A panel moved to another
 * area (or out of one) gets its card posted afresh in that area's channel; the earlier one is then only a pointer.
 */
export async function currentCard(tx: Pick<Repos, 'outbox'>, meetingId: string, forceId: string): Promise<OutboxMessage | null> {
  return currentCardIn(await tx.outbox.list({ meetingId }), forceId);
}

/** currentCard over the meeting's outbox, already listed. */
function currentCardIn(outbox: OutboxMessage[], forceId: string): OutboxMessage | null {
  const cards = outbox.filter((m) => m.kind === 'card' && m.forceId === forceId);
  return cards.sort((a, b) => generation(b.id) - generation(a.id))[0] ?? null;
}

/**
 * Queues an in-place update of the meeting's cards (one force's, or all) after a change; `tag` names the
 * change (e.g. `v3` for meeting version 3, `n2` for a force's second nomination) so each is sent once.
 */
export async function queueCardUpdates(tx: Repos, meetingId: string, tag: string, now: string, forceId?: string): Promise<void> {
  await tx.outbox.enqueue(cardUpdates(await tx.outbox.list({ meetingId }), tag, now, forceId));
}

/** The card updates queueCardUpdates queues, from the meeting's outbox as listed (for a caller that queues them with more). */
export function cardUpdates(outbox: OutboxMessage[], tag: string, now: string, forceId?: string): OutboxMessage[] {
  // A card that moved with its panel now points to the new one, and keeps saying so.
  const moved = new Set(outbox.filter((m) => m.kind === 'card-moved').map((m) => m.cardId));
  const cards = outbox.filter(
    (m) => m.kind === 'card' && m.status !== 'failed' && m.status !== 'skipped' && !moved.has(m.id) && (!forceId || m.forceId === forceId),
  );
  return cards.map((c) => ({ ...c, id: `card-update:${c.meetingId}:${c.forceId}:${tag}`, kind: 'card-update' as const, cardId: c.id, status: 'pending' as const, attempts: 0, nextAttemptAt: now, activityId: null, lastError: null, createdAt: now }));
}

/** The @mention replies in a card's thread that name someone still: posted or about to be, and not reworded since. */
function standingMentions(outbox: OutboxMessage[], forceId: string): OutboxMessage[] {
  const thread = outbox.filter((m) => m.forceId === forceId);
  const reworded = new Set(thread.filter((m) => m.kind === 'mention-update' && m.status === 'sent').map((m) => m.cardId));
  return thread.filter((m) => m.kind === 'mention' && (m.status === 'pending' || m.status === 'sent') && !reworded.has(m.id));
}

/**
 * What a nomination does to its card's thread, which must never show two people named: every reply that names
 * someone else is reworded in place (a `mention-update`, whose `cardId` is the mention's outbox id), and the nominee
 * is @mentioned unless a reply there names them already (a change of role only: the card shows the role).
 * Nothing before the card is posted: there is no thread yet. `outbox` is the meeting's, as listed in the same transaction.
 */
export function threadMessages(outbox: OutboxMessage[], n: Nomination, now: string): OutboxMessage[] {
  const card = currentCardIn(outbox, n.forceId);
  if (!card) return [];
  const cardId = card.id;
  const standing = standingMentions(outbox, n.forceId);
  const base = { meetingId: n.meetingId, forceId: n.forceId, status: 'pending' as const, attempts: 0, nextAttemptAt: now, activityId: null, lastError: null, createdAt: now };
  const reworded: OutboxMessage[] = standing.filter((m) => m.personAadObjectId !== n.aadObjectId).map((m) => ({
    ...base, id: `mention-update:${m.id.slice('mention:'.length)}:n${n.version}`, kind: 'mention-update', conversationId: m.conversationId, cardId: m.id, personAadObjectId: m.personAadObjectId,
  }));
  if (standing.some((m) => m.personAadObjectId === n.aadObjectId)) return reworded;
  return [...reworded, { ...base, id: `mention:${n.meetingId}:${n.forceId}:v${n.version}`, kind: 'mention', conversationId: card.conversationId, cardId, personAadObjectId: n.aadObjectId }];
}
