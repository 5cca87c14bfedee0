import {
  AlignmentType, BorderStyle, Document, Footer, Header, HeadingLevel, ImageRun, Packer, PageNumber, PageOrientation, Paragraph, Table, TableCell, TableRow,
  TextRun, WidthType, type ISectionOptions,
} from 'docx';
import type { Block, Column, ReviewDocument, Section } from './blocks.js';
import type { Run } from './definitions.js';
import { pngSize } from './png.js';

/** A4 with 2 cm margins, in twentieths of a point. */
const PAGE = { width: 11_906, height: 16_838, margin: 1_134 };
/** The width text runs across, portrait and landscape. */
const CONTENT = { portrait: PAGE.width - 2 * PAGE.margin, landscape: PAGE.height - 2 * PAGE.margin };
/** Sizes in half-points, as Word counts them. */
const SIZE = { body: 20, lead: 26, subtle: 18, mono: 16, cell: 15, title: 44, marking: 18 };
const FONT = 'Arial';
const MONO = 'Consolas';
const GREY = '555555';
/** The chart's width on the page, in pixels at 96 per inch (6.25 inches). */
const CHART_PX = 600;

const text = (r: Run, extra: { size?: number; color?: string; font?: string } = {}) => new TextRun({ text: r.text, bold: r.bold, ...extra });

function paragraph(b: Extract<Block, { kind: 'paragraph' }>): Paragraph {
  const look =
    b.style === 'lead' ? { size: SIZE.lead } : b.style === 'subtle' ? { size: SIZE.subtle, color: GREY } : b.style === 'mono' ? { size: SIZE.mono, font: MONO } : {};
  const runs = b.runs.map((r) => text(b.style === 'lead' ? { ...r, bold: true } : r, look));
  return new Paragraph({ children: runs, spacing: { after: 120 } });
}

const NO_BORDER = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
const RULE = { style: BorderStyle.SINGLE, size: 2, color: 'B5B5B5' };

function cell(value: string, width: number, opts: { bold: boolean; numeric: boolean; size: number; band: boolean; ruled: boolean }): TableCell {
  return new TableCell({
    width: { size: width, type: WidthType.DXA },
    margins: { top: 40, bottom: 40, left: 60, right: 60 },
    ...(opts.band ? { shading: { fill: 'E9E9E9' } } : {}),
    borders: { top: NO_BORDER, left: NO_BORDER, right: NO_BORDER, bottom: opts.ruled ? RULE : NO_BORDER },
    children: [new Paragraph({ alignment: opts.numeric ? AlignmentType.RIGHT : AlignmentType.LEFT, children: [new TextRun({ text: value, bold: opts.bold, size: opts.size })] })],
  });
}

interface Grid {
  columns: Column[];
  rows: string[][];
  header: boolean;
  size: number;
  boldRow?: (i: number) => boolean;
  boldColumn?: number;
}

/** A table at the page's width; its header row repeats on every page it runs onto, and no row splits across pages. */
function grid(g: Grid, content: number): Table {
  const sum = g.columns.reduce((s, c) => s + c.weight, 0);
  const widths = g.columns.map((c) => Math.floor((c.weight / sum) * content));
  const row = (cells: string[], bold: (c: number) => boolean, header: boolean) =>
    new TableRow({
      tableHeader: header,
      cantSplit: true,
      children: cells.map((v, c) => cell(v, widths[c]!, { bold: bold(c), numeric: !!g.columns[c]!.numeric, size: g.size, band: header, ruled: g.header })),
    });
  return new Table({
    width: { size: content, type: WidthType.DXA },
    columnWidths: widths,
    rows: [
      ...(g.header ? [row(g.columns.map((c) => c.title), () => true, true)] : []),
      ...g.rows.map((cells, i) => row(cells, (c) => !!g.boldRow?.(i) || c === g.boldColumn, false)),
    ],
  });
}

const gap = () => new Paragraph({ children: [], spacing: { after: 120 } });
const facts = (rows: Array<[string, string]>, content: number, size = SIZE.body) =>
  grid({ columns: [{ title: '', weight: 2 }, { title: '', weight: 3 }], rows, header: false, size, boldColumn: 0 }, content);

function chart(png: Buffer, alt: string): Paragraph {
  const { width, height } = pngSize(png);
  return new Paragraph({
    children: [new ImageRun({ type: 'png', data: png, transformation: { width: CHART_PX, height: Math.round((height / width) * CHART_PX) }, altText: { name: 'chart', title: 'Meetings per month', description: alt } })],
    spacing: { after: 160 },
  });
}

