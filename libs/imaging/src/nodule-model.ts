import type { ServedModel } from '@suite/inference';
import type { PatchClassifier } from './study-analysis';

/** The `nodule` ONNX model (through @suite/inference) as the analysis's patch classifier. */
export function modelClassifier(model: ServedModel): PatchClassifier {
  return {
    async classify(patches) {
      const rows = await model.inferMany(patches.map((patch) => ({ patch })));
      return rows.map((r) => r.probs as Float32Array);
    },
  };
}

/**
 * The P(nodule) threshold for an operating point on the held-out FROC curve written in the card
 * (false positives per scan), so the service's sensitivity/FP trade-off is the measured one.
 */
export function operatingThreshold(card: { metrics: Record<string, unknown> }, fpPerScan: number): number {
  const froc = card.metrics.froc as { thresholdAtFpPerScan?: Record<string, number> } | undefined;
  const table = froc?.thresholdAtFpPerScan;
  if (!table) throw new Error('the nodule card has no metrics.froc.thresholdAtFpPerScan: retrain with models/nodule/train.py');
  const key = String(fpPerScan);
  if (table[key] === undefined) throw new Error(`no FROC operating point at ${fpPerScan} FP/scan in the card (have ${Object.keys(table).join(', ')})`);
  return table[key];
}
