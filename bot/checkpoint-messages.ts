import { checkpointCard } from '../cards/checkpoint-card.js';
import { checkpointHead } from '../scheduler/audit/checkpoint.js';
import { toLocalIso } from '../scheduler/domain/timetable.js';
import type { OutboxMessage } from '../scheduler/domain/types.js';
import type { Plan } from './outbox-plan.js';

/** The audit checkpoint card, rendered from its outbox id (which carries the head) and when it was queued. */
export function planCheckpoint(m: OutboxMessage): Plan {
  const head = checkpointHead(m.id);
  if (!head) return { kind: 'skip', reason: 'the checkpoint message names no head' };
  return { kind: 'send', message: { card: checkpointCard({ ...head, at: toLocalIso(m.createdAt) }) } };
}
