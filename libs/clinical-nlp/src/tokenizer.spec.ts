import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { NerVocabulary, segmentNote, tokenize, type NerVocabularyFile } from './tokenizer';

const modelDir = join(__dirname, '../../../models/clinical-ner');

describe('tokenize', () => {
  it('splits letters, digits and other characters with exact offsets', () => {
    const text = 'Metformin 500mg PO q6h, x7 days';
    expect(tokenize(text).map((t) => text.slice(t.start, t.end))).toEqual(['Metformin', '500', 'mg', 'PO', 'q', '6', 'h', ',', 'x', '7', 'days']);
  });

  it('keeps astral characters whole and offsets in UTF-16 units', () => {
    const text = 'Zoë 😀 has 𝟘 fever 38.9°C';
    const toks = tokenize(text).map((t) => text.slice(t.start, t.end));
    expect(toks).toEqual(['Zoë', '😀', 'has', '𝟘', 'fever', '38', '.', '9', '°', 'C']);
  });

  it('covers every non-space character exactly once, for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (s) => {
        const toks = tokenize(s);
        let covered = '';
        let last = 0;
        for (const t of toks) {
          expect(t.start).toBeGreaterThanOrEqual(last);
          expect(s.slice(last, t.start).trim()).toBe('');
          covered += s.slice(t.start, t.end);
          last = t.end;
        }
        expect(s.slice(last).trim()).toBe('');
        expect(covered).toBe(s.replace(/\s/gu, ''));
      }),
    );
  });

  it('segments per line and cuts long lines into windows', () => {
    const segs = segmentNote('a b c\n\nd e\r\nf', 2);
    expect(segs.map((s) => s.length)).toEqual([2, 1, 2, 1]);
  });
});

const fixtures = join(modelDir, 'tokenizer-fixtures.json');
describe('parity with models/clinical-ner/tokenizer.py', () => {
  it('gives the spans and ids that train.py computed', () => {
    const vocab = new NerVocabulary(JSON.parse(readFileSync(join(modelDir, 'vocab.json'), 'utf8')) as NerVocabularyFile);
    const cases = JSON.parse(readFileSync(fixtures, 'utf8')) as Array<{ text: string; segments: Array<Record<string, number[] | number[][]>> }>;
    expect(cases.length).toBeGreaterThan(3);
    for (const c of cases) {
      const segs = segmentNote(c.text, vocab.file.maxSegmentTokens);
      expect(segs.map((s) => s.map((t) => [t.start, t.end]))).toEqual(c.segments.map((s) => s.spans));
      segs.forEach((seg, i) => {
        const f = vocab.features(c.text, seg);
        for (const k of ['word_ids', 'shape_ids', 'prefix_ids', 'suffix_ids'] as const) expect(Array.from(f[k], Number)).toEqual(c.segments[i][k]);
      });
    }
  });
});
