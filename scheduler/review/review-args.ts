import { areasOf } from '../domain/areas.js';
import { offerList } from '../domain/closest.js';
import { parseDateRange } from '../domain/date-range.js';
import { looksLikePeriod } from '../domain/periods.js';
import { echo } from '../domain/text.js';
import { fail, ok, type Result } from '../domain/types.js';
import { seesArea, seesForce, seesPanel, type Access } from '../people/access.js';
import type { ReviewRequest } from './review-query.js';
import { areaLabel } from './review.js';

import type { Store } from '../store/store.js';

/** A filter as the cards carry it: `force:<id>`, `area:<id>`, `panel:<id>` or `all`. */
export function scopeRequest(value: string): ReviewRequest {
  const [kind, id] = value.split(':');
  if (kind === 'force' && id) return { forceId: id };
  if (kind === 'area' && id) return { areaId: id };
  if (kind === 'panel' && id) return { panelId: id };
  return {};
}

/** The card filter value for a request. */
export const scopeValue = (r: ReviewRequest): string => (r.forceId ? `force:${r.forceId}` : r.areaId ? `area:${r.areaId}` : r.panelId ? `panel:${r.panelId}` : 'all');

/** Who typed the arguments, and which command: a word naming nothing is answered with what they may see instead. */
export interface Asker {
  access: Access;
  command: 'attendance' | 'review' | 'flags';
}

/** What a typed scope word names, when the asker may see it (given no asker, whatever it names). */
export type NamedScope = { forceId: string } | { areaId: string } | { panelId: string };

/** A named scope and how people read it: the force's or panel's name, or "<Area> (<Force>)". */
export type Labelled = { scope: NamedScope; label: string };

/**
 * The force, area or panel a typed word names (ids are unique across the file; a force wins over a panel of the
 * same id). Given the asker, one they may not see reads exactly as one that does not exist: the answer is then the
 * list of those they may see, nearest to the word first.
 */
export async function namedScope(store: Store, word: string, asker?: Asker): Promise<Result<Labelled>> {
  const force = await store.directory.getForce(word);
  const area = force ? undefined : areasOf(await store.directory.listForces()).find((a) => a.id === word);
  const panel = force || area ? null : await store.directory.getPanel(word);
  if (force && (!asker || seesForce(asker.access, force.id))) return ok({ scope: { forceId: force.id }, label: force.name });
  if (area && (!asker || seesArea(asker.access, area))) return ok({ scope: { areaId: area.id }, label: areaLabel(area.name, area.forceName) });
  if (panel && (!asker || seesPanel(asker.access, panel))) return ok({ scope: { panelId: panel.id }, label: panel.name });
  return fail('NOT_FOUND', await unknownScope(store, word, asker));
}

/**
 * Reads `[force|area|panel] [period]` as typed after `attendance` or `review`: a first word naming a known force,
 * area or panel narrows the scope (whether the person may see it is decided again later, from the store); the rest
 * is a period. Given the asker, a word naming nothing they may see is answered with what they may see, nearest to it
 * first, the same whether or not it names something they may not.
 */
export async function parseReviewArgs(store: Store, args: string, now: string, asker?: Asker): Promise<Result<ReviewRequest>> {
  const words = args.trim().split(/\s+/).filter(Boolean);
  let request: ReviewRequest = {};
  const first = scopeWord(args);
  if (first) {
    const named = await namedScope(store, first, asker);
    if (!named.ok) return named;
    request = named.value.scope;
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
 * forces, areas and panels the asker sees (read-only roles too; a national lead or an inspector: all), so nobody
 * learns of anyone else's. The words are the same whether the typed word names nothing or something not theirs.
 */
async function unknownScope(store: Store, typed: string, asker: Asker | undefined): Promise<string> {
  const head = `There is no force or panel "${echo(typed)}".`;
  if (!asker) return head;
  const [forces, panels] = await Promise.all([store.directory.listForces(), store.directory.listPanels()]);
  // A panel whose id is also a force's cannot be typed (the force wins), so it is not offered.
  const forceIds = new Set(forces.map((f) => f.id));
  const areas = areasOf(forces).filter((a) => seesArea(asker.access, a)).map((a) => ({ id: a.id, name: areaLabel(a.name, a.forceName) }));
  const seen = [...forces.filter((f) => seesForce(asker.access, f.id)), ...areas, ...panels.filter((p) => !forceIds.has(p.id) && seesPanel(asker.access, p))];
  const offered = offerList(typed, seen, asker.command);
  return offered ? `${head} You can see: ${offered}. Or type \`${asker.command}\` alone for everything you may see.` : head;
}
