import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chartSpec } from './chart.js';
import { chartPng, chartSvg } from './chart-render.js';
import { textWidths } from './font-widths.js';
import type { MonthFigures } from './review.js';

const month = (i: number, start = 2016) => `${start + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
const year: MonthFigures[] = Array.from({ length: 12 }, (_, i) => ({ month: month(i + 5, 2025), held: 5, cancelled: 1, notHeld: i === 4 ? 1 : 0, unrecorded: i % 3, decisionMakerPresent: 2 }));
const decade: MonthFigures[] = Array.from({ length: 120 }, (_, i) => ({ month: month(i), held: 30, cancelled: 3, notHeld: 1, unrecorded: 2, decisionMakerPresent: 25 }));
/** Issue 18's case: at most three meetings a month, which drew gridlines at 0.25 of a meeting. */
const quiet: MonthFigures[] = year.map((m, i) => ({ ...m, held: i % 2, cancelled: 0, notHeld: 0, unrecorded: i === 3 ? 2 : 0, decisionMakerPresent: i % 2 }));
const SUBTITLE = 'Hampshire and Isle of Wight Constabulary, 1 Jun 2025 to 31 May 2026';

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const size = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) });
/** The text of every line the SVG draws. */
const texts = (svg: string) => [...svg.matchAll(/<(?:text|tspan)\b[^>]*>([^<]+)</g)].map((m) => m[1]!);

describe('rendering the review chart', () => {
  it('draws a PNG at twice the card width, within the 1024 by 1024 Teams accepts, for a year and for ten years', async () => {
    for (const months of [quiet, year, decade]) {
      const png = await chartPng(chartSpec(months, SUBTITLE));
      expect(png.subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
      const { width, height } = size(png);
      expect(width).toBe(900);
      expect(height).toBeGreaterThan(500);
      expect(height).toBeLessThanOrEqual(1024);
    }
  });

  // Issue 18: the month labels all read "2…", and the y axis went up in steps of 0.25.
  it('labels the months in words and the y axis in whole meetings, truncating nothing', async () => {
    const drawn = texts(await chartSvg(chartSpec(quiet, SUBTITLE)));
    expect(drawn).toEqual(expect.arrayContaining(['Meetings per month', SUBTITLE, 'Meetings', 'Jun', '2025', 'Jul', 'Dec', 'Jan', '2026', 'May']));
    expect(drawn).toEqual(expect.arrayContaining(['Held, decision maker present', 'Held, no decision maker', 'Cancelled', 'Unrecorded']));
    // The y axis's labels: numbers that are not the years under January.
    const ticks = drawn.filter((t) => /^[\d.,]+$/.test(t) && !/^20\d\d$/.test(t));
    expect(ticks).toEqual(['0', '1', '2', '3']);
    expect(drawn.filter((t) => t.includes('…') || /\d{4}-\d{2}/.test(t))).toEqual([]);
    const long = texts(await chartSvg(chartSpec(decade, SUBTITLE)));
    expect(long).toEqual(expect.arrayContaining(['Meetings per 5 months', 'Jan–May 2016', 'Nov 2016–Mar 2017', 'Aug–Dec 2025', 'Did not take place']));
    expect(long.filter((t) => t.includes('…'))).toEqual([]);
    expect(long.filter((t) => /^[\d.,]+$/.test(t)).every((t) => /^\d+$/.test(t))).toBe(true);
  });

  it('draws its text with the bundled font, system fonts unused: only the text differs and the images differ', async () => {
    // Two subtitles of the same layout: without a font both would be drawn as nothing, and the images would be equal.
    const [a, b] = await Promise.all([chartPng(chartSpec(year, 'AAAA')), chartPng(chartSpec(year, 'BBBB'))]);
    expect(size(a)).toEqual(size(b));
    expect(a.equals(b)).toBe(false);
  });
});

describe('textWidths', () => {
  it("reads DejaVu Sans's own advance widths, so vega lays text out as resvg will draw it", () => {
    const file = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf', 'DejaVuSans.ttf');
    const em = textWidths(readFileSync(file));
    expect(em('m')).toBeCloseTo(0.974, 3);
    expect(em('i')).toBeCloseTo(0.278, 3);
    expect(em('2026')).toBeCloseTo(4 * 0.636, 2);
    expect(em('Jan–May')).toBeCloseTo(em('Jan') + em('–') + em('May'), 6);
    // Vega's guess without a canvas is 0.8 em a letter: far too wide for a legend label.
    expect(em('Held, decision maker present') / 'Held, decision maker present'.length).toBeLessThan(0.6);
  });
});
