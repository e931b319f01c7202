import { PdfFont } from './fonts';

export const PAGE_WIDTH = 595;
export const PAGE_HEIGHT = 842;

/** Font resource names used in content streams, in the order the font objects are written. */
export const FONT_RESOURCE: Record<PdfFont, string> = { regular: 'F1', bold: 'F2', mono: 'F3', monoBold: 'F4' };

/** A string as a PDF literal: backslash, parentheses and non-ASCII bytes escaped, so the file stays ASCII. */
export function pdfString(text: string): string {
  let out = '(';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x28 || c === 0x29 || c === 0x5c) out += '\\' + text[i];
    else if (c < 32 || c > 126) out += '\\' + (c & 0xff).toString(8).padStart(3, '0');
    else out += text[i];
  }
  return out + ')';
}

/**
 * Serialises pages (content streams) into a PDF 1.4 file: catalog, page tree, the four standard
 * fonts, an info dictionary and one page + content object per page, with a cross-reference
 * table whose offsets point at each "n 0 obj". No dates are written, so equal input gives equal bytes.
 */
export function writePdfFile(contentStreams: string[], info: { title: string }): Uint8Array {
  const fonts = Object.values(PdfFont);
  const firstPage = 3 + fonts.length + 1;
  const pageIds = contentStreams.map((_, i) => firstPage + 2 * i);
  const objects: string[] = [];
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pageIds.length} >>`;
  fonts.forEach((base, i) => (objects[3 + i] = `<< /Type /Font /Subtype /Type1 /BaseFont /${base} /Encoding /WinAnsiEncoding >>`));
  const infoId = 3 + fonts.length;
  objects[infoId] = `<< /Title ${pdfString(info.title)} /Producer (suite governance pdf writer) >>`;
  const fontDict = Object.values(FONT_RESOURCE).map((r, i) => `/${r} ${3 + i} 0 R`).join(' ');
  contentStreams.forEach((stream, i) => {
    objects[pageIds[i]] = `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE_WIDTH} ${PAGE_HEIGHT}] /Resources << /Font << ${fontDict} >> >> /Contents ${pageIds[i] + 1} 0 R >>`;
    objects[pageIds[i] + 1] = `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
  });
  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = out.length;
    out += `${id} 0 obj\n${objects[id]}\nendobj\n`;
  }
  const xref = out.length;
  out += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let id = 1; id < objects.length; id++) out += `${String(offsets[id]).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length} /Root 1 0 R /Info ${infoId} 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  // latin1: one byte per character, so the offsets counted in characters are byte offsets
  return new Uint8Array(Buffer.from(out, 'latin1'));
}
