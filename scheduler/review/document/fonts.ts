import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The DejaVu faces the PDF is set in: the dejavu-fonts-ttf package's, as the chart's, never a system or downloaded font. */
export const PDF_FACES = {
  body: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  cell: 'DejaVuSansCondensed.ttf',
  cellBold: 'DejaVuSansCondensed-Bold.ttf',
  mono: 'DejaVuSansMono.ttf',
} as const;

export type Face = keyof typeof PDF_FACES;

/** Where each face's file is, resolved when a PDF is first made (never at import). */
export function faceFiles(): Record<Face, string> {
  const dir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  return Object.fromEntries(Object.entries(PDF_FACES).map(([face, file]) => [face, join(dir, file)])) as Record<Face, string>;
}
