import PDFDocument from 'pdfkit';
import type { Block, Column, ReviewDocument, Section } from './blocks.js';
import type { Run } from './definitions.js';
import { faceFiles, type Face } from './fonts.js';
import { pngSize } from './png.js';

type Pdf = PDFKit.PDFDocument;

const MARGIN = { top: 64, bottom: 64, left: 54, right: 54 };
type Layout = 'portrait' | 'landscape';
const INK = { text: '#1a1a1a', subtle: '#555555', rule: '#b5b5b5', band: '#e9e9e9' };
const SIZE = { body: 10, lead: 13, subtle: 9, mono: 8, cell: 7.5, facts: 9.5, title: 22, section: 16, heading: 12, marking: 9 };
const PAD = 3;

const contentWidth = (pdf: Pdf) => pdf.page.width - MARGIN.left - MARGIN.right;
const bottom = (pdf: Pdf) => pdf.page.height - MARGIN.bottom;
const use = (pdf: Pdf, face: Face, size: number, colour = INK.text) => pdf.font(face).fontSize(size).fillColor(colour);

/** A new page, the way this one lies unless told (a wide table's pages are landscape). */
const newPage = (pdf: Pdf, layout = pdf.page.layout as Layout) => pdf.addPage({ size: 'A4', margins: MARGIN, layout });

/** A new page unless `height` still fits on this one. */
function room(pdf: Pdf, height: number): void {
  if (pdf.y + height > bottom(pdf)) newPage(pdf);
}

/** Runs of one paragraph, bold where marked, wrapped to `width` from `x`. */
function runs(pdf: Pdf, parts: Run[], x: number, width: number, face: Face, size: number, colour = INK.text): void {
  pdf.x = x;
  parts.forEach((r, i) => {
    use(pdf, r.bold ? 'bold' : face, size, colour).text(r.text, { width, continued: i < parts.length - 1 });
  });
}

function paragraph(pdf: Pdf, block: Extract<Block, { kind: 'paragraph' }>): void {
  const style = block.style;
  const [face, size, colour]: [Face, number, string] =
    style === 'lead' ? ['bold', SIZE.lead, INK.text] : style === 'subtle' ? ['body', SIZE.subtle, INK.subtle] : style === 'mono' ? ['mono', SIZE.mono, INK.text] : ['body', SIZE.body, INK.text];
  room(pdf, size * 2.5);
  runs(pdf, block.runs, MARGIN.left, contentWidth(pdf), face, size, colour);
  pdf.moveDown(style === 'mono' ? 0.6 : 0.5);
}

function bullets(pdf: Pdf, items: Run[][]): void {
  const indent = 14;
  for (const item of items) {
    room(pdf, SIZE.body * 1.5);
    const y = pdf.y;
    use(pdf, 'body', SIZE.body).text('•', MARGIN.left + 3, y, { lineBreak: false });
    pdf.y = y;
    runs(pdf, item, MARGIN.left + indent, contentWidth(pdf) - indent, 'body', SIZE.body);
    pdf.moveDown(0.25);
  }
  pdf.moveDown(0.4);
}

interface Grid {
  columns: Column[];
  rows: string[][];
  header: boolean;
  face: Face;
  boldFace: Face;
  size: number;
  /** Rows drawn bold: the total, or the facts' labels' column. */
  boldRow?: (i: number) => boolean;
  boldColumn?: number;
}

/** A table drawn cell by cell: rows never split, and the header is drawn again at the top of every page it runs onto. */
function grid(pdf: Pdf, g: Grid): void {
  const width = contentWidth(pdf);
  const sum = g.columns.reduce((s, c) => s + c.weight, 0);
  const widths = g.columns.map((c) => (c.weight / sum) * width);
  const faceOf = (bold: boolean) => (bold ? g.boldFace : g.face);
  const heightOf = (row: string[], bold: (col: number) => boolean) =>
    Math.max(...row.map((text, c) => use(pdf, faceOf(bold(c)), g.size).heightOfString(text || ' ', { width: widths[c]! - 2 * PAD }))) + 2 * PAD;
  const draw = (row: string[], bold: (col: number) => boolean, band: boolean) => {
    const h = heightOf(row, bold);
    const y = pdf.y;
    if (band) pdf.rect(MARGIN.left, y, width, h).fill(INK.band);
    let x = MARGIN.left;
    row.forEach((text, c) => {
      use(pdf, faceOf(bold(c)), g.size).text(text, x + PAD, y + PAD, { width: widths[c]! - 2 * PAD, align: g.columns[c]!.numeric ? 'right' : 'left' });
      x += widths[c]!;
    });
    pdf.moveTo(MARGIN.left, y + h).lineTo(MARGIN.left + width, y + h).lineWidth(0.4).strokeColor(INK.rule).stroke();
    pdf.y = y + h;
  };
  const titles = g.columns.map((c) => c.title);
  const header = () => g.header && draw(titles, () => true, true);
  const headerHeight = g.header ? heightOf(titles, () => true) : 0;
  room(pdf, headerHeight + (g.rows[0] ? heightOf(g.rows[0], () => false) : 0));
  header();
  g.rows.forEach((row, i) => {
    const bold = (c: number) => !!g.boldRow?.(i) || c === g.boldColumn;
    if (pdf.y + heightOf(row, bold) > bottom(pdf)) {
      newPage(pdf);
      header();
    }
    draw(row, bold, false);
  });
  pdf.x = MARGIN.left;
  pdf.moveDown(0.8);
}

