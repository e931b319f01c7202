import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { OnnxRuntimeBackend } from '../backend/onnxruntime-backend';
import type { BackendSession } from '../backend/inference-backend';
import { allocate, type TensorData } from '../backend/tensor';
import { evaluateHeldout } from '../evaluation/evaluate';
import { readHeldout, type HeldoutSet } from '../evaluation/heldout';
import type { ModelCard } from '../registry/card';
import { formatNumber, table, type Block } from './document';
import { checkedVersion, sha256File } from './model-version-folder';

/** Rows per timed call: the batch the services' dynamic batcher reaches under load. */
export const BENCH_BATCH = 256;
const WARMUPS = 3;
const TIMED_RUNS = 7;
/** Each timed run repeats the batch until it lasts at least this long, so timer resolution does not matter. */
const MIN_RUN_MS = 100;
const THREADS = 1;

/** One entry of card.variants: a compressed alternative to model.onnx with the same inputs and outputs. */
export const ModelVariant = z
  .object({
    name: z.string().min(1),
    file: z.string().min(1),
    /** How it was made, e.g. "distillation from a 4x wider teacher", "structured pruning of 50% of hidden units". */
    method: z.string().min(1),
    parameters: z.number().int().nonnegative().optional(),
    measured: z.record(z.string(), z.unknown()).optional(),
  })
  .passthrough();
export type ModelVariant = z.infer<typeof ModelVariant>;

