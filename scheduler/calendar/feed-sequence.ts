import { createHash } from 'node:crypto';
import type { EventContent } from './calendar-feed.js';

/** What a feed last served for one meeting, as far as its SEQUENCE goes. */
export interface Served {
  sequence: number;
  fingerprint: string;
}

/** A short hash of everything an event shows but its SEQUENCE: a different fingerprint is a change a calendar would see. */
export function fingerprint(c: EventContent): string {
  return createHash('sha256').update(JSON.stringify([c.start, c.end, c.cancelled, c.summary, c.description])).digest('base64url').slice(0, 22);
}

/**
 * The SEQUENCE a feed gives an event now. Never below the meeting's revision (which rises with every change to the
 * meeting, its nominations and its attendance, and across its removal and return), never below what this feed served
 * before, and above it whenever what the feed shows changed: a change only this feed sees (the owner's roles narrowed,
 * the meeting left the feed) raises it too, without any other feed's moving.
 */
export function nextSequence(before: Served | undefined, revision: number, now: string): number {
  if (!before) return revision;
  return Math.max(revision, before.fingerprint === now ? before.sequence : before.sequence + 1);
}
