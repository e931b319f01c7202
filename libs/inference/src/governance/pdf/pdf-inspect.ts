/**
 * Reads back the structure of a PDF this library wrote (uncompressed streams, one xref table):
 * enough to check a file in tests without a PDF library.
 */
export interface PdfStructure {
  version: string;
  /** Objects whose xref offset does not point at "<id> 0 obj". */
  badOffsets: number[];
  objectCount: number;
  pageCount: number;
  /** The /Count of the page tree. */
  declaredPages: number;
  /** Text shown on each page, in drawing order, one string per Tj. */
  pageTexts: string[][];
}

function unescapePdfString(s: string): string {
  return s.replace(/\\([0-7]{3}|[\\()])/g, (_, e: string) => (e.length === 3 ? String.fromCharCode(parseInt(e, 8)) : e));
}

export function inspectPdf(bytes: Uint8Array): PdfStructure {
  const text = Buffer.from(bytes).toString('latin1');
  const version = /^%PDF-(\d\.\d)/.exec(text)?.[1];
  if (!version) throw new Error('not a PDF: no %PDF- header');
  const startxref = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)?.[1]);
  if (!Number.isFinite(startxref) || !text.startsWith('xref', startxref)) throw new Error('startxref does not point at the xref table');
  const head = /^xref\n0 (\d+)\n/.exec(text.slice(startxref));
  if (!head) throw new Error('xref table has no subsection 0');
  const count = Number(head[1]);
  const entries = text.slice(startxref + head[0].length).split('\n').slice(0, count);
  const badOffsets: number[] = [];
  const objects = new Map<number, string>();
  entries.forEach((e, id) => {
    if (id === 0) return;
    const offset = Number(e.slice(0, 10));
    if (!text.startsWith(`${id} 0 obj`, offset)) {
      badOffsets.push(id);
      return;
    }
    objects.set(id, text.slice(offset, text.indexOf('endobj', offset)));
  });
  const pages = [...objects.entries()].filter(([, body]) => /\/Type \/Page\b/.test(body));
  const declaredPages = Number(/\/Type \/Pages[^>]*\/Count (\d+)/.exec([...objects.values()].join('\n'))?.[1] ?? 0);
  const pageTexts = pages.map(([, body]) => {
    const contents = Number(/\/Contents (\d+) 0 R/.exec(body)?.[1]);
    const stream = objects.get(contents) ?? '';
    const length = Number(/\/Length (\d+)/.exec(stream)?.[1]);
    const data = stream.slice(stream.indexOf('stream\n') + 7).slice(0, length);
    return [...data.matchAll(/\(((?:\\.|[^\\)])*)\) Tj/g)].map((m) => unescapePdfString(m[1]));
  });
  return { version, badOffsets, objectCount: count - 1, pageCount: pages.length, declaredPages, pageTexts };
}
