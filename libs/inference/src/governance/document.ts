/**
 * A small document model shared by the Markdown and PDF outputs of governance reports, so both
 * say exactly the same thing. Inline markup is limited to **bold**, which tables use to mark
 * the ends of the largest gaps.
 */
export type Block =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'bullets'; items: string[] }
  | { kind: 'table'; header: string[]; rows: string[][] };

export const heading = (level: 1 | 2 | 3, text: string): Block => ({ kind: 'heading', level, text });
export const paragraph = (text: string): Block => ({ kind: 'paragraph', text });
export const bullets = (items: string[]): Block => ({ kind: 'bullets', items });
export const table = (header: string[], rows: string[][]): Block => ({ kind: 'table', header, rows });

export const bold = (s: string) => `**${s}**`;
/** Text without the **bold** markers (for outputs that mark bold another way). */
export const plain = (s: string) => s.replace(/\*\*(.*?)\*\*/g, '$1');
export const isBold = (s: string) => /^\*\*.*\*\*$/.test(s);

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderMarkdown(blocks: Block[]): string {
  const parts = blocks.map((b) => {
    switch (b.kind) {
      case 'heading':
        return `${'#'.repeat(b.level)} ${b.text}`;
      case 'paragraph':
        return b.text;
      case 'bullets':
        return b.items.map((i) => `- ${i}`).join('\n');
      case 'table':
        return [`| ${b.header.map(cell).join(' | ')} |`, `| ${b.header.map(() => '---').join(' | ')} |`, ...b.rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
    }
  });
  return parts.join('\n\n') + '\n';
}

/**
 * Reads the subset of Markdown that `renderMarkdown` writes (headings, paragraphs, `-` lists,
 * pipe tables), which is also what the hand-written assessment parts use. Consecutive text lines
 * join into one paragraph; a list item's indented continuation lines join into the item.
 */
export function parseMarkdown(text: string): Block[] {
  const blocks: Block[] = [];
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    const h = /^(#{1,3})\s+(.*)$/.exec(line);
    if (!line.trim()) {
      i++;
    } else if (h) {
      blocks.push(heading(h[1].length as 1 | 2 | 3, h[2].trim()));
      i++;
    } else if (/^\s*[-*]\s+/.test(line)) {
      const items: string[] = [];
      while (i < lines.length && lines[i].trim()) {
        if (/^\s*[-*]\s+/.test(lines[i])) items.push(lines[i].replace(/^\s*[-*]\s+/, '').trim());
        else items[items.length - 1] += ' ' + lines[i].trim();
        i++;
      }
      blocks.push(bullets(items));
    } else if (line.trim().startsWith('|')) {
      const rows: string[][] = [];
      while (i < lines.length && lines[i].trim().startsWith('|')) {
        const cells = lines[i].trim().replace(/^\|/, '').replace(/\|$/, '').split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
        if (!cells.every((c) => /^:?-{3,}:?$/.test(c))) rows.push(cells);
        i++;
      }
      blocks.push(table(rows[0] ?? [], rows.slice(1)));
    } else {
      const text: string[] = [];
      while (i < lines.length && lines[i].trim() && !/^(#{1,3}\s|\s*[-*]\s+|\s*\|)/.test(lines[i])) text.push(lines[i++].trim());
      blocks.push(paragraph(text.join(' ')));
    }
  }
  return blocks;
}

/** A number as people read it in a report: integers whole, others to 4 significant digits. */
export function formatNumber(v: unknown): string {
  if (v === null || v === undefined) return '–';
  if (typeof v !== 'number') return String(v);
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  const abs = Math.abs(v);
  if (abs >= 1000) return v.toFixed(0);
  return Number(v.toPrecision(4)).toString();
}
