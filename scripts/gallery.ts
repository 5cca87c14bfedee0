import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM } from '../test/support/playground.js';
import type { CardSample } from '../test/support/card-samples.js';

// `npm run cards:gallery`: card samples (test/support/card-samples.ts, the ones cards/every-card.test.ts checks)
// rendered by the Adaptive Cards SDK in Debian's Chromium, light and dark, at a Teams card width, into one page
// (index.html, which renders itself again when opened) and one PNG per card and theme. Everything the page needs
// is inlined, so it works offline and the browser fetches nothing.

export const THEMES = ['light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

/** What the SDK said about one sample in one theme, and the picture of it. */
export interface GalleryCard {
  builder: string;
  name: string;
  theme: Theme;
  png: string;
  /** Every parse and validation message of the SDK. */
  events: string[];
  /** The messages that are not Teams features the SDK does not know: a card with any of these is broken. */
  problems: string[];
  rendered: boolean;
}

const require = createRequire(import.meta.url);
const here = (file: string) => readFileSync(new URL(file, import.meta.url), 'utf8');

/** Teams' person picker: the SDK knows neither its dynamic choices nor a picker with no static ones. */
const PICKER = [/"choices\.data" is supported in version 1\.6/.source, /An Input\.ChoiceSet must have at least one choice defined/.source];
/** Teams' chart element: accepted only where every chart in the card has a fallback the SDK can draw. */
const CHART = /^Unknown element type "Chart\.VerticalBar\.Grouped"\. Fallback will be used if present\.$/.source;

/** The messages a sample may draw from the SDK without being broken, as regular expression sources. */
function acceptedFor(card: Record<string, unknown>): string[] {
  let chartWithoutFallback = false;
  JSON.stringify(card, (_k, v) => {
    if (v && typeof v === 'object' && v.type === 'Chart.VerticalBar.Grouped' && !v.fallback) chartWithoutFallback = true;
    return v;
  });
  return chartWithoutFallback ? PICKER : [...PICKER, CHART];
}

/** A sample's card, or, when its builder throws (its arguments changed), a card that says so. */
function build(sample: CardSample): { card: Record<string, unknown>; failure: string | null } {
  try {
    return { card: sample.build(), failure: null };
  } catch (err) {
    const failure = `build failed: ${(err as Error).message}`;
    return { card: { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: failure, color: 'attention', wrap: true }] }, failure };
  }
}

/** JSON that can sit inside a <script> element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/** The whole gallery page, self-contained: the SDK, its stylesheet, the samples and the code that renders them. */
function galleryPage(samples: Array<{ builder: string; name: string; card: Record<string, unknown> }>): string {
  const sdk = readFileSync(require.resolve('adaptivecards/dist/adaptivecards.min.js'), 'utf8');
  const sdkCss = readFileSync(require.resolve('adaptivecards/dist/adaptivecards.css'), 'utf8');
  const data = { themes: THEMES, samples: samples.map((s) => ({ ...s, accepted: acceptedFor(s.card) })) };
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Channel panel bot: every card</title>
<style>${sdkCss}</style><style>${here('./gallery.css')}</style></head>
<body><header><h1>Every card the bot sends</h1>
<p>Each card builder's sample output (test/support/card-samples.ts), rendered by the Adaptive Cards SDK for JavaScript with a
Teams-like host config, light and dark, 540 px wide. Teams' own renderer differs in details: its person picker searches
the organisation and shows names (the SDK shows a picked person's id), its chart element is drawn here by the card's
fallback, and Markdown here is a small CommonMark subset.
Grey lines under a card are SDK messages about Teams features the SDK does not know; red lines are real problems.</p></header>
<main id="cards"></main>
<script>${sdk.replace(/<\/script/gi, '<\\/script')}</script>
<script>window.GALLERY = ${scriptJson(data)};</script>
<script>${here('./gallery-browser.js')}</script>
</body></html>
`;
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);

/** Writes `dir`/index.html and a PNG per sample and theme (emptying `dir` first), and returns what the SDK said. */
export async function renderGallery(samples: CardSample[], dir: string): Promise<GalleryCard[]> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium); .ci/run does`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const index = join(dir, 'index.html');
  const built = samples.map(build);
  writeFileSync(index, galleryPage(samples.map((s, i) => ({ builder: s.builder, name: s.name, card: built[i]!.card }))));
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // Offline by construction: a card that asks for anything from the network (an image URL, a font) gets nothing.
    await page.route((url) => url.protocol !== 'file:', (route) => route.abort());
    await page.goto(pathToFileURL(index).href);
    // Expressions as text: the page has no TypeScript, and this file is compiled without the DOM's types.
    await page.waitForFunction('window.galleryResults !== undefined');
    const results = (await page.evaluate('window.galleryResults')) as Array<{ index: number; theme: Theme; events: string[]; rendered: boolean }>;
    const cards: GalleryCard[] = [];
    for (const r of results) {
      const sample = samples[r.index]!;
      const { card, failure } = built[r.index]!;
      const png = join(dir, `${String(r.index + 1).padStart(2, '0')}-${slug(sample.builder)}-${slug(sample.name)}-${r.theme}.png`);
      await page.locator(`[data-shot="${r.theme}-${r.index}"]`).screenshot({ path: png });
      const accepted = acceptedFor(card).map((s) => new RegExp(s));
      const problems = [...(failure ? [failure] : []), ...r.events.filter((m) => !accepted.some((re) => re.test(m)))];
      cards.push({ builder: sample.builder, name: sample.name, theme: r.theme, png, events: r.events, problems, rendered: r.rendered });
    }
    return cards;
  } finally {
    await browser.close();
  }
}
