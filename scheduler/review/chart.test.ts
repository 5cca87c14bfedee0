import { describe, expect, it } from 'vitest';
import { compile } from 'vega-lite';
import { CHART_COLOURS, chartBuckets, chartSeries, chartSpec, reviewChartSpec } from './chart.js';
import type { MonthFigures, Review } from './review.js';

const month = (i: number, start = 2016) => `${start + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
const decade: MonthFigures[] = Array.from({ length: 120 }, (_, i) => ({ month: month(i), held: 30, cancelled: 3, notHeld: 1, unrecorded: 2, decisionMakerPresent: 25 }));
const year: MonthFigures[] = Array.from({ length: 12 }, (_, i) => ({ month: month(i + 5, 2025), held: 5, cancelled: 1, notHeld: 0, unrecorded: i % 3, decisionMakerPresent: 2 }));
/** Issue 18's case: at most three meetings a month. */
const quiet: MonthFigures[] = year.map((m, i) => ({ ...m, held: i % 2, cancelled: 0, unrecorded: i === 3 ? 3 : 0, decisionMakerPresent: i % 2 }));

type Spec = { title: { text: string; subtitle: string }; data: { values: Array<{ label: string; outcome: string; meetings: number }> }; encoding: Record<string, any> };
const spec = (months: MonthFigures[]) => chartSpec(months, 'Hampshire and Isle of Wight Constabulary, 1 Jun 2025 to 31 May 2026') as unknown as Spec;
/** Every string anywhere in a value. */
const strings = (v: unknown): string[] => (typeof v === 'string' ? [v] : v && typeof v === 'object' ? Object.values(v).flatMap(strings) : []);
/** WCAG 2 contrast of a #rrggbb colour against white. */
function contrastOnWhite(hex: string): number {
  const lin = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 1.05 / (0.2126 * lin[0]! + 0.7152 * lin[1]! + 0.0722 * lin[2]! + 0.05);
}

describe('chartBuckets', () => {
  it('groups a long period into at most 24 bars named in month words, losing no meeting', () => {
    const bars = chartBuckets(decade);
    expect(bars).toHaveLength(24);
    expect(bars.slice(0, 3).map((b) => b.label)).toEqual(['Jan–May 2016', 'Jun–Oct 2016', 'Nov 2016–Mar 2017']);
    expect(bars.reduce((s, b) => s + b.held, 0)).toBe(120 * 30);
    expect(bars.reduce((s, b) => s + b.unrecorded, 0)).toBe(120 * 2);
    expect(bars.reduce((s, b) => s + b.notHeld, 0)).toBe(120);
  });

  it('names months in words: a year shows its year on the first bar and on January; longer periods on every bar', () => {
    const labels = chartBuckets(year).map((b) => b.label);
    expect(labels).toEqual(['Jun 2025', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec', 'Jan 2026', 'Feb', 'Mar', 'Apr', 'May']);
    const two = chartBuckets(Array.from({ length: 24 }, (_, i) => ({ ...decade[0]!, month: month(i + 6, 2024) }))).map((b) => b.label);
    expect(two[0]).toBe('Jul 2024');
    expect(two[12]).toBe('Jul 2025');
    expect(new Set(two).size).toBe(24);
    for (const label of [...labels, ...two, ...chartBuckets(decade).map((b) => b.label)]) expect(label).not.toMatch(/\d{4}-\d{2}/);
  });
});

describe('the review chart spec', () => {
  // Issue 18: month labels all read "2…", and the y axis went up in steps of 0.25.
  it('has a y axis of whole numbers only, ticks at least one meeting apart', () => {
    for (const months of [quiet, year, decade]) {
      const y = spec(months).encoding.y;
      expect(y.axis).toMatchObject({ format: 'd', tickMinStep: 1, title: 'Meetings' });
      expect(y.type).toBe('quantitative');
    }
    // And vega-lite carries both into the vega spec it compiles.
    const axes = JSON.stringify((compile(chartSpec(quiet, '')).spec as any).axes);
    expect(axes).toContain('"tickMinStep":1');
    expect(axes).toMatch(/format\(datum\.value, ?\\?"d\\?"\)|"format":"d"/);
  });

  it('labels its bars with the month words chartBuckets made, in order, and holds no ISO date', () => {
    for (const months of [quiet, year, decade]) {
      const s = spec(months);
      const labels = chartBuckets(months).map((b) => b.label);
      expect(s.encoding.x.sort).toEqual(labels);
      expect([...new Set(s.data.values.map((v) => v.label))]).toEqual(labels);
      expect(strings(s).filter((t) => /\d{4}-\d{2}/.test(t))).toEqual([]);
      expect(s.encoding.x.type).toBe('nominal');
    }
    // A year's labels stand level on two lines ("Jan" over "2026"); a long period's are turned upright to fit.
    expect(spec(year).encoding.x.axis).toMatchObject({ labelAngle: 0, labelExpr: "split(datum.value, ' ')" });
    expect(spec(decade).encoding.x.axis.labelAngle).toBe(-90);
  });

  it('stacks the outcomes, which never overlap, so each bar is every meeting of its month, in whole meetings', () => {
    const s = spec(year);
    for (const bar of chartBuckets(year)) {
      const total = s.data.values.filter((v) => v.label === bar.label).reduce((n, v) => n + v.meetings, 0);
      expect(total).toBe(bar.held + bar.cancelled + bar.notHeld + bar.unrecorded);
    }
    expect(s.data.values.every((v) => Number.isInteger(v.meetings) && v.meetings >= 0)).toBe(true);
    expect(s.encoding.y.stack).toBe('zero');
    expect(s.encoding.color.legend).toMatchObject({ orient: 'top' });
    // "Did not take place" is in the legend only when some meeting did not take place.
    expect(s.encoding.color.scale.domain).toEqual(['Held, decision maker present', 'Held, no decision maker', 'Cancelled', 'Unrecorded']);
    expect(spec(decade).encoding.color.scale.domain).toContain('Did not take place');
  });

  it('uses colour-blind-safe colours with at least 3:1 contrast against white, and a white background', () => {
    for (const colour of Object.values(CHART_COLOURS)) expect(contrastOnWhite(colour)).toBeGreaterThanOrEqual(3);
    expect(new Set(Object.values(CHART_COLOURS)).size).toBe(5);
    expect(chartSeries(chartBuckets(decade)).map((s) => s.color)).toEqual(Object.values(CHART_COLOURS));
    expect((chartSpec(year, '') as any).background).toBe('#ffffff');
  });

  it('is titled by the span of its bars, under the scope and period in words', () => {
    expect(spec(year).title.text).toBe('Meetings per month');
    expect(spec(decade).title.text).toBe('Meetings per 5 months');
    const review = { scope: { forces: null, panels: null, label: 'all forces' }, from: '2025-05-31T23:00:00.000Z', to: '2026-05-31T23:00:00.000Z', now: '2026-06-02T00:00:00.000Z', months: year } as unknown as Review;
    expect((reviewChartSpec(review) as any).title.subtitle).toBe('all forces, 1 Jun 2025 to 31 May 2026');
  });
});
