import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderGallery, THEMES, type GalleryCard } from '../scripts/gallery.js';
import { SAMPLES, type CardSample } from './support/card-samples.js';

// `npm run cards:gallery` in Debian's Chromium: a sample of every card builder renders through the Adaptive Cards SDK
// in both themes with nothing but the SDK's known complaints about Teams-only features, and the page and pictures are
// written. One sample a builder keeps it quick; cards/every-card.test.ts parses every sample with the SDK in Node.

/** The first sample of each builder. */
const ONE_EACH = SAMPLES.filter((s, i) => SAMPLES.findIndex((t) => t.builder === s.builder) === i);

/** Proof that the gallery reports problems rather than hiding them: an element the SDK does not know, and a builder that throws. */
const BROKEN: CardSample[] = [
  { builder: 'broken', name: 'an element the SDK does not know', build: () => ({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Before' }, { type: 'Table.Unknown' }] }) },
  {
    builder: 'broken',
    name: 'a builder whose arguments changed',
    build: () => {
      throw new TypeError("Cannot read properties of undefined (reading 'length')");
    },
  },
];

/** Width and height from a PNG's header. */
function pngSize(file: string): { width: number; height: number } {
  const b = readFileSync(file);
  expect(b.subarray(1, 4).toString()).toBe('PNG');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

describe('the card gallery', () => {
  let dir: string;
  let cards: GalleryCard[];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'panel-bot-gallery-'));
    cards = await renderGallery([...ONE_EACH, ...BROKEN], dir);
  }, 240_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('renders a sample of every builder in both themes without a parse or validation problem', () => {
    const samples = cards.filter((c) => c.builder !== 'broken');
    expect(samples).toHaveLength(ONE_EACH.length * THEMES.length);
    expect(samples.filter((c) => !c.rendered || c.problems.length).map((c) => `${c.builder} (${c.name}, ${c.theme}): ${c.problems.join('; ')}`)).toEqual([]);
  });

  it('reports a card the SDK cannot parse and a builder that throws, in each theme', () => {
    const broken = cards.filter((c) => c.builder === 'broken');
    expect(broken.map((c) => [c.name, c.problems])).toEqual([
      ...THEMES.map(() => ['an element the SDK does not know', [expect.stringContaining('"Table.Unknown"')]]),
      ...THEMES.map(() => ['a builder whose arguments changed', ["build failed: Cannot read properties of undefined (reading 'length')"]]),
    ]);
  });

  it('writes one self-contained page and a picture of each card and theme at the Teams card width', () => {
    const files = readdirSync(dir);
    expect(files.filter((f) => f.endsWith('.png'))).toHaveLength(cards.length);
    for (const c of cards) {
      const { width, height } = pngSize(c.png);
      expect(width, c.png).toBe(540);
      expect(height, c.png).toBeGreaterThan(40);
    }
    const page = readFileSync(join(dir, 'index.html'), 'utf8');
    // The SDK and everything else inlined: nothing is fetched, from a network or from disk.
    expect(page).not.toMatch(/<(script|link|img)[^>]+(src|href)=/);
    for (const s of ONE_EACH) expect(page).toContain(JSON.stringify(s.name).slice(1, -1));
  });
});
