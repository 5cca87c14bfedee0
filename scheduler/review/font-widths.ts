/**
 * How wide text is in a TrueType font, in ems, from the font's own advance widths (its `cmap` format 4 and `hmtx`
 * tables); kerning is left out, which errs a little wide. Vega measures text to lay out a chart, and without a canvas
 * it guesses 0.8 em a character: far wider than DejaVu Sans, so legends were cut short and the bars squeezed.
 */
export function textWidths(ttf: Buffer): (text: string) => number {
  const tables = new Map<string, number>();
  for (let i = 0; i < ttf.readUInt16BE(4); i++) tables.set(ttf.toString('latin1', 12 + 16 * i, 16 + 16 * i), ttf.readUInt32BE(20 + 16 * i));
  const at = (tag: string) => {
    const offset = tables.get(tag);
    if (offset === undefined) throw new Error(`font has no ${tag} table`);
    return offset;
  };
  const unitsPerEm = ttf.readUInt16BE(at('head') + 18);
  const metrics = ttf.readUInt16BE(at('hhea') + 34);
  const hmtx = at('hmtx');
  const advance = (glyph: number) => ttf.readUInt16BE(hmtx + 4 * Math.min(glyph, metrics - 1));
  const glyphOf = cmap4(ttf, at('cmap'));
  const cache = new Map<number, number>();
  const em = (code: number) => {
    let w = cache.get(code);
    if (w === undefined) cache.set(code, (w = advance(glyphOf(code)) / unitsPerEm));
    return w;
  };
  return (text) => {
    let sum = 0;
    for (const ch of text) sum += em(ch.codePointAt(0)!);
    return sum;
  };
}

/** The glyph for a character from the Windows Unicode (3, 1) format 4 subtable; 0 (the missing glyph) otherwise. */
function cmap4(ttf: Buffer, cmap: number): (code: number) => number {
  let sub = -1;
  for (let i = 0; i < ttf.readUInt16BE(cmap + 2); i++) {
    const rec = cmap + 4 + 8 * i;
    if (ttf.readUInt16BE(rec) === 3 && ttf.readUInt16BE(rec + 2) === 1) sub = cmap + ttf.readUInt32BE(rec + 4);
  }
  if (sub < 0 || ttf.readUInt16BE(sub) !== 4) throw new Error('font has no Unicode format 4 cmap');
  const segs = ttf.readUInt16BE(sub + 6) / 2;
  const [ends, starts] = [sub + 14, sub + 16 + 2 * segs];
  const [deltas, ranges] = [starts + 2 * segs, starts + 4 * segs];
  return (code) => {
    if (code > 0xffff) return 0;
    for (let s = 0; s < segs; s++) {
      if (ttf.readUInt16BE(ends + 2 * s) < code) continue;
      const start = ttf.readUInt16BE(starts + 2 * s);
      if (start > code) return 0;
      const range = ttf.readUInt16BE(ranges + 2 * s);
      const delta = ttf.readUInt16BE(deltas + 2 * s);
      if (!range) return (code + delta) & 0xffff;
      const glyph = ttf.readUInt16BE(ranges + 2 * s + range + 2 * (code - start));
      return glyph ? (glyph + delta) & 0xffff : 0;
    }
    return 0;
  };
}
