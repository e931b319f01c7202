import { FEATURE_COUNT, SENTIMENT_OFFSET, SIGNAL_FEATURES } from '../features/signal-features';
import type { ModelRunner } from '../model-runner';

/** What the signal model says for one (symbol, bar) at one horizon. */
export interface SignalOutput {
  /** P(close rises over the horizon) */
  pUp: number;
  /** expected simple return over the horizon */
  expectedReturn: number;
}

export interface SignalPrediction extends SignalOutput {
  /** the model with all sentiment features at their no-news value (0) */
  price: SignalOutput;
  /** full output minus the price part: what the news adds */
  sentiment: SignalOutput;
}

/**
 * The `signal` model: raw feature rows in, P(up) and expected return per horizon out. Per-signal
 * contributions come from a second pass with the sentiment features set to "no news", so
 * price + sentiment = full by construction.
 */
export class SignalModel {
  readonly horizons: number[];

  constructor(private readonly model: ModelRunner) {
    const pre = model.card.preprocessing as { featureNames?: string[]; horizons?: number[] };
    if (JSON.stringify(pre.featureNames) !== JSON.stringify(SIGNAL_FEATURES)) {
      throw new Error(`signal card features ${pre.featureNames?.join(',')} differ from libs/trading's ${SIGNAL_FEATURES.join(',')}`);
    }
    this.horizons = pre.horizons ?? [1, 5, 20];
  }

  get modelVersion(): string {
    return `${this.model.card.name}@${this.model.card.version}`;
  }

  /** Column of a horizon in the model's outputs; throws naming the supported horizons. */
  horizonIndex(horizon: number): number {
    const k = this.horizons.indexOf(horizon);
    if (k < 0) throw new RangeError(`horizon must be one of ${this.horizons.join(', ')} bars, got ${horizon}`);
    return k;
  }

  /**
   * Predicts rows of features (row-major [n, FEATURE_COUNT] float64).
   * @param features feature rows (no NaN)
   * @param horizon bars ahead
   */
  async predict(features: Float64Array, horizon: number): Promise<SignalPrediction[]> {
    const k = this.horizonIndex(horizon);
    const n = features.length / FEATURE_COUNT;
    if (!n) return [];
    const full: { features: Float32Array }[] = [];
    const priceOnly: { features: Float32Array }[] = [];
    for (let i = 0; i < n; i++) {
      const row = Float32Array.from(features.subarray(i * FEATURE_COUNT, (i + 1) * FEATURE_COUNT));
      full.push({ features: row });
      const p = row.slice();
      p.fill(0, SENTIMENT_OFFSET);
      priceOnly.push({ features: p });
    }
    const outs = await this.model.inferMany([...full, ...priceOnly]);
    return Array.from({ length: n }, (_, i) => {
      const f = outs[i];
      const p = outs[n + i];
      const pUp = f.p_up[k];
      const expectedReturn = f.expected_return[k];
      const price = { pUp: p.p_up[k], expectedReturn: p.expected_return[k] };
      return { pUp, expectedReturn, price, sentiment: { pUp: pUp - price.pUp, expectedReturn: expectedReturn - price.expectedReturn } };
    });
  }
}
