import type { ModelRunner } from '../model-runner';
import { HeadlineTokenizer, HeadlineTokenizerParams } from './headline-tokenizer';

export const SentimentLabel = {
  /** bad news for the instrument */
  NEGATIVE: 'NEGATIVE',
  /** no clear direction */
  NEUTRAL: 'NEUTRAL',
  /** good news for the instrument */
  POSITIVE: 'POSITIVE',
} as const;
export type SentimentLabel = keyof typeof SentimentLabel;

export interface Sentiment {
  label: SentimentLabel;
  /** P(positive) - P(negative), in [-1, 1] */
  score: number;
  probabilities: { negative: number; neutral: number; positive: number };
}

/** Longest text scored; longer input is cut (the tokenizer only reads the first maxLen features). */
export const MAX_SENTIMENT_TEXT = 10_000;

/**
 * Scores headlines with the `news-sentiment` model: tokenized here exactly as in training,
 * run through the shared inference library (dynamic batching across concurrent callers).
 */
export class SentimentScorer {
  private readonly tokenizer: HeadlineTokenizer;
  private readonly order: number[];

  constructor(private readonly model: ModelRunner) {
    const pre = model.card.preprocessing as unknown as HeadlineTokenizerParams;
    this.tokenizer = new HeadlineTokenizer(pre);
    const labels = model.card.labels ?? ['NEGATIVE', 'NEUTRAL', 'POSITIVE'];
    this.order = ['NEGATIVE', 'NEUTRAL', 'POSITIVE'].map((l) => labels.indexOf(l));
    if (this.order.some((i) => i < 0)) throw new Error(`news-sentiment card labels ${labels.join(',')} lack NEGATIVE/NEUTRAL/POSITIVE`);
  }

  get modelVersion(): string {
    return `${this.model.card.name}@${this.model.card.version}`;
  }

  /** Token ids of one text, as the model's input row. */
  encode(text: string): BigInt64Array {
    return this.tokenizer.encodeBatch([text.slice(0, MAX_SENTIMENT_TEXT)]);
  }

  async score(texts: readonly string[]): Promise<Sentiment[]> {
    if (!texts.length) return [];
    const rows = texts.map((t) => ({ input_ids: this.encode(t) }));
    // the card's `tokenCount` reference: how many hashed features a text has (drift in text style)
    for (const r of rows) this.model.drift?.observe('tokenCount', r.input_ids.filter((x) => x !== 0n).length);
    const outs = await this.model.inferMany(rows);
    return outs.map((o) => toSentiment(o.probabilities, this.order));
  }
}

function toSentiment(p: ArrayLike<number>, order: number[]): Sentiment {
  const probabilities = { negative: p[order[0]], neutral: p[order[1]], positive: p[order[2]] };
  const best = Math.max(probabilities.negative, probabilities.neutral, probabilities.positive);
  // first maximum wins, as numpy's argmax in the training script
  const label: SentimentLabel = best === probabilities.negative ? 'NEGATIVE' : best === probabilities.neutral ? 'NEUTRAL' : 'POSITIVE';
  return { label, score: probabilities.positive - probabilities.negative, probabilities };
}
