import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onnx } from 'onnx-proto';
import { logistic, logisticCard, logisticModel } from '../../__fixtures__/tiny-models';
import { sha256 } from '../model-version-folder';

/** The tiny logistic model with other weights (same graph). */
export function logisticWith(w: number[], b: number): Uint8Array {
  const m = onnx.ModelProto.decode(logisticModel());
  for (const t of m.graph!.initializer!) {
    const data = t.name === 'w' ? Float32Array.from(w) : Float32Array.from([b]);
    t.rawData = new Uint8Array(data.buffer);
  }
  return onnx.ModelProto.encode(m).finish();
}

export interface HeldoutRows {
  x: Float32Array;
  labels: number[];
  groups?: Record<string, string[]>;
}

/**
 * 400 rows labelled by the true (production) model; rows 300..399 form group "late" of dimension
 * "period" and have every fourth label flipped, so the model is measurably worse there.
 */
export function heldoutRows(withGroups = true): HeldoutRows {
  const rows = 400;
  const x = new Float32Array(rows * 4);
  const labels: number[] = [];
  let s = 3;
  for (let i = 0; i < rows; i++) {
    for (let k = 0; k < 4; k++) x[i * 4 + k] = ((s = (s * 48271) % 2147483647) / 2147483647) * 2 - 1;
    const y = logistic(x.subarray(i * 4, i * 4 + 4)) >= 0.5 ? 1 : 0;
    labels.push(i >= 300 && i % 4 === 0 ? 1 - y : y);
  }
  const groups = { period: labels.map((_, i) => (i >= 300 ? 'late' : i >= 290 ? 'tiny' : 'early')) };
  return { x, labels, groups: withGroups ? groups : undefined };
}

export function heldoutJson(h: HeldoutRows): string {
  const enc = (a: Float32Array | BigInt64Array, dtype: string, dims: number[]) => ({ dtype, dims, b64: Buffer.from(a.buffer).toString('base64') });
  const y = BigInt64Array.from(h.labels, (v) => BigInt(v));
  return JSON.stringify({ inputs: { x: enc(h.x, 'float32', [h.labels.length, 4]) }, labels: enc(y, 'int64', [h.labels.length]), ...(h.groups ? { groups: h.groups } : {}) });
}

/** Writes a version folder of model "logit" (card, model.onnx, heldout.json, optional extra files). */
export function writeLogitVersion(folder: string, version: string, model: Uint8Array, heldout: string, extra: { card?: Record<string, unknown>; files?: Record<string, Uint8Array | string> } = {}) {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'model.onnx'), model);
  writeFileSync(join(folder, 'heldout.json'), heldout);
  for (const [f, b] of Object.entries(extra.files ?? {})) writeFileSync(join(folder, f), b);
  const card = {
    ...logisticCard,
    name: 'logit',
    version,
    task: 'binary-classification',
    description: 'a logistic model for tests',
    heldout: { path: 'heldout.json', rows: 400 },
    evaluation: { kind: 'binary', output: 'prob', tolerance: 0.02 },
    metrics: { heldout: {} },
    files: { 'model.onnx': { sha256: sha256(model), bytes: model.length }, 'heldout.json': { sha256: sha256(heldout), bytes: heldout.length } },
    ...extra.card,
  };
  writeFileSync(join(folder, 'card.json'), JSON.stringify(card, null, 2));
}
