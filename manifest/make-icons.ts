import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

/** An RGBA colour, each channel 0..255. */
export type Rgba = readonly [number, number, number, number];
/** The colour of the pixel whose centre is (x + 0.5, y + 0.5). */
export type Painter = (x: number, y: number) => Rgba;

const NAVY: Rgba = [31, 58, 104, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const CLEAR: Rgba = [0, 0, 0, 0];

/** An 8-bit RGBA, non-interlaced PNG of a painted square. */
export function encodePng(size: number, paint: Painter): Buffer {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    const row = y * (size * 4 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < size; x++) raw.set(paint(x, y), row + 1 + x * 4);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type 6 (RGBA), deflate, no filter set, no interlace
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A calendar page with a tick, scaled to a square of `size` pixels; the glyph's own units run 0..32. */
function calendarGlyph(size: number): (x: number, y: number) => boolean {
  const k = size / 32;
  return (px, py) => {
    const x = (px + 0.5) / k;
    const y = (py + 0.5) / k;
    const inBox = x >= 5 && x <= 27 && y >= 7 && y <= 28;
    const frame = inBox && (x <= 7 || x >= 25 || y <= 12 || y >= 26);
    const rings = y >= 4 && y <= 9 && ((x >= 10 && x <= 12.5) || (x >= 19.5 && x <= 22));
    const tick = nearSegment(x, y, [10.5, 19], [14, 22.5]) || nearSegment(x, y, [14, 22.5], [21.5, 15]);
    return frame || rings || tick;
  };
}

function nearSegment(x: number, y: number, [ax, ay]: number[], [bx, by]: number[]): boolean {
  const dx = bx! - ax!;
  const dy = by! - ay!;
  const t = Math.max(0, Math.min(1, ((x - ax!) * dx + (y - ay!) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - (ax! + t * dx), y - (ay! + t * dy)) <= 1.2;
}

function insideRoundedSquare(size: number, radius: number, x: number, y: number): boolean {
  const cx = Math.min(Math.max(x + 0.5, radius), size - radius);
  const cy = Math.min(Math.max(y + 0.5, radius), size - radius);
  return Math.hypot(x + 0.5 - cx, y + 0.5 - cy) <= radius;
}

/** The 192x192 colour icon: a white calendar on a navy rounded square. */
export function colorIcon(): Buffer {
  const glyph = calendarGlyph(128);
  return encodePng(192, (x, y) => {
    if (!insideRoundedSquare(192, 36, x, y)) return CLEAR;
    const gx = x - 32;
    const gy = y - 30;
    return gx >= 0 && gy >= 0 && gx < 128 && gy < 128 && glyph(gx, gy) ? WHITE : NAVY;
  });
}

/** The 32x32 outline icon: the same calendar, white on transparent. */
export function outlineIcon(): Buffer {
  const glyph = calendarGlyph(32);
  return encodePng(32, (x, y) => (glyph(x, y) ? WHITE : CLEAR));
}

// Run directly (`node --import tsx manifest/make-icons.ts`) to regenerate the committed icons.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = fileURLToPath(new URL('.', import.meta.url));
  writeFileSync(`${dir}color.png`, colorIcon());
  writeFileSync(`${dir}outline.png`, outlineIcon());
  process.stdout.write(`wrote ${dir}color.png and ${dir}outline.png\n`);
}
