import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FLAG_CODES } from '../scheduler/domain/flags.js';
import { SAMPLE_IDS, SAMPLES, type CardSample } from '../test/support/card-samples.js';
import { cardBytes, cardProblems } from '../test/support/validate-card.js';

// Every card the bot sends, built from realistic samples (test/support/card-samples.ts: add a new card's there), is
// checked for what Teams and its readers need (issue 18, house rule 15):
// - it parses with no events and stays under Teams' 28 KB;
// - words, not codes: no flag code (FLAG_CODES) nor anything shaped like one (SCREAMING_SNAKE_CASE);
// - names, not ids: no force or panel id of the samples, except inside a typed-command hint, a code span that starts
//   with a command (`link force cambs`, `review leics`), where a person has to type it;
// - dates as people write them: nothing shaped like an ISO date or timestamp (2027-03-29, 2027-03-29T10:00), outside
//   such a hint;
// - no angle bracket, unless escaped (md() makes typed ones literal): Teams showed `<id>` as `&lt;id&gt;`;
// - contrast: Teams' `Warning` text colour (a pale yellow) fails WCAG AA on its light theme, and every coloured text
//   is thin on some theme, so no TextBlock or TextRun is coloured `Warning`, and `Attention`, `Good` or `Accent` only
//   on a short label: at most 40 characters and weight Bolder, or in a table's header row. Longer text that must stand
//   out goes in a Container with a style (cards/format.ts callout), whose background works in every theme;
// - no table column narrower than the longest word of its header (see COLUMN_CHARS).
// "Text" is what a person reads: TextBlocks (table cells too), TextRuns, both sides of a fact, action titles, input
// labels, placeholders and choice titles, and a chart's titles, legends and labels; never ids in action data or values.

const LIMIT = 28 * 1024;

/** The commands people type (bot/routes/commands.ts COMMANDS, which cards/ may not import). */
const COMMAND_WORDS = ['help', 'panels', 'link force', 'link panel', 'link national', 'cancel', 'attendance', 'review', 'flags', 'subscribe', 'panel-bot'];
const COMMAND_HINT = new RegExp(`\`(?:${COMMAND_WORDS.join('|')})\\b[^\`]*\``, 'g');

/**
 * A table's width in characters of its small text: Teams' narrower desktop cards are about 420 px wide, and Segoe UI at
 * the small size is about 6.5 px a character. Each cell loses about 2 characters to its padding.
 */
const COLUMN_CHARS = 64;
const CELL_PADDING_CHARS = 2;

interface Shown {
  text: string;
  /** What shows it: TextBlock, TextRun, fact, action title, label, choice, chart. */
  kind: string;
  color?: string;
  weight?: string;
  /** In a table's header row. */
  header?: boolean;
}

const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** Everything a person reads on a card, with how it is shown. */
function shownTexts(node: unknown, header = false): Shown[] {
  if (Array.isArray(node)) return node.flatMap((n) => shownTexts(n, header));
  if (!node || typeof node !== 'object') return [];
  const o = node as Record<string, unknown>;
  const type = typeof o.type === 'string' ? o.type : '';
  const styled = (kind: string, text: unknown): Shown[] => (str(text) ? [{ text, kind, ...(str(o.color) ? { color: o.color } : {}), ...(str(o.weight) ? { weight: o.weight } : {}), ...(header ? { header } : {}) }] : []);
  if (type === 'TextBlock') return styled('TextBlock', o.text);
  if (type === 'TextRun') return styled('TextRun', o.text);
  if (type === 'RichTextBlock') return (o.inlines as unknown[]).flatMap((i) => (typeof i === 'string' ? [{ text: i, kind: 'TextRun' }] : shownTexts(i, header)));
  if (type === 'FactSet') return (o.facts as Array<{ title: string; value: string }>).flatMap((f) => [{ text: f.title, kind: 'fact' }, { text: f.value, kind: 'fact' }]);
  if (type === 'Table') {
    return (o.rows as Array<{ cells: unknown[] }>).flatMap((row, i) => shownTexts(row.cells, o.firstRowAsHeader !== false && i === 0));
  }
  if (type.startsWith('Action.')) return [...(str(o.title) ? [{ text: o.title, kind: 'action title' }] : []), ...shownTexts(o.card)];
  if (type.startsWith('Input.')) {
    const choices = Array.isArray(o.choices) ? (o.choices as Array<{ title: string }>).map((c) => ({ text: c.title, kind: 'choice' })) : [];
    return [...(['label', 'placeholder', 'title'] as const).flatMap((k) => (str(o[k]) ? [{ text: o[k], kind: k }] : [])), ...choices];
  }
  if (type.startsWith('Chart.')) {
    const series = (o.data as Array<{ legend?: string; values?: Array<{ x?: unknown }> }> | undefined) ?? [];
    const labels = [o.title, o.xAxisTitle, o.yAxisTitle, ...series.flatMap((s) => [s.legend, ...(s.values ?? []).map((v) => v.x)])].filter(str);
    return [...labels.map((text) => ({ text, kind: 'chart' })), ...shownTexts(o.fallback)];
  }
  // Containers, columns, cells, action sets and the card itself: what they hold, never the data actions carry.
  return Object.entries(o).filter(([k]) => !['data', 'refresh', 'msteams', 'value', 'url', 'id', 'verb'].includes(k)).flatMap(([, v]) => shownTexts(v, header));
}

