import { cleanText } from '../scheduler/domain/text.js';
import type { CardElement } from './format.js';

/** A plain Adaptive Card Table (schema 1.5): a header row, then one row of short texts per entry. */
export function table(headers: string[], rows: string[][], widths: number[] = headers.map(() => 1)): CardElement {
  const cell = (t: string, bold = false) => ({ type: 'TableCell', items: [{ type: 'TextBlock', text: t, wrap: true, size: 'Small', ...(bold ? { weight: 'Bolder' } : {}) }] });
  return {
    type: 'Table',
    columns: widths.map((width) => ({ width })),
    firstRowAsHeader: true,
    showGridLines: false,
    rows: [headers, ...rows].map((r, i) => ({ type: 'TableRow', cells: r.map((t) => cell(t, i === 0)) })),
  };
}

/** Choices for a force-or-panel filter (plain-text titles, not Markdown); panels are left out when there are too many for a card. */
export function scopeChoices(forces: Array<{ id: string; name: string }>, panels: Array<{ id: string; name: string }>, maxPanels = 30): Array<{ title: string; value: string }> {
  return [
    { title: 'Everything I may see', value: 'all' },
    ...forces.map((f) => ({ title: cleanText(f.name), value: `force:${f.id}` })),
    ...(panels.length <= maxPanels ? panels.map((p) => ({ title: cleanText(p.name), value: `panel:${p.id}` })) : []),
  ];
}