export function cardVariants(card: ModelCard): ModelVariant[] {
  const raw = (card as Record<string, unknown>).variants;
  if (raw === undefined) return [];
  const parsed = z.array(ModelVariant).safeParse(raw);
  if (!parsed.success) throw new Error(`${card.name} card.variants: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

export interface VariantMeasurement {
  variant: string;
  file: string;
  method: string;
  parameters?: number;
  sizeBytes: number;
  rowsPerSecond: number;
  batch: number;
  threads: number;
  metrics: Record<string, number>;
  /** fp32 rows/s measured in the same run, when the row was measured by another run than the fp32 row. */
  fp32RowsPerSecond?: number;
}

/** `batch` rows for a speed test: the held-out rows repeated as often as needed. */
export function benchFeeds(heldout: HeldoutSet, batch = BENCH_BATCH): Record<string, TensorData> {
  return Object.fromEntries(
    Object.entries(heldout.inputs).map(([k, t]) => {
      const per = t.data.length / t.dims[0];
      const data = allocate(t.dtype, batch * per);
      for (let r = 0; r < batch; r++) (data as { set(a: ArrayLike<unknown>, o: number): void }).set(t.data.subarray((r % t.dims[0]) * per, ((r % t.dims[0]) + 1) * per) as ArrayLike<unknown>, r * per);
      return [k, { dtype: t.dtype, dims: [batch, ...t.dims.slice(1)], data }];
    }),
  );
}

/** Median rows/s over several timed runs at a fixed batch, after warm-up runs. CPU, one thread. */
export async function rowsPerSecond(session: Pick<BackendSession, 'run'>, feeds: Record<string, TensorData>, batch = BENCH_BATCH): Promise<number> {
  let t0 = performance.now();
  for (let i = 0; i < WARMUPS; i++) await session.run(feeds);
  const perCall = Math.max((performance.now() - t0) / WARMUPS, 1e-3);
  const repeats = Math.max(1, Math.ceil(MIN_RUN_MS / perCall));
  const rates: number[] = [];
  for (let r = 0; r < TIMED_RUNS; r++) {
    t0 = performance.now();
    for (let i = 0; i < repeats; i++) await session.run(feeds);
    rates.push((repeats * batch) / ((performance.now() - t0) / 1000));
  }
  rates.sort((a, b) => a - b);
  return rates[Math.floor(rates.length / 2)];
}

async function measureFile(card: ModelCard, folder: string, file: string, heldout: HeldoutSet, feeds: Record<string, TensorData>) {
  const path = join(folder, file);
  if (!existsSync(path)) throw new Error(`${card.name} ${card.version}: variant file ${file} is missing`);
  const session = await new OnnxRuntimeBackend().createSession({ name: card.name, path }, { device: 'cpu', threads: THREADS });
  try {
    const metrics = await evaluateHeldout(card, folder, session, heldout);
    return { sizeBytes: statSync(path).size, rowsPerSecond: Math.round(await rowsPerSecond(session, feeds)), batch: BENCH_BATCH, threads: THREADS, metrics };
  } finally {
    await session.release();
  }
}

/**
 * Size, speed and held-out metrics of fp32, int8 (when the card lists it) and every card.variants
 * entry of one version. With `record`, writes `measured` into each variant entry of card.json and
 * lists variant files that card.files lacks (sha256 + bytes); entries already there are never changed.
 */
export async function measureVariants(modelsDir: string, name: string, version?: string, options: { record?: boolean } = {}): Promise<{ version: string; folder: string; kind: string; rows: VariantMeasurement[]; recorded: boolean }> {
  const v = checkedVersion(modelsDir, name, version);
  const { card, folder } = v;
  if (!card.heldout || !card.evaluation) throw new Error(`${name} ${v.version}: card has no heldout/evaluation block to measure variants on`);
  const variants = cardVariants(card);
  const heldout = readHeldout(join(folder, card.heldout.path));
  const feeds = benchFeeds(heldout);
  const rows: VariantMeasurement[] = [];
  rows.push({ variant: 'fp32', file: 'model.onnx', method: 'trained model', ...(await measureFile(card, folder, 'model.onnx', heldout, feeds)) });
  if (card.int8 && card.int8.file in card.files) rows.push({ variant: 'int8', file: card.int8.file, method: 'dynamic int8 quantization of MatMul/Gemm weights', ...(await measureFile(card, folder, card.int8.file, heldout, feeds)) });
  for (const variant of variants) rows.push({ variant: variant.name, file: variant.file, method: variant.method, parameters: variant.parameters, ...(await measureFile(card, folder, variant.file, heldout, feeds)) });
  if (!options.record || !variants.length) return { version: v.version, folder, kind: card.evaluation.kind, rows, recorded: false };

  const raw = JSON.parse(readFileSync(join(folder, 'card.json'), 'utf8')) as { files: Record<string, { sha256: string; bytes: number }>; variants: Record<string, unknown>[] };
  const fp32 = rows[0];
  variants.forEach((variant, i) => {
    const m = rows.find((r) => r.variant === variant.name && r.file === variant.file) as VariantMeasurement;
    const listed = raw.files[variant.file];
    const actual = sha256File(join(folder, variant.file));
    if (!listed) raw.files[variant.file] = { sha256: actual, bytes: m.sizeBytes };
    else if (listed.sha256 !== actual) throw new Error(`${name} ${v.version}: card.files lists ${variant.file} with sha256 ${listed.sha256}, the file has ${actual}; not recording`);
    raw.variants[i].measured = {
      sizeBytes: m.sizeBytes,
      rowsPerSecond: m.rowsPerSecond,
      batch: m.batch,
      threads: m.threads,
      metrics: m.metrics,
      fp32SizeBytes: fp32.sizeBytes,
      fp32RowsPerSecond: fp32.rowsPerSecond,
      fp32Metrics: fp32.metrics,
    };
  });
  writeFileSync(join(folder, 'card.json'), JSON.stringify(raw, null, 2) + '\n');
  return { version: v.version, folder, kind: card.evaluation.kind, rows, recorded: true };
}

/** The metrics a trade-off table shows per evaluation kind (the rest stay in the card). */
export const HEADLINE_METRICS: Record<string, string[]> = {
  binary: ['f1', 'prAuc', 'rocAuc'],
  multiclass: ['accuracy', 'macroF1'],
  'token-multiclass': ['accuracy', 'macroF1'],
  regression: ['mae', 'ic'],
};

export function variantsTable(rows: VariantMeasurement[], kind: string): Block {
  const metrics = HEADLINE_METRICS[kind] ?? Object.keys(rows[0]?.metrics ?? {});
  const fp32 = rows.find((r) => r.variant === 'fp32');
  return table(
    ['variant', 'method', 'parameters', 'size (bytes)', 'size vs fp32', `rows/s (batch ${BENCH_BATCH}, ${THREADS} thread)`, 'speed vs fp32', ...metrics],
    rows.map((r) => [
      r.variant,
      r.method,
      formatNumber(r.parameters),
      String(r.sizeBytes),
      fp32 ? `${((100 * r.sizeBytes) / fp32.sizeBytes).toFixed(0)}%` : '–',
      String(r.rowsPerSecond),
      fp32 ? `${(r.rowsPerSecond / (r.fp32RowsPerSecond ?? fp32.rowsPerSecond)).toFixed(2)}x` : '–',
      ...metrics.map((m) => formatNumber(r.metrics[m])),
    ]),
  );
}