/** The text with its typed-command hints taken out: there a person must type the id, and may type a date. */
const outsideHints = (s: string) => s.replace(COMMAND_HINT, '`…`');

const CODES = new RegExp(`(?<![A-Za-z0-9_])(?:${FLAG_CODES.join('|')})(?![A-Za-z0-9_])|\\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\\b`);
const idPattern = (id: string) => new RegExp(`(?<![\\p{L}\\p{N}_-])${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}_-])`, 'u');
const IDS = SAMPLE_IDS.map((id) => [id, idPattern(id)] as const);
const ISO_DATE = /\d{4}-\d{2}-\d{2}/;
const LABEL_MAX = 40;

/** Each rule: what it asks, and the problems it finds in one card (empty when there are none). */
const RULES: Record<string, { title: string; problems: (card: Record<string, unknown>) => string[] }> = {
  codes: {
    title: 'shows plain words, never a code',
    problems: (c) => shownTexts(c).filter((s) => CODES.test(s.text)).map((s) => `${s.kind}: ${s.text}`),
  },
  ids: {
    title: 'names forces and panels by name: an id only where a person must type it',
    problems: (c) => shownTexts(c).flatMap((s) => IDS.filter(([, re]) => re.test(outsideHints(s.text))).map(([id]) => `${s.kind} shows "${id}": ${s.text}`)),
  },
  dates: {
    title: 'writes dates as people write them',
    problems: (c) => shownTexts(c).filter((s) => ISO_DATE.test(outsideHints(s.text))).map((s) => `${s.kind}: ${s.text}`),
  },
  brackets: {
    title: 'shows no angle bracket, which Teams shows as &lt; or &gt;',
    problems: (c) => shownTexts(c).filter((s) => /(?<!\\)[<>]|&(?:lt|gt|amp);/.test(s.text.replace(/<\/?at>/g, ''))).map((s) => `${s.kind}: ${s.text}`),
  },
  contrast: {
    title: 'colours only short bold labels, never Warning',
    problems: (c) => shownTexts(c).flatMap((s) => {
      const color = s.color?.toLowerCase();
      if (!color || ['default', 'dark', 'light'].includes(color)) return [];
      if (color === 'warning') return [`${s.kind} in Warning: ${s.text}`];
      const label = s.header || (s.text.length <= LABEL_MAX && s.weight?.toLowerCase() === 'bolder');
      return label ? [] : [`${s.kind} in ${s.color}, not a short bold label: ${s.text}`];
    }),
  },
  columns: {
    title: 'makes no table column narrower than its header',
    problems: (c) => tables(c).flatMap((t) => {
      const widths = t.columns.map((col) => (typeof col.width === 'number' ? col.width : 1));
      const total = widths.reduce((a, b) => a + b, 0);
      const headers = (t.rows[0]?.cells ?? []).map((cell) => shownTexts(cell).map((s) => s.text).join(' '));
      return headers.flatMap((h, i) => {
        const room = ((widths[i] ?? 1) / total) * COLUMN_CHARS - CELL_PADDING_CHARS;
        const word = h.split(/\s+/).reduce((a, b) => (b.length > a.length ? b : a), '');
        return word.length > room ? [`column "${h}" has room for ${room.toFixed(1)} characters, its header's "${word}" needs ${word.length}`] : [];
      });
    }),
  },
};

type TableJson = { columns: Array<{ width?: unknown }>; rows: Array<{ cells: unknown[] }> };
function tables(node: unknown): TableJson[] {
  if (Array.isArray(node)) return node.flatMap(tables);
  if (!node || typeof node !== 'object') return [];
  const o = node as Record<string, unknown>;
  return [...(o.type === 'Table' ? [o as unknown as TableJson] : []), ...Object.values(o).flatMap(tables)];
}

/**
 * Cards whose builders are not this file's owner's to change, that break a rule today, and whose owners were asked
 * (issue 18) to fix them. Each runs as `it.fails`: when the fix lands it fails, and its entry comes out of here.
 */
