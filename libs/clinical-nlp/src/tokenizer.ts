/**
 * The clinical-ner tokenizer, the exact mirror of models/clinical-ner/tokenizer.py (the model was
 * trained on its output; tokenizer.spec.ts checks parity against fixtures written by train.py).
 *
 * A token is a maximal run of letters (\p{L}\p{M}), a maximal run of decimal digits (\p{Nd}), or
 * one other non-space character (a whole code point, so emoji and astral characters stay intact).
 * Offsets are JavaScript string indices (UTF-16 code units), end exclusive: text.slice(start, end)
 * is always the token.
 */

export interface TokenSpan {
  start: number;
  end: number;
}

type CharClass = 'space' | 'letter' | 'digit' | 'other';

const SPACE = /\s/u;
const LETTER = /[\p{L}\p{M}]/u;
const DIGIT = /\p{Nd}/u;

function classOf(ch: string): CharClass {
  if (SPACE.test(ch)) return 'space';
  if (LETTER.test(ch)) return 'letter';
  if (DIGIT.test(ch)) return 'digit';
  return 'other';
}

/**
 * @param text - any text.
 * @returns token spans in order.
 */
export function tokenize(text: string): TokenSpan[] {
  const out: TokenSpan[] = [];
  let i = 0;
  const n = text.length;
  let cls: CharClass | undefined;
  let start = -1;
  while (i < n) {
    const cp = text.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const c = classOf(String.fromCodePoint(cp));
    if (start >= 0 && (c !== cls || c === 'other')) {
      out.push({ start, end: i });
      start = -1;
    }
    if (c !== 'space' && start < 0) {
      start = i;
      cls = c;
    }
    i += width;
  }
  if (start >= 0) out.push({ start, end: n });
  return out;
}

/**
 * Splits a note into the segments the model tags: one per line, long lines cut into windows.
 * @param text - the note.
 * @param maxTokens - the window (vocab.json maxSegmentTokens).
 * @returns token spans per segment, offsets relative to the whole note.
 */
export function segmentNote(text: string, maxTokens: number): TokenSpan[][] {
  const segs: TokenSpan[][] = [];
  let lineStart = 0;
  for (const line of text.split('\n')) {
    const toks = tokenize(line).map((t) => ({ start: t.start + lineStart, end: t.end + lineStart }));
    for (let k = 0; k < toks.length; k += maxTokens) segs.push(toks.slice(k, k + maxTokens));
    lineStart += line.length + 1;
  }
  return segs.filter((s) => s.length > 0);
}

/** The four id sequences the model reads for one segment. */
export interface SegmentFeatures {
  word_ids: BigInt64Array;
  shape_ids: BigInt64Array;
  prefix_ids: BigInt64Array;
  suffix_ids: BigInt64Array;
}

/** Vocabularies from models/clinical-ner/vocab.json. */
export interface NerVocabularyFile {
  maxSegmentTokens: number;
  maxPairs: number;
  tags: string[];
  entityTypes: string[];
  relations: string[];
  signatures: Record<string, string[]>;
  words: string[];
  prefixes: string[];
  suffixes: string[];
}

/** Turns token spans into model input ids (word, shape, prefix, suffix), as train.py did. */
export class NerVocabulary {
  private readonly words: Map<string, number>;
  private readonly prefixes: Map<string, number>;
  private readonly suffixes: Map<string, number>;

  constructor(readonly file: NerVocabularyFile) {
    const index = (xs: string[]) => new Map(xs.map((x, i) => [x, i]));
    this.words = index(file.words);
    this.prefixes = index(file.prefixes);
    this.suffixes = index(file.suffixes);
  }

  /**
   * @param text - the whole note.
   * @param segment - token spans of one segment.
   * @returns the id sequences, one entry per token.
   */
  features(text: string, segment: TokenSpan[]): SegmentFeatures {
    const n = segment.length;
    const f: SegmentFeatures = { word_ids: new BigInt64Array(n), shape_ids: new BigInt64Array(n), prefix_ids: new BigInt64Array(n), suffix_ids: new BigInt64Array(n) };
    segment.forEach((t, i) => {
      const tok = text.slice(t.start, t.end);
      f.word_ids[i] = BigInt(this.words.get(wordForm(tok)) ?? 1);
      const spaceBefore = t.start === 0 || SPACE.test(text[t.start - 1]) ? 1 : 0;
      f.shape_ids[i] = BigInt(baseShape(tok) * 2 + spaceBefore);
      const [p, s] = affixes(tok);
      f.prefix_ids[i] = BigInt(this.prefixes.get(p) ?? 1);
      f.suffix_ids[i] = BigInt(this.suffixes.get(s) ?? 1);
    });
    return f;
  }
}

function wordForm(tok: string): string {
  if (classOf(firstChar(tok)) === 'digit') return '0'.repeat(Math.min(Array.from(tok).length, 4));
  return tok.toLowerCase();
}

function baseShape(tok: string): number {
  const c = classOf(firstChar(tok));
  if (c === 'digit') return 5;
  if (c !== 'letter') return 6;
  if (tok === tok.toLowerCase()) return 1;
  if (tok === tok.toUpperCase()) return 3;
  const chars = Array.from(tok);
  const rest = chars.slice(1).join('');
  if (chars[0] === chars[0].toUpperCase() && rest === rest.toLowerCase()) return 2;
  return 4;
}

function affixes(tok: string): [string, string] {
  const c = classOf(firstChar(tok));
  if (c === 'digit') return ['<num>', '<num>'];
  if (c !== 'letter') return ['<sym>', '<sym>'];
  const low = Array.from(tok.toLowerCase());
  if (low.length < 4) return ['<short>', '<short>'];
  return [low.slice(0, 3).join(''), low.slice(-3).join('')];
}

function firstChar(tok: string): string {
  return String.fromCodePoint(tok.codePointAt(0)!);
}
