/**
 * The PDF standard fonts used by the report writer (every viewer has them, nothing is embedded)
 * with their advance widths from the Adobe AFM files, in 1/1000 em, for ASCII 32..126.
 */
export const PdfFont = {
  /** Body text. */
  regular: 'Helvetica',
  /** Headings. */
  bold: 'Helvetica-Bold',
  /** Tables, so columns line up. */
  mono: 'Courier',
  /** Table headers and highlighted cells. */
  monoBold: 'Courier-Bold',
} as const;
export type PdfFont = keyof typeof PdfFont;

// prettier-ignore
const HELVETICA = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556,
  278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667,
  611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833,
  556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];
// prettier-ignore
const HELVETICA_BOLD = [
  278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556,
  333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667,
  611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889,
  611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
];

/** Width of a WinAnsi-encoded string in points. Latin-1 letters outside ASCII count as an average letter. */
export function textWidth(text: string, font: PdfFont, size: number): number {
  if (font === 'mono' || font === 'monoBold') return text.length * 0.6 * size;
  const table = font === 'bold' ? HELVETICA_BOLD : HELVETICA;
  let w = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    w += c >= 32 && c <= 126 ? table[c - 32] : 556;
  }
  return (w * size) / 1000;
}

const REPLACEMENTS: Record<string, string> = {
  '\u2013': '-', '\u2014': '-', '\u2212': '-', '\u2018': "'", '\u2019': "'", '\u201c': '"', '\u201d': '"', '\u2026': '...',
  '\u2265': '>=', '\u2264': '<=', '\u2192': '->', '\u2248': '~', '\u2022': '-', '\u00a0': ' ', '\u2260': '!=', '\u03b1': 'alpha',
};

/**
 * Text as single-byte WinAnsi (Latin-1 for the characters we use): typographic dashes, quotes and
 * maths signs become their ASCII spelling, anything else outside Latin-1 becomes '?'.
 */
export function toWinAnsi(text: string): string {
  let out = '';
  for (const ch of text) {
    if (REPLACEMENTS[ch] !== undefined) out += REPLACEMENTS[ch];
    else if (ch === '\t') out += '    ';
    else {
      const c = ch.codePointAt(0) as number;
      out += (c >= 32 && c <= 126) || (c >= 160 && c <= 255) ? ch : '?';
    }
  }
  return out;
}
