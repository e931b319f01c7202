import { isBold, plain, type Block } from '../document';
import { textWidth, toWinAnsi, type PdfFont } from './fonts';
import { FONT_RESOURCE, PAGE_HEIGHT, PAGE_WIDTH, pdfString, writePdfFile } from './pdf-file';

const MARGIN_X = 56;
const TOP = PAGE_HEIGHT - 60;
const BOTTOM = 64;
const WIDTH = PAGE_WIDTH - 2 * MARGIN_X;
const BODY = { size: 10, leading: 13.5 };
const TABLE = { size: 8, leading: 10 };
const HEADINGS = { 1: { size: 16, leading: 22, before: 4 }, 2: { size: 13, leading: 18, before: 12 }, 3: { size: 11, leading: 15, before: 8 } } as const;
const COLUMN_GAP = 2;

/** Breaks text into lines no wider than `width`; words longer than a line are cut. */
export function wrapText(text: string, font: PdfFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (textWidth(candidate, font, size) <= width) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    line = word;
    while (textWidth(line, font, size) > width) {
      let cut = line.length - 1;
      while (cut > 1 && textWidth(line.slice(0, cut), font, size) > width) cut--;
      lines.push(line.slice(0, cut));
      line = line.slice(cut);
    }
  }
  if (line || !lines.length) lines.push(line);
  return lines;
}

/**
 * Character widths of table columns: wide enough for the body cells and the longest header word,
 * the widest shrunk until the table fits, then spare room given back to headers that would wrap.
 */
export function columnWidths(header: string[], rows: string[][], maxChars: number): number[] {
  const cols = Math.max(header.length, ...rows.map((r) => r.length));
  const longestWord = (s: string) => Math.max(1, ...plain(s).split(/\s+/).map((w) => w.length));
  const widths = Array.from({ length: cols }, (_, c) => Math.max(longestWord(header[c] ?? ''), ...rows.map((r) => plain(r[c] ?? '').length)));
  const budget = maxChars - COLUMN_GAP * (cols - 1);
  const total = () => widths.reduce((a, b) => a + b, 0);
  while (total() > budget) {
    const widest = widths.indexOf(Math.max(...widths));
    if (widths[widest] <= 4) break;
    widths[widest]--;
  }
  for (let c = 0; c < cols; c++) widths[c] += Math.max(0, Math.min(plain(header[c] ?? '').length - widths[c], budget - total()));
  return widths;
}

/** Lays blocks out on A4 pages (headings, wrapped paragraphs, lists, Courier tables) and writes the PDF. */
export function renderPdf(blocks: Block[], title: string): Uint8Array {
  const pages: string[][] = [];
  let ops: string[] = [];
  let y = TOP;
  const newPage = () => {
    ops = [];
    pages.push(ops);
    y = TOP;
  };
  const ensure = (height: number) => {
    if (y - height < BOTTOM) newPage();
  };
  const text = (s: string, x: number, font: PdfFont, size: number) => ops.push(`BT /${FONT_RESOURCE[font]} ${size} Tf ${x.toFixed(2)} ${y.toFixed(2)} Td ${pdfString(s)} Tj ET`);
  const rule = (x1: number, x2: number, at: number) => ops.push(`0.5 w ${x1.toFixed(2)} ${at.toFixed(2)} m ${x2.toFixed(2)} ${at.toFixed(2)} l S`);
  const lines = (ls: string[], x: number, font: PdfFont, size: number, leading: number) => {
    for (const l of ls) {
      ensure(leading);
      y -= leading;
      text(l, x, font, size);
    }
  };
  newPage();
  for (const b of blocks) {
    switch (b.kind) {
      case 'heading': {
        const h = HEADINGS[b.level];
        if (y !== TOP) y -= h.before;
        ensure(h.leading + 3 * BODY.leading); // keep a heading with what follows it
        lines(wrapText(toWinAnsi(plain(b.text)), 'bold', h.size, WIDTH), MARGIN_X, 'bold', h.size, h.leading);
        y -= 2;
        break;
      }
      case 'paragraph': {
        const font = isBold(b.text) ? 'bold' : 'regular'; // a paragraph all in bold is a caption
        if (font === 'bold') ensure(3 * BODY.leading);
        lines(wrapText(toWinAnsi(plain(b.text)), font, BODY.size, WIDTH), MARGIN_X, font, BODY.size, BODY.leading);
        y -= 6;
        break;
      }
      case 'bullets':
        for (const item of b.items) {
          const ls = wrapText(toWinAnsi(plain(item)), 'regular', BODY.size, WIDTH - 12);
          ensure(BODY.leading);
          y -= BODY.leading;
          text('-', MARGIN_X, 'regular', BODY.size);
          text(ls[0], MARGIN_X + 12, 'regular', BODY.size);
          lines(ls.slice(1), MARGIN_X + 12, 'regular', BODY.size, BODY.leading);
        }
        y -= 6;
        break;
      case 'table': {
        const charW = 0.6 * TABLE.size;
        const widths = columnWidths(b.header, b.rows, Math.floor(WIDTH / charW));
        const cellLines = (row: string[]) => widths.map((w, c) => wrapText(toWinAnsi(plain(row[c] ?? '')), 'mono', TABLE.size, w * charW + 0.01));
        const drawRow = (row: string[], header: boolean) => {
          const cells = cellLines(row);
          const height = Math.max(...cells.map((c) => c.length));
          for (let k = 0; k < height; k++) {
            y -= TABLE.leading;
            let x = MARGIN_X;
            cells.forEach((c, col) => {
              if (c[k]) text(c[k], x, header || isBold(row[col] ?? '') ? 'monoBold' : 'mono', TABLE.size);
              x += (widths[col] + COLUMN_GAP) * charW;
            });
          }
          if (header) rule(MARGIN_X, MARGIN_X + WIDTH, y - 3);
          if (header) y -= 3;
        };
        const rowHeight = (row: string[]) => Math.max(...cellLines(row).map((c) => c.length)) * TABLE.leading;
        ensure(rowHeight(b.header) + 3 + (b.rows[0] ? rowHeight(b.rows[0]) : 0));
        drawRow(b.header, true);
        for (const row of b.rows) {
          if (y - rowHeight(row) < BOTTOM) {
            newPage();
            drawRow(b.header, true); // repeat the header on the next page
          }
          drawRow(row, false);
        }
        y -= 10;
        break;
      }
    }
  }
  const total = pages.length;
  const streams = pages.map((p, i) => {
    const footer = toWinAnsi(`${plain(title)}  -  page ${i + 1} of ${total}`);
    return [...p, `BT /${FONT_RESOURCE.regular} 8 Tf ${MARGIN_X} 36 Td ${pdfString(footer)} Tj ET`].join('\n');
  });
  return writePdfFile(streams, { title: toWinAnsi(plain(title)) });
}