function blocks(b: Block, png: Buffer, content: number): Array<Paragraph | Table> {
  switch (b.kind) {
    case 'heading':
      return [new Paragraph({ heading: HeadingLevel.HEADING_2, keepNext: true, children: [new TextRun({ text: b.text })] })];
    case 'paragraph':
      return [paragraph(b)];
    case 'bullets':
      return [...b.items.map((item) => new Paragraph({ bullet: { level: 0 }, children: item.map((r) => text(r)) })), gap()];
    case 'facts':
      return [facts(b.rows, content), gap()];
    case 'table':
      return [grid({ columns: b.columns, rows: b.rows, header: true, size: SIZE.cell, boldRow: (i) => !!b.lastIsTotal && i === b.rows.length - 1 }, content), gap()];
    case 'chart':
      return [chart(png, b.alt)];
  }
}

/** A section's title and blocks; the first of a Word section needs no page break (a Word section starts a page). */
const sectionBody = (s: Section, png: Buffer, first: boolean) => [
  new Paragraph({ heading: HeadingLevel.HEADING_1, pageBreakBefore: !!s.newPage && !first, keepNext: true, children: [new TextRun({ text: s.title })] }),
  ...s.blocks.flatMap((b) => blocks(b, png, CONTENT[s.landscape ? 'landscape' : 'portrait'])),
];

function cover(doc: ReviewDocument): Array<Paragraph | Table> {
  const [title, ...lines] = doc.cover.lines;
  return [
    new Paragraph({ spacing: { before: 2_400, after: 160 }, children: [new TextRun({ text: title ?? '', bold: true, size: SIZE.title })] }),
    ...lines.map((l) => new Paragraph({ spacing: { after: 480 }, children: [new TextRun({ text: l, size: SIZE.lead, color: GREY })] })),
    facts(doc.cover.facts, CONTENT.portrait, SIZE.body + 2),
    new Paragraph({ spacing: { before: 360 }, children: [new TextRun({ text: doc.cover.note, size: SIZE.subtle, color: GREY })] }),
  ];
}

const marked = (marking: string, extra: TextRun[] = []) =>
  new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: marking, bold: true, size: SIZE.marking }), ...extra] });

/**
 * Word sections, one for each run of pages lying the same way (a wide table's pages are landscape), each with the
 * marking in its header and footer and the page number, so every page carries them.
 */
function pages(doc: ReviewDocument, png: Buffer): ISectionOptions[] {
  const runs: Array<{ landscape: boolean; sections: Section[] }> = [];
  for (const s of doc.sections) {
    const last = runs.at(-1);
    if (last && last.landscape === !!s.landscape) last.sections.push(s);
    else runs.push({ landscape: !!s.landscape, sections: [s] });
  }
  const number = () => new TextRun({ children: ['   Page ', PageNumber.CURRENT, ' of ', PageNumber.TOTAL_PAGES], size: SIZE.marking - 2, color: GREY });
  const margin = { top: PAGE.margin, bottom: PAGE.margin, left: PAGE.margin, right: PAGE.margin, header: 567, footer: 567 };
  return runs.map((run, i) => ({
    properties: {
      page: { size: { width: PAGE.width, height: PAGE.height, orientation: run.landscape ? PageOrientation.LANDSCAPE : PageOrientation.PORTRAIT }, margin },
    },
    headers: { default: new Header({ children: [marked(doc.marking)] }) },
    footers: { default: new Footer({ children: [marked(doc.marking, [number()])] }) },
    children: [
      ...(i === 0 ? cover(doc) : []),
      ...run.sections.flatMap((s, j) => sectionBody(s, png, i > 0 && j === 0)),
    ],
  }));
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Word's document properties with the instant the document was made (docx would stamp the moment it was packed). */
function coreProperties(doc: ReviewDocument, author: string, producedAt: string): string {
  const at = new Date(producedAt).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" ' +
    'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:title>${xml(doc.title)}</dc:title><dc:subject>${xml(doc.marking)}</dc:subject><dc:creator>${xml(author)}</dc:creator>` +
    `<cp:keywords>${xml(doc.marking)}</cp:keywords><cp:category>${xml(doc.marking)}</cp:category>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${at}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${at}</dcterms:modified>` +
    '</cp:coreProperties>';
}

/** The document as Word (.docx), A4: the same words and tables as the PDF, which a lead can edit into a board paper. */
export function renderDocx(doc: ReviewDocument, chartPng: Buffer, producedAt: string, author: string): Promise<Buffer> {
  const word = new Document({
    title: doc.title,
    subject: doc.marking,
    creator: author,
    styles: {
      default: { document: { run: { font: FONT, size: SIZE.body } } },
      paragraphStyles: [
        { id: 'Heading1', name: 'Heading 1', basedOn: 'Normal', next: 'Normal', quickFormat: true, run: { font: FONT, size: 32, bold: true }, paragraph: { spacing: { before: 240, after: 160 } } },
        { id: 'Heading2', name: 'Heading 2', basedOn: 'Normal', next: 'Normal', quickFormat: true, run: { font: FONT, size: 24, bold: true }, paragraph: { spacing: { before: 200, after: 100 } } },
      ],
    },
    sections: pages(doc, chartPng),
  });
  return Packer.toBuffer(word, false, [{ path: 'docProps/core.xml', data: coreProperties(doc, author, producedAt) }]);
}
