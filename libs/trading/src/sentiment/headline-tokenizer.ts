/**
 * The `news-sentiment` tokenizer, a line-for-line copy of models/news-sentiment/tokenizer.py.
 * Its parameters come from the model folder's tokenizer.json, so a retrained model with other
 * settings is tokenized as trained; the equality test against Python's output lives beside it.
 */

/** tokenizer.json as written by the training script. */
export interface HeadlineTokenizerParams {
  kind: 'hashed-ngrams';
  vocabSize: number;
  maxLen: number;
  negators: string[];
  negationScope: number;
  breaks: string[];
  hash: 'fnv1a32';
  featurePrefixes: { unigram: string; bigram: string; negated: string };
  numberTokens: { percent: string; number: string };
}

const TOKEN_RE = /[a-z]+|[0-9]+(?:[.,][0-9]+)*%?|[,.;:!?]/g;
const encoder = new TextEncoder();

/**
 * 32-bit FNV-1a over the UTF-8 bytes of `s`.
 * @param s feature string
 * @returns unsigned 32-bit hash
 */
export function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // features are ASCII after tokenization; anything else goes through real UTF-8 bytes
    if (c > 0x7f) return fnv1a32Bytes(encoder.encode(s));
    h = Math.imul(h ^ c, 0x01000193);
  }
  return h >>> 0;
}

function fnv1a32Bytes(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193);
  return h >>> 0;
}

export class HeadlineTokenizer {
  private readonly negators: Set<string>;
  private readonly breaks: Set<string>;

  constructor(readonly params: HeadlineTokenizerParams) {
    if (params.kind !== 'hashed-ngrams' || params.hash !== 'fnv1a32') {
      throw new Error(`unsupported tokenizer kind ${params.kind}/${params.hash}`);
    }
    this.negators = new Set(params.negators);
    this.breaks = new Set(params.breaks);
  }

  /** Lower-cased tokens with numbers collapsed to <pct>/<num>; clause breaks kept. */
  tokens(text: string): string[] {
    const lowered = text.toLowerCase().replaceAll("n't", ' not');
    const out: string[] = [];
    for (const m of lowered.matchAll(TOKEN_RE)) {
      let t = m[0];
      if (t[0] >= '0' && t[0] <= '9') t = t.endsWith('%') ? this.params.numberTokens.percent : this.params.numberTokens.number;
      out.push(t);
    }
    return out;
  }

  /** Unigram (negation-marked) and bigram feature strings, in the order Python emits them. */
  features(text: string): string[] {
    const { unigram, bigram, negated } = this.params.featurePrefixes;
    const feats: string[] = [];
    let scope = 0;
    let prev: string | null = null;
    for (const t of this.tokens(text)) {
      if (this.breaks.has(t)) {
        scope = 0;
        prev = null;
        continue;
      }
      feats.push(unigram + (scope > 0 ? negated + t : t));
      if (prev !== null) feats.push(`${bigram}${prev} ${t}`);
      if (this.negators.has(t)) scope = this.params.negationScope;
      else if (scope > 0) scope -= 1;
      prev = t;
    }
    return feats;
  }

  /** Hashed ids, truncated to maxLen and right-padded with 0. */
  encode(text: string): number[] {
    const ids = this.features(text)
      .slice(0, this.params.maxLen)
      .map((f) => (fnv1a32(f) % (this.params.vocabSize - 1)) + 1);
    while (ids.length < this.params.maxLen) ids.push(0);
    return ids;
  }

  /**
   * A batch as the model's int64 input (row-major [texts.length, maxLen]). Ids are small and
   * non-negative, so they are written into the low 32-bit words of the little-endian int64s
   * (high words stay 0) instead of allocating a BigInt per id.
   */
  encodeBatch(texts: readonly string[]): BigInt64Array {
    const L = this.params.maxLen;
    const out = new BigInt64Array(texts.length * L);
    const words = new Uint32Array(out.buffer);
    texts.forEach((t, i) => this.encode(t).forEach((id, j) => (words[2 * (i * L + j)] = id)));
    return out;
  }
}
