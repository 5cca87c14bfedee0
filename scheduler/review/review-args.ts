import { parseDateRange } from '../domain/date-range.js';
import { looksLikePeriod } from '../domain/periods.js';
import { ok, type Result } from '../domain/types.js';
import type { ReviewRequest } from './review-query.js';

import type { Store } from '../store/store.js';

/** A filter as the cards carry it: `force:<id>`, `panel:<id>` or `all`. */
export function scopeRequest(value: string): ReviewRequest {
  const [kind, id] = value.split(':');
  if (kind === 'force' && id) return { forceId: id };
  if (kind === 'panel' && id) return { panelId: id };
  return {};
}

/** The card filter value for a request. */
export const scopeValue = (r: ReviewRequest): string => (r.forceId ? `force:${r.forceId}` : r.panelId ? `panel:${r.panelId}` : 'all');

/**
 * Reads `[force|panel] [period]` as typed after `attendance` or `review`: a first word naming a known force
 * or panel narrows the scope (whether the person may see it is decided later, from the store); the rest is a period.
 */
export async function parseReviewArgs(store: Store, args: string, now: string): Promise<Result<ReviewRequest>> {
  const words = args.trim().split(/\s+/).filter(Boolean);
  let request: ReviewRequest = {};
  const first = scopeWord(args);
  if (first) {
    if (await store.directory.getForce(first)) request = { forceId: first };
    else if (await store.directory.getPanel(first)) request = { panelId: first };
    else return { ok: false, error: { code: 'NOT_FOUND', message: `There is no force or panel "${first}".` } };
    words.shift();
  }
  const range = parseDateRange(words.join(' '), now);
  if (!range.ok) return range;
  return ok({ ...request, ...range.value });
}

/**
 * The first word of typed review arguments when it names a force or panel rather than a period, lower-cased.
 * A word shaped like a period (`fy2026`, or `fy26`, which then fails as a period) is never a name.
 */
export function scopeWord(args: string): string | undefined {
  const first = args.trim().split(/\s+/)[0]?.toLowerCase();
  if (!first || !/^[a-z0-9-]{1,64}$/.test(first) || /^\d/.test(first) || looksLikePeriod(first)) return undefined;
  return ['last', 'past', 'this'].includes(first) ? undefined : first;
}
