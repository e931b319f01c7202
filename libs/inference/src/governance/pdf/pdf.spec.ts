import { bold, bullets, heading, paragraph, parseMarkdown, renderMarkdown, table, type Block } from '../document';
import { textWidth } from './fonts';
import { inspectPdf } from './pdf-inspect';
import { columnWidths, renderPdf, wrapText } from './pdf-layout';

const report = (paragraphs: number): Block[] => [
  heading(1, 'Model impact assessment: demo 1.0.0'),
  paragraph('Intro with (parentheses), a back\\slash, ≥ and an en dash – and café.'),
  bullets(['first point', 'second point that is long enough to wrap onto another line when the page is narrow '.repeat(3).trim()]),
  table(['group', 'n', 'recall'], [['north', '120', bold('0.91')], ['south', '80', bold('0.62')]]),
  ...Array.from({ length: paragraphs }, (_, i) => paragraph(`Paragraph ${i}: ${'words that fill the line '.repeat(12).trim()}`)),
];

describe('PDF writer', () => {
  it('writes a PDF 1.4 file whose xref offsets point at each object and whose text reads back', () => {
    const pdf = inspectPdf(renderPdf(report(2), 'Demo report'));
    expect(pdf.version).toBe('1.4');
    expect(pdf.badOffsets).toEqual([]);
    expect(pdf.pageCount).toBe(1);
    expect(pdf.declaredPages).toBe(1);
    const text = pdf.pageTexts[0];
    expect(text[0]).toBe('Model impact assessment: demo 1.0.0');
    expect(text).toContain('Intro with (parentheses), a back\\slash, >= and an en dash - and caf\xe9.');
    expect(text.some((t) => t.startsWith('north') || t === 'north')).toBe(true);
    expect(text.at(-1)).toBe('Demo report  -  page 1 of 1');
  });

  it('breaks pages when the text runs long, numbers every page and keeps offsets right', () => {
    const pdf = inspectPdf(renderPdf(report(60), 'Long'));
    expect(pdf.pageCount).toBeGreaterThan(2);
    expect(pdf.declaredPages).toBe(pdf.pageCount);
    expect(pdf.badOffsets).toEqual([]);
    pdf.pageTexts.forEach((t, i) => expect(t.at(-1)).toBe(`Long  -  page ${i + 1} of ${pdf.pageCount}`));
    expect(pdf.pageTexts.flat().filter((t) => t.startsWith('Paragraph 59:'))).toHaveLength(1);
  });

  it('repeats a table header on the next page', () => {
    const rows = Array.from({ length: 120 }, (_, i) => [`row ${i}`, String(i)]);
    const pdf = inspectPdf(renderPdf([table(['name', 'value'], rows)], 'Table'));
    expect(pdf.pageCount).toBeGreaterThan(1);
    for (const page of pdf.pageTexts) expect(page[0]).toBe('name');
    expect(pdf.pageTexts.flat().filter((t) => /^row \d+$/.test(t))).toHaveLength(120);
  });

  it('is deterministic: the same blocks give the same bytes', () => {
    expect(Buffer.from(renderPdf(report(5), 'x')).equals(Buffer.from(renderPdf(report(5), 'x')))).toBe(true);
  });

  it('wraps text within the width, cutting words longer than a line', () => {
    const lines = wrapText('a '.repeat(100) + 'x'.repeat(300), 'regular', 10, 200);
    for (const l of lines) expect(textWidth(l, 'regular', 10)).toBeLessThanOrEqual(200);
    expect(lines.join('').replace(/ /g, '')).toBe('a'.repeat(100) + 'x'.repeat(300));
  });

  it('fits table columns into the page by shrinking the widest', () => {
    const widths = columnWidths(['a', 'b'], [['x'.repeat(200), 'short']], 100);
    expect(widths.reduce((a, b) => a + b, 0) + 2).toBeLessThanOrEqual(100);
    expect(widths[1]).toBe(5);
  });
});

describe('document model', () => {
  it('reads back the Markdown it writes', () => {
    const blocks = report(1);
    expect(parseMarkdown(renderMarkdown(blocks))).toEqual(blocks);
  });

  it('joins wrapped lines of hand-written paragraphs and list items', () => {
    expect(parseMarkdown('## Use\n\nOne line\nand the next.\n\n- item\n  continued\n- two\n')).toEqual([heading(2, 'Use'), paragraph('One line and the next.'), bullets(['item continued', 'two'])]);
  });
});
