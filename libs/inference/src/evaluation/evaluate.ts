import { join } from 'node:path';
import type { BackendSession } from '../backend/inference-backend';
import type { TensorData } from '../backend/tensor';
import type { ModelCard } from '../registry/card';
import { readHeldout, sliceRows, type HeldoutSet } from './heldout';
import { argmaxRows, binaryMetrics, multiclassMetrics, regressionMetrics } from './metrics';

/** Runs a session over a held-out set in chunks, concatenating one output. */
export async function runOverHeldout(session: Pick<BackendSession, 'run'>, heldout: HeldoutSet, output: string, chunk = 512): Promise<TensorData> {
  const parts: TensorData[] = [];
  for (let start = 0; start < heldout.rows; start += chunk) {
    const end = Math.min(heldout.rows, start + chunk);
    const feeds = Object.fromEntries(Object.entries(heldout.inputs).map(([k, t]) => [k, sliceRows(t, start, end)]));
    const out = await session.run(feeds);
    if (!out[output]) throw new Error(`model has no output ${output}`);
    parts.push(out[output]);
  }
  const total = parts.reduce((a, p) => a + p.data.length, 0);
  const data = new Float32Array(total);
  let o = 0;
  for (const p of parts) {
    data.set(p.data as Float32Array, o);
    o += p.data.length;
  }
  return { dtype: 'float32', dims: [heldout.rows, ...parts[0].dims.slice(1)], data };
}

/** Recomputes the card's `metrics.heldout` the way its `evaluation` block says. */
export async function evaluateHeldout(card: ModelCard, folder: string, session: Pick<BackendSession, 'run'>, heldout?: HeldoutSet): Promise<Record<string, number>> {
  const ev = card.evaluation;
  if (!ev || !card.heldout) throw new Error(`card of ${card.name} has no evaluation/heldout block`);
  const set = heldout ?? readHeldout(join(folder, card.heldout.path));
  const out = await runOverHeldout(session, set, ev.output);
  const labels = Array.from(set.labels.data as ArrayLike<number | bigint>, Number);
  const width = out.data.length / set.rows;
  switch (ev.kind) {
    case 'binary': {
      const col = ev.positiveColumn ?? width - 1;
      const scores = new Float32Array(set.rows);
      for (let i = 0; i < set.rows; i++) scores[i] = out.data[i * width + col] as number;
      return binaryMetrics(labels, scores, ev.threshold ?? 0.5);
    }
    case 'multiclass': {
      const classes = card.labels?.length ?? width;
      return multiclassMetrics(labels, argmaxRows(out.data as Float32Array, classes), classes);
    }
    case 'token-multiclass': {
      const classes = out.dims[out.dims.length - 1];
      return multiclassMetrics(labels, argmaxRows(out.data as Float32Array, classes), classes, ev.ignoreLabel);
    }
    case 'regression':
      return regressionMetrics(labels, Array.from(out.data as Float32Array));
  }
}

/** Metrics of `actual` that fall short of `expected` by more than `tolerance`. */
const LOWER_IS_BETTER = new Set(['mae', 'rmse']);

export function shortfalls(expected: Record<string, number>, actual: Record<string, number>, tolerance: number): string[] {
  return Object.entries(expected)
    .filter(([k]) => k in actual)
    .filter(([k, v]) => (LOWER_IS_BETTER.has(k) ? actual[k] > v + tolerance : actual[k] < v - tolerance))
    .map(([k, v]) => `${k} ${actual[k].toFixed(4)} vs card ${v.toFixed(4)} (tolerance ${tolerance})`);
}
