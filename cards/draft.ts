import type { CardElement } from './format.js';

/**
 * A form refused for one missing or wrong answer comes back with every other answer still in it. Teams draws a
 * card returned from Action.Execute afresh, so what the person typed or picked is lost unless the new card carries
 * it as each input's `value`. `keepAnswers` puts the submitted values back into the inputs of the same ids:
 * only strings and numbers, only into inputs of that id, a choice only when the card offers it (a person picked by
 * a directory search is not among a picker's offered choices, so it is asked again rather than shown as an id),
 * and a text no longer than the input allows. Nothing else in the card changes.
 */
export function keepAnswers<T extends Record<string, unknown>>(card: T, submitted: unknown): T {
  if (!submitted || typeof submitted !== 'object') return card;
  const given = submitted as Record<string, unknown>;
  return walk(card, given) as T;
}

function walk(node: unknown, given: Record<string, unknown>): unknown {
  if (Array.isArray(node)) return node.map((n) => walk(n, given));
  if (!node || typeof node !== 'object') return node;
  const el = node as CardElement;
  const out: CardElement = {};
  for (const [k, v] of Object.entries(el)) out[k] = k === 'data' || k === 'choices' ? v : walk(v, given);
  const value = inputValue(el, given);
  if (value !== undefined) out.value = value;
  return out;
}

function inputValue(el: CardElement, given: Record<string, unknown>): string | number | undefined {
  if (typeof el.type !== 'string' || !el.type.startsWith('Input.') || typeof el.id !== 'string') return undefined;
  const v = given[el.id];
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  const s = String(v);
  if (s === '') return undefined;
  switch (el.type) {
    case 'Input.ChoiceSet': {
      const offered = new Set((Array.isArray(el.choices) ? el.choices : []).map((c) => (c as { value?: unknown }).value));
      const picked = s.split(',');
      return picked.every((p) => offered.has(p)) ? s : undefined;
    }
    case 'Input.Number':
      return Number.isFinite(Number(s)) ? Number(s) : undefined;
    case 'Input.Toggle':
      return s === el.valueOn || s === el.valueOff || s === 'true' || s === 'false' ? s : undefined;
    default:
      return typeof el.maxLength === 'number' && s.length > el.maxLength ? undefined : s;
  }
}
