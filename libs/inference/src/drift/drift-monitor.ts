import type { TensorData } from '../backend/tensor';
import type { ModelCard } from '../registry/card';
import { BinCounter } from './psi';

const SAMPLE_ROWS = 16;

interface Tracker {
  key: string;
  kind: 'input' | 'output';
  counter: BinCounter;
  /** tensor name and column, when the library can observe it by itself */
  tensor?: string;
  column?: number;
}

export interface DriftEntry {
  feature: string;
  kind: 'input' | 'output';
  psi: number;
  observations: number;
}

/**
 * PSI of live inputs and outputs against the reference histograms in the card. References named
 * after a feature (card.preprocessing.features), `<tensor>:<column>` or a tensor are observed
 * automatically on every batch; any other name (a derived statistic such as a note's token count)
 * is fed by the domain through `observe(name, value)`.
 */
export class DriftMonitor {
  private readonly trackers: Tracker[] = [];
  private readonly byKey = new Map<string, Tracker>();
  private batches = 0;

  constructor(card: ModelCard) {
    const features = Array.isArray(card.preprocessing?.features) ? (card.preprocessing?.features as unknown[]).map(String) : [];
    const firstInput = card.inputs[0]?.name;
    const tensorNames = new Set([...card.inputs, ...card.outputs].map((t) => t.name));
    const add = (kind: 'input' | 'output', refs: ModelCard['reference'] extends infer R ? (R extends { inputs?: infer I } ? I : never) : never) => {
      for (const [key, reference] of Object.entries(refs ?? {})) {
        const t: Tracker = { key, kind, counter: new BinCounter(reference) };
        const m = /^(.+):(\d+)$/.exec(key);
        if (kind === 'input' && features.includes(key)) {
          t.tensor = firstInput;
          t.column = features.indexOf(key);
        } else if (m && tensorNames.has(m[1])) {
          t.tensor = m[1];
          t.column = Number(m[2]);
        } else if (tensorNames.has(key)) {
          t.tensor = key;
        }
        this.trackers.push(t);
        this.byKey.set(key, t);
      }
    };
    add('input', card.reference?.inputs as never);
    add('output', card.reference?.outputs as never);
  }

  get features(): string[] {
    return this.trackers.map((t) => t.key);
  }

  /**
   * Called by the batcher with each batch's feeds and outputs. At most `SAMPLE_ROWS` rows of a batch
   * are counted (evenly spaced): PSI needs a sample, and full counting would cost more than a small
   * model's inference.
   */
  observeBatch(feeds: Record<string, TensorData>, outputs: Record<string, TensorData>, n: number) {
    const step = Math.max(1, Math.ceil(n / SAMPLE_ROWS));
    // a rotating first row, so periodic traffic is not always sampled at the same phase
    const first = this.batches++ % step;
    for (const t of this.trackers) {
      if (!t.tensor) continue;
      const tensor = feeds[t.tensor] ?? outputs[t.tensor];
      if (!tensor) continue;
      const data = tensor.data as ArrayLike<number | bigint>;
      const width = data.length / n;
      for (let r = first; r < n; r += step) {
        if (t.column === undefined) for (let i = r * width; i < (r + 1) * width; i++) t.counter.add(Number(data[i]));
        else t.counter.add(Number(data[r * width + t.column]));
      }
    }
  }

  /** Observes a value the library cannot see by itself (a derived statistic named in the card). */
  observe(key: string, value: number) {
    this.byKey.get(key)?.counter.add(value);
  }

  report(): DriftEntry[] {
    return this.trackers.map((t) => ({ feature: t.key, kind: t.kind, psi: t.counter.psi(), observations: t.counter.n }));
  }

  reset() {
    for (const t of this.trackers) t.counter.reset();
  }
}
