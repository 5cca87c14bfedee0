import { FLAG_WORDS } from '../scheduler/domain/flag-words.js';
import type { FlagCode } from '../scheduler/domain/flags.js';
import { card, facts, md, text } from './format.js';

export interface FlagRow {
  code: FlagCode;
  panelName: string;
  facts: string;
}

const MAX_ROWS = 40;

/** The open compliance flags a person may see, grouped by panel, each by its plain title; long lists are cut with a count (cards stay small). */
export function flagsCard(rows: FlagRow[], title = 'Open compliance flags'): Record<string, unknown> {
  if (!rows.length) return card([text(title, { weight: 'Bolder', size: 'Medium' }), text('No flags for the panels you can see.', { color: 'Good' })]);
  const shown = rows.slice(0, MAX_ROWS);
  const panels = [...new Set(shown.map((r) => r.panelName))];
  return card([
    text(`${title} (${rows.length})`, { weight: 'Bolder', size: 'Medium' }),
    ...panels.flatMap((p) => [text(md(p), { weight: 'Bolder', spacing: 'Medium' }), facts(shown.filter((r) => r.panelName === p).map((r) => [FLAG_WORDS[r.code].title, md(r.facts)]))]),
    ...(rows.length > MAX_ROWS ? [text(`…and ${rows.length - MAX_ROWS} more. The review export lists them all.`, { isSubtle: true })] : []),
  ]);
}
