import { join } from 'node:path';
import { OnnxRuntimeBackend } from '../backend/onnxruntime-backend';
import { evaluateHeldout } from '../evaluation/evaluate';
import { readHeldout } from '../evaluation/heldout';
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
 * and refuses the promotion when the candidate is worse on any metric beyond the tolerance.
 */
export async function reviewPromotion(candidate: ModelVersion, production: ModelVersion, tolerance = production.card.evaluation?.tolerance ?? 0.01): Promise<PromotionReview> {
  const card = production.card;
  if (!card.heldout || !card.evaluation) throw new Error(`${card.name} ${card.version} has no held-out set to compare against`);
  const heldout = readHeldout(join(production.folder, card.heldout.path));
  const backend = new OnnxRuntimeBackend();
  const score = async (v: ModelVersion) => {
    const s = await backend.createSession({ name: card.name, path: join(v.folder, 'model.onnx') }, { device: 'cpu' });
    try {
      return await evaluateHeldout(card, production.folder, s, heldout);
    } finally {
      await s.release();
    }
  };
  const prod = await score(production);
  const cand = await score(candidate);
  const lowerIsBetter = new Set(['mae', 'rmse']);
  const regressions = Object.keys(prod)
    .filter((k) => (lowerIsBetter.has(k) ? cand[k] > prod[k] + tolerance : cand[k] < prod[k] - tolerance))
    .map((k) => `${k}: candidate ${cand[k].toFixed(4)} vs production ${prod[k].toFixed(4)}`);
  return { allowed: regressions.length === 0, candidate: cand, production: prod, regressions, tolerance };
}
