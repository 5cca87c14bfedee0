// `npm run cards:gallery [DIR]`: every card builder's samples (test/support/card-samples.ts) rendered by the Adaptive
// Cards SDK in Chromium, light and dark, into DIR/index.html and a PNG per card and theme (default test/artifacts/cards,
// git-ignored). Exits 1 naming each card whose builder threw or that the SDK could not parse or render cleanly.
import { relative, resolve } from 'node:path';
import { SAMPLES } from '../test/support/card-samples.js';
import { renderGallery } from './gallery.js';

const dir = resolve(process.argv[2] ?? 'test/artifacts/cards');
const cards = await renderGallery(SAMPLES, dir);
const broken = cards.filter((c) => !c.rendered || c.problems.length > 0);
for (const c of broken) process.stderr.write(`cards:gallery: ${c.builder} (${c.name}, ${c.theme}): ${[...c.problems, ...(c.rendered ? [] : ['did not render'])].join('; ')}\n`);
process.stdout.write(`${cards.length / 2} cards, light and dark: ${relative(process.cwd(), dir) || '.'}/index.html and ${cards.length} PNGs\n`);
process.exitCode = broken.length ? 1 : 0;
