import { offerList } from '../domain/closest.js';
import { parseDateRange } from '../domain/date-range.js';
import { looksLikePeriod } from '../domain/periods.js';
import { echo } from '../domain/text.js';
import { fail, ok, type Result } from '../domain/types.js';
import { seesForce, seesPanel, type Access } from '../people/access.js';
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

/** Who typed the arguments, and which command: a word naming nothing is answered with what they may see instead. */
export interface Asker {
  access: Access;
  command: 'attendance' | 'review';
}

/**
 * Reads `[force|panel] [period]` as typed after `attendance` or `review`: a first word naming a known force
 * or panel narrows the scope (whether the person may see it is decided later, from the store); the rest is a period.
 * Given the asker, a word naming no force or panel they may see is answered with those they may see, nearest to it
 * first, the same whether or not it names one they may not.
 */
export async function parseReviewArgs(store: Store, args: string, now: string, asker?: Asker): Promise<Result<ReviewRequest>> {
  const words = args.trim().split(/\s+/).filter(Boolean);
  let request: ReviewRequest = {};
  const first = scopeWord(args);
  if (first) {
    const force = await store.directory.getForce(first);
    const panel = force ? null : await store.directory.getPanel(first);
    // Given the asker, a force or panel they may not see reads exactly as one that does not exist.
    const hidden = asker && (force ? !seesForce(asker.access, force.id) : panel ? !seesPanel(asker.access, panel) : false);
    if (force && !hidden) request = { forceId: first };
    else if (panel && !hidden) request = { panelId: first };
    else return fail('NOT_FOUND', await unknownScope(store, first, asker));
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

/**
 * "There is no force or panel "cambz". You can see: Cambridgeshire Constabulary (`review cambs`), …": only the
 * forces and panels the asker sees (read-only roles too; a national lead or an inspector: all), so nobody learns of anyone else's.
 */
async function unknownScope(store: Store, typed: string, asker: Asker | undefined): Promise<string> {
  const head = `There is no force or panel "${echo(typed)}".`;
  if (!asker) return head;
  const [forces, panels] = await Promise.all([store.directory.listForces(), store.directory.listPanels()]);
  // A panel whose id is also a force's cannot be typed (the force wins), so it is not offered.
  const forceIds = new Set(forces.map((f) => f.id));
  const seen = [...forces.filter((f) => seesForce(asker.access, f.id)), ...panels.filter((p) => !forceIds.has(p.id) && seesPanel(asker.access, p))];
  const offered = offerList(typed, seen, asker.command);
  return offered ? `${head} You can see: ${offered}. Or type \`${asker.command}\` alone for everything you may see.` : head;
}
