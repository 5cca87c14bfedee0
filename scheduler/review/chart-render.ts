import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { renderAsync } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { CHART_FONT } from './chart.js';
import { textWidths } from './font-widths.js';

/** Twice the size Teams shows it, for sharp text on high-density screens (Teams accepts up to 1024 by 1024). */
const SCALE = 2;

interface TextItem {
  fontSize?: number;
  fontWeight?: string | number;
  limit?: number;
}
type Fonts = { files: string[]; width: (item: TextItem, text: unknown) => number };
let fonts: Fonts | undefined;

/**
 * The font comes from the dejavu-fonts-ttf package, never the system: a server or CI machine may have no fonts, and
 * resvg then draws no text at all. Read on first use, not at import; its widths are what vega lays the chart out by.
 */
function chartFonts(): Fonts {
  if (fonts) return fonts;
  const dir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  const [regular, bold] = [join(dir, 'DejaVuSans.ttf'), join(dir, 'DejaVuSans-Bold.ttf')];
  const [plain, heavy] = [textWidths(readFileSync(regular)), textWidths(readFileSync(bold))];
  const width = (item: TextItem, text: unknown) => {
    const size = item.fontSize ?? 11;
    const isBold = item.fontWeight === 'bold' || Number(item.fontWeight) >= 600;
    const w = (isBold ? heavy : plain)(text == null ? '' : String(text).trim()) * size;
    // Vega truncates text longer than its limit with an ellipsis, so what it draws is never wider than that.
    return item.limit && item.limit > 0 ? Math.min(w, item.limit) : w;
  };
  return (fonts = { files: [regular, bold], width });
}

/** Vega's hook for measuring text without a canvas (vl-convert sets it the same way); the default guesses 0.8 em a letter. */
const metrics = (vega as unknown as { textMetrics: { width: Fonts['width'] } }).textMetrics;

/** The chart as SVG at the size Teams shows it: vega lays it out headless (no canvas, no DOM, no network). */
export async function chartSvg(spec: TopLevelSpec): Promise<string> {
  metrics.width = chartFonts().width;
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The chart as PNG at twice its size, text drawn with the bundled font only. Rendered off the event loop. */
export async function chartPng(spec: TopLevelSpec): Promise<Buffer> {
  const image = await renderAsync(await chartSvg(spec), {
    fitTo: { mode: 'zoom', value: SCALE },
    font: { fontFiles: chartFonts().files, loadSystemFonts: false, defaultFontFamily: CHART_FONT, sansSerifFamily: CHART_FONT },
    background: '#ffffff',
  });
  return image.asPng();
}
