import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OnnxRuntimeBackend } from '../backend/onnxruntime-backend';
import type { BackendSession } from '../backend/inference-backend';
import { evaluateHeldout } from '../evaluation/evaluate';
import { readHeldout, sliceRows, type HeldoutSet } from '../evaluation/heldout';
import { ModelRegistry } from '../registry/model-registry';
import { quantizeModel } from './dynamic-int8';

const BENCH_BATCH = 256;

async function rowsPerSecond(session: BackendSession, heldout: HeldoutSet, seconds = 1): Promise<number> {
  const rows = Math.min(BENCH_BATCH, heldout.rows);
  const feeds = Object.fromEntries(Object.entries(heldout.inputs).map(([k, t]) => [k, sliceRows(t, 0, rows)]));
  for (let i = 0; i < 5; i++) await session.run(feeds);
  let done = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    await session.run(feeds);
    done += rows;
  }
  return done / ((performance.now() - start) / 1000);
}

/**
 * Writes `model.int8.onnx`, measures it against fp32 on the held-out set (metrics, size, rows/s at
 * batch 256) and records the result in the card. The registry serves int8 only when the measured
 * drop of every metric in `int8.tolerance` is within its bound.
 */
export async function quantizeAndRecord(name: string, modelsDir?: string) {
  const registry = new ModelRegistry({ modelsDir, device: 'cpu' });
  const card = registry.loadCard(name);
  const folder = registry.folder(name);
  if (!card.heldout || !card.evaluation) throw new Error(`card of ${name} has no heldout/evaluation block to measure int8 against`);
  const fp32Bytes = readFileSync(join(folder, 'model.onnx'));
  const { bytes, report } = quantizeModel(new Uint8Array(fp32Bytes));
  if (!report.quantized.length) throw new Error(`${name} has no MatMul/Gemm with constant weights to quantize`);
  const file = 'model.int8.onnx';
  writeFileSync(join(folder, file), bytes);
  const heldout = readHeldout(join(folder, card.heldout.path));
  const backend = new OnnxRuntimeBackend();
  const fp32 = await backend.createSession({ name, path: join(folder, 'model.onnx') }, { device: 'cpu' });
  const int8 = await backend.createSession({ name, path: join(folder, file) }, { device: 'cpu' });
  const fp32Metrics = await evaluateHeldout(card, folder, fp32, heldout);
  const int8Metrics = await evaluateHeldout(card, folder, int8, heldout);
  const fp32Rps = await rowsPerSecond(fp32, heldout);
  const int8Rps = await rowsPerSecond(int8, heldout);
  await fp32.release();
  await int8.release();
  const tolerance = card.int8?.tolerance ?? Object.fromEntries(Object.keys(card.metrics.heldout ?? fp32Metrics).filter((k) => !['mae', 'rmse'].includes(k)).map((k) => [k, 0.01]));
  const withinTolerance = Object.entries(tolerance).every(([k, maxDrop]) => !(k in int8Metrics) || int8Metrics[k] >= fp32Metrics[k] - maxDrop);
  const raw = JSON.parse(readFileSync(join(folder, 'card.json'), 'utf8'));
  raw.files[file] = { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
  raw.int8 = {
    file,
    tolerance,
    measured: {
      sizeBytes: bytes.length,
      fp32SizeBytes: fp32Bytes.length,
      rowsPerSecond: Math.round(int8Rps),
      fp32RowsPerSecond: Math.round(fp32Rps),
      batch: BENCH_BATCH,
      metrics: int8Metrics,
      fp32Metrics,
      withinTolerance,
      quantizedNodes: report.quantized.length,
      skippedNodes: report.skipped,
    },
  };
  writeFileSync(join(folder, 'card.json'), JSON.stringify(raw, null, 2) + '\n');
  return raw.int8;
}
