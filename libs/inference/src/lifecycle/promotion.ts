import { join } from 'node:path';
import { OnnxRuntimeBackend } from '../backend/onnxruntime-backend';
import { evaluateHeldout } from '../evaluation/evaluate';
import { readHeldout, type HeldoutSet } from '../evaluation/heldout';
import type { ModelCard } from '../registry/card';
import type { ModelVersion } from './model-versions';

export interface PromotionReview {
  allowed: boolean;
  candidate: Record<string, number>;
  production: Record<string, number>;
  /** metrics where the candidate is worse than production by more than the tolerance */
  regressions: string[];
  tolerance: number;
}

/**
 * Scores candidate and production on the PRODUCTION card's held-out set (the same rows for both)
 * and refuses the promotion when the candidate is worse on any metric beyond the tolerance. Each
 * version is scored at its own card's operating point (threshold), the one it would serve with.
 */
export async function reviewPromotion(candidate: ModelVersion, production: ModelVersion, tolerance = production.card.evaluation?.tolerance ?? 0.01): Promise<PromotionReview> {
  const card = production.card;
  if (!card.heldout || !card.evaluation) throw new Error(`${card.name} ${card.version} has no held-out set to compare against`);
  const heldout = readHeldout(join(production.folder, card.heldout.path));
  const backend = new OnnxRuntimeBackend();
  const score = async (v: ModelVersion, rows: HeldoutSet) => {
    const s = await backend.createSession({ name: card.name, path: join(v.folder, 'model.onnx') }, { device: 'cpu' });
    try {
      return await evaluateHeldout(atOperatingPointOf(v.card, card), production.folder, s, rows);
    } finally {
      await s.release();
    }
  };
  const prod = await score(production, heldout);
  const cand = await score(candidate, candidateRows(candidate, card, heldout));
  const lowerIsBetter = new Set(['mae', 'rmse']);
  const regressions = Object.keys(prod)
    .filter((k) => (lowerIsBetter.has(k) ? cand[k] > prod[k] + tolerance : cand[k] < prod[k] - tolerance))
    .map((k) => `${k}: candidate ${cand[k].toFixed(4)} vs production ${prod[k].toFixed(4)}`);
  return { allowed: regressions.length === 0, candidate: cand, production: prod, regressions, tolerance };
}

/** Production's evaluation recipe with the version's own decision threshold. */
function atOperatingPointOf(version: ModelCard, production: ModelCard): ModelCard {
  const threshold = version.evaluation?.threshold ?? production.evaluation?.threshold;
  return production.evaluation && threshold !== undefined ? { ...production, evaluation: { ...production.evaluation, threshold } } : production;
}

/**
 * The rows the candidate is scored on: production's held-out set, unless the candidate encodes
 * inputs differently (its own vocabulary or tokenizer file) and ships the same rows (identical
 * labels) encoded its way; then those, so both models answer the same examples.
 */
function candidateRows(candidate: ModelVersion, productionCard: ModelCard, production: HeldoutSet): HeldoutSet {
  if (sameInputEncoding(candidate.card, productionCard) || !candidate.card.heldout) return production;
  const own = readHeldout(join(candidate.folder, candidate.card.heldout.path));
  const a = production.labels.data as ArrayLike<number | bigint>;
  const b = own.labels.data as ArrayLike<number | bigint>;
  const same = a.length === b.length && Array.from(a).every((x, i) => x === b[i]);
  if (!same) throw new Error(`${candidate.card.name} ${candidate.version} encodes inputs differently from production and its held-out rows are not production's (labels differ), so the two cannot be compared on the same rows`);
  return own;
}

/** Same preprocessing block and the same bytes for every file it names (vocabulary, tokenizer). */
export function sameInputEncoding(a: ModelCard, b: ModelCard): boolean {
  if (JSON.stringify(a.preprocessing ?? {}) !== JSON.stringify(b.preprocessing ?? {})) return false;
  const named = new Set(Object.values(a.preprocessing ?? {}).filter((v): v is string => typeof v === 'string'));
  return [...named].filter((f) => f in a.files || f in b.files).every((f) => a.files[f]?.sha256 === b.files[f]?.sha256);
}