/** The chart at the size Teams shows it (the PNG is drawn at twice that), or narrower when the page is. */
function chartSize(pdf: Pdf, png: Buffer): { w: number; h: number } {
  const { width, height } = pngSize(png);
  const w = Math.min(contentWidth(pdf), width / 2);
  return { w, h: (height / width) * w };
}

function chart(pdf: Pdf, png: Buffer): void {
  const { w, h } = chartSize(pdf, png);
  room(pdf, h);
  pdf.image(png, MARGIN.left, pdf.y, { width: w, height: h });
  pdf.y += h + 8;
  pdf.x = MARGIN.left;
}

function block(pdf: Pdf, b: Block, chartPng: Buffer): void {
  if (b.kind === 'heading') {
    room(pdf, 80); // a heading stays with what follows it
    use(pdf, 'bold', SIZE.heading).text(b.text, MARGIN.left, pdf.y, { width: contentWidth(pdf) });
    pdf.moveDown(0.3);
  } else if (b.kind === 'paragraph') paragraph(pdf, b);
  else if (b.kind === 'bullets') bullets(pdf, b.items);
  else if (b.kind === 'facts') grid(pdf, { columns: [{ title: '', weight: 2 }, { title: '', weight: 3 }], rows: b.rows, header: false, face: 'body', boldFace: 'bold', size: SIZE.facts, boldColumn: 0 });
  else if (b.kind === 'table') grid(pdf, { columns: b.columns, rows: b.rows, header: true, face: 'cell', boldFace: 'cellBold', size: SIZE.cell, boldRow: (i) => !!b.lastIsTotal && i === b.rows.length - 1 });
  else chart(pdf, chartPng);
}

function section(pdf: Pdf, s: Section, chartPng: Buffer): void {
  const layout: Layout = s.landscape ? 'landscape' : 'portrait';
  // A title is never left at the foot of a page: it keeps the start of its section (the whole chart) with it.
  if (s.newPage || layout !== pdf.page.layout) newPage(pdf, layout);
  else room(pdf, 40 + (s.blocks[0]?.kind === 'chart' ? chartSize(pdf, chartPng).h : 120));
  use(pdf, 'bold', SIZE.section).text(s.title, MARGIN.left, pdf.y, { width: contentWidth(pdf) });
  pdf.moveDown(0.5);
  for (const b of s.blocks) block(pdf, b, chartPng);
  pdf.moveDown(0.6);
}

function cover(pdf: Pdf, doc: ReviewDocument): void {
  pdf.y = 150;
  const [title, ...lines] = doc.cover.lines;
  use(pdf, 'bold', SIZE.title).text(title ?? '', MARGIN.left, pdf.y, { width: contentWidth(pdf) });
  pdf.moveDown(0.4);
  for (const line of lines) use(pdf, 'body', SIZE.heading, INK.subtle).text(line, { width: contentWidth(pdf) });
  pdf.moveDown(2);
  grid(pdf, { columns: [{ title: '', weight: 2 }, { title: '', weight: 3 }], rows: doc.cover.facts, header: false, face: 'body', boldFace: 'bold', size: SIZE.body + 1, boldColumn: 0 });
  pdf.moveDown(1);
  paragraph(pdf, { kind: 'paragraph', runs: [{ text: doc.cover.note, bold: false }], style: 'subtle' });
}

/** The marking at the top and foot of every page, and the page number: drawn last, over every buffered page. */
function markPages(pdf: Pdf, marking: string): void {
  const { start, count } = pdf.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    pdf.switchToPage(i);
    const width = contentWidth(pdf);
    // Drawn inside the margins: with the bottom margin in place pdfkit would start a new page for the footer.
    pdf.page.margins.bottom = 0;
    use(pdf, 'bold', SIZE.marking).text(marking, MARGIN.left, 28, { width, align: 'center', lineBreak: false });
    use(pdf, 'bold', SIZE.marking).text(marking, MARGIN.left, pdf.page.height - 40, { width, align: 'center', lineBreak: false });
    use(pdf, 'body', SIZE.marking - 1, INK.subtle).text(`Page ${i - start + 1} of ${count}`, MARGIN.left, pdf.page.height - 40, { width, align: 'right', lineBreak: false });
    pdf.page.margins.bottom = MARGIN.bottom;
  }
}

/**
 * The document as PDF (A4), set in the bundled DejaVu faces so its text extracts as written. The same inputs give
 * the same bytes: the creation date is the instant the document was made, and pdfkit derives the file id from it.
 */
export function renderPdf(doc: ReviewDocument, chartPng: Buffer, producedAt: string): Promise<Buffer> {
  const made = new Date(producedAt);
  const pdf = new PDFDocument({
    size: 'A4', margins: MARGIN, bufferPages: true, autoFirstPage: true, lang: 'en-GB', displayTitle: true,
    info: { Title: doc.title, Subject: doc.marking, Keywords: doc.marking, Creator: 'Channel panel bot', CreationDate: made, ModDate: made },
  });
  for (const [face, file] of Object.entries(faceFiles())) pdf.registerFont(face, file);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (c: Buffer) => chunks.push(c));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  cover(pdf, doc);
  for (const s of doc.sections) section(pdf, s, chartPng);
  markPages(pdf, doc.marking);
  pdf.end();
  return done;
}
