import { cleanText } from './text.js';

/**
 * Edit distance with adjacent transpositions (optimal string alignment, the usual "Damerau-Levenshtein" of spell
 * checkers): "cmabs" is one slip from "cambs", not two.
 */
export function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}

const fold = (s: string) => cleanText(s).toLowerCase();

/**
 * How near a typed word is to one key (lower is nearer), or null when it is not a plausible slip for it: the same
 * word; one that starts the other ("cam" for "cambs", "leicester" for "Leicestershire Police"), nearer the longer
 * the shared start; or a few typing slips, about one in three letters.
 */
function nearness(typed: string, key: string): number | null {
  if (!typed || !key) return null;
  if (typed === key) return 0;
  if (typed.length >= 3 && (key.startsWith(typed) || typed.startsWith(key))) return 0.5 + Math.abs(key.length - typed.length) / 100;
  const d = editDistance(typed, key);
  return d <= Math.max(1, Math.floor(Math.max(typed.length, key.length) / 3)) ? d : null;
}

/**
 * The candidates ordered for a person who mistyped one: plausible slips first, nearest first (each candidate judged
 * by the nearest of its keys: its id, and its name or the name's first word, say), then every other candidate in
 * the order given. The order given is kept for those, and among equally near ones, so a word near none of them
 * (or a real id the person may not see) gets exactly the list a made-up word gets: the order tells nothing about
 * what the word names.
 */
export function closest<T>(typed: string, candidates: readonly T[], keysOf: (c: T) => readonly string[] = (c) => [String(c)]): T[] {
  return scored(typed, candidates, keysOf).map((s) => s.c);
}

/** Only the plausible slips, nearest first: "did you mean …?" for a file or a command line (empty when none is). */
export function plausible<T>(typed: string, candidates: readonly T[], keysOf: (c: T) => readonly string[] = (c) => [String(c)]): T[] {
  return scored(typed, candidates, keysOf).filter((s) => s.score < Infinity).map((s) => s.c);
}

function scored<T>(typed: string, candidates: readonly T[], keysOf: (c: T) => readonly string[]): Array<{ c: T; i: number; score: number }> {
  const word = fold(typed);
  const all = candidates.map((c, i) => {
    const near = keysOf(c).map((k) => nearness(word, fold(k))).filter((n): n is number => n !== null);
    return { c, i, score: near.length ? Math.min(...near) : Infinity };
  });
  return all.sort((a, b) => a.score - b.score || a.i - b.i);
}

/** A force or panel as a refusal offers it: its id and its name. */
export interface Offered {
  id: string;
  name: string;
}

/** A name as literal Teams Markdown: no link, address, emphasis, code or HTML (cards/format.ts md's rules, which cards/ keeps). */
const literal = (name: string) =>
  cleanText(name)
    .replace(/[\\`*_[\]()<>#~|]/g, '\\$&')
    .replace(/(?<=\p{L}):(?=\S)/gu, '\\:')
    .replace(/(?<=[\p{L}\p{N}])\.(?=[\p{L}\p{N}]{2})/gu, '\\.');

/**
 * "Cambridgeshire Constabulary (`link force cambs`), Leicestershire Police (`link force leics`)": the things a
 * person may act on, nearest to what they typed first, each by name with the command that names it, at most
 * `max` of them and a count of the rest. Empty when there are none.
 */
export function offerList(typed: string, offered: readonly Offered[], command: string, max = 10): string {
  const sorted = closest(typed, [...offered].sort((a, b) => a.name.localeCompare(b.name, 'en-GB') || a.id.localeCompare(b.id)), (o) => [o.id, o.name, o.name.split(/\s+/)[0] ?? '']);
  const shown = sorted.slice(0, max).map((o) => `${literal(o.name)} (\`${command} ${o.id}\`)`);
  const more = sorted.length - shown.length;
  return `${shown.join(', ')}${more > 0 ? `, and ${more} more` : ''}`;
}
