import type { OutgoingMessage } from '../scheduler/messenger.js';

/** What one outbox message means now: send it (perhaps in a card's thread), update a posted card, drop it, or wait. */
export type Plan = { kind: 'send'; message: OutgoingMessage; threadOf?: string } | { kind: 'update'; activityId: string; message: OutgoingMessage } | { kind: 'skip'; reason: string } | { kind: 'later'; reason: string };