const PENDING: Record<string, string> = {};

const byBuilder = new Map<string, CardSample[]>();
for (const s of SAMPLES) byBuilder.set(s.builder, [...(byBuilder.get(s.builder) ?? []), s]);

describe('every card the bot sends', () => {
  for (const { builder, name, build } of SAMPLES) {
    it(`${builder}: ${name} parses with no events and stays under 28 KB`, () => {
      const card = build();
      expect(cardProblems(card)).toEqual([]);
      expect(cardBytes(card)).toBeLessThan(LIMIT);
    });
  }

  for (const [builder, samples] of byBuilder) {
    for (const [rule, { title, problems }] of Object.entries(RULES)) {
      const pending = PENDING[`${builder} ${rule}`];
      (pending ? it.fails : it)(`${builder} ${title}${pending ? ` (pending: ${pending})` : ''}`, () => {
        expect(samples.flatMap((s) => problems(s.build()).map((p) => `${s.name}: ${p}`))).toEqual([]);
      });
    }
  }

  it('has samples of every card builder exported from cards/*.ts', () => {
    const dir = new URL('./', import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    const builders = files.flatMap((f) => [...readFileSync(new URL(f, dir), 'utf8').matchAll(/^export function (\w+Card)\(/gm)].map((m) => m[1]!));
    expect(builders.filter((b) => !byBuilder.has(b))).toEqual([]);
    expect(builders.length).toBeGreaterThanOrEqual(12);
  });

  it('lists only pending rules that exist', () => {
    const known = new Set([...byBuilder.keys()].flatMap((b) => Object.keys(RULES).map((r) => `${b} ${r}`)));
    expect(Object.keys(PENDING).filter((k) => !known.has(k))).toEqual([]);
  });
});

describe('the rules themselves', () => {
  const cell = (t: string) => ({ type: 'TableCell', items: [{ type: 'TextBlock', text: t }] });
  const bad = {
    type: 'AdaptiveCard',
    body: [
      { type: 'TextBlock', text: 'Flags: NO_NOMINATION, ATTENDANCE_UNR' },
      { type: 'TextBlock', text: 'Type `subscribe <panel or force id>` for one of them.' },
      { type: 'TextBlock', text: 'cambs has named nobody by 2027-03-29' },
      { type: 'FactSet', facts: [{ title: 'When', value: '2027-03-29T10:00:00+01:00' }] },
      { type: 'TextBlock', text: 'Not confirmed as able to make decisions.', color: 'Warning' },
      { type: 'TextBlock', text: 'Ok', color: 'warning', weight: 'Bolder' },
      { type: 'TextBlock', text: 'This meeting was cancelled. Nothing more is needed.', color: 'Attention', weight: 'Bolder' },
      { type: 'TextBlock', text: 'Recorded.', color: 'Good' },
      { type: 'Table', columns: [{ width: 8 }, { width: 1 }], rows: [{ cells: [cell('Panel'), cell('Unrecorded')] }] },
      { type: 'ActionSet', actions: [{ type: 'Action.Execute', title: 'Name attendee (cambs)', verb: 'x', data: { forceId: 'cambs', at: '2027-03-29' } }] },
    ],
  };
  const good = {
    type: 'AdaptiveCard',
    body: [
      { type: 'TextBlock', text: 'Cambridgeshire Constabulary (`link force cambs`); `attendance cambs 2026-01-01`' },
      { type: 'TextBlock', text: 'Recorded.', color: 'Good', weight: 'Bolder' },
      { type: 'TextBlock', text: String.raw`Sam \<b\> Price` },
      { type: 'Container', style: 'warning', items: [{ type: 'TextBlock', text: 'Not confirmed as able to make decisions on behalf of the force.' }] },
      { type: 'Table', columns: [{ width: 3 }, { width: 2 }], firstRowAsHeader: true, rows: [{ cells: [{ type: 'TableCell', items: [{ type: 'TextBlock', text: 'Decision maker (of due)', color: 'Accent', weight: 'Bolder' }] }, cell('Flags')] }] },
      { type: 'ActionSet', actions: [{ type: 'Action.Execute', title: 'Name attendee', verb: 'x', data: { forceId: 'cambs', at: '2027-03-29' } }] },
    ],
  };

  it('finds each kind of problem', () => {
    const found = Object.fromEntries(Object.entries(RULES).map(([rule, r]) => [rule, r.problems(bad).length]));
    expect(found).toEqual({ codes: 1, ids: 2, dates: 2, brackets: 1, contrast: 4, columns: 1 });
  });

  it('passes names with a command hint, short bold labels, styled containers and wide enough columns', () => {
    for (const r of Object.values(RULES)) expect(r.problems(good)).toEqual([]);
  });
});
