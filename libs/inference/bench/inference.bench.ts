/**
 * `npm run bench -- inference`: the shipped aml-txn model, in one run,
 *  (a) raw onnxruntime-node at batch 1, (b) raw at its best batch size, and (c) the library serving
 *  256 concurrent single-row callers through dynamic batching. Ratios are what to read.
 */
import { join } from 'node:path';
import { metricsRegistry } from '@suite/platform';
import { allocate, DynamicBatcher, OnnxRuntimeBackend, ModelRegistry, readHeldout, sliceRows, type Row, type TensorData } from '../src';

// aml-txn: the tiny tabular MLP; news-sentiment: a heavier text model (embedding bag + MLP over 64 ids)
const MODELS = (process.env.BENCH_MODELS ?? 'aml-txn,news-sentiment').split(',');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);

async function timed(fn: () => Promise<number>, seconds = SECONDS): Promise<number> {
  for (let i = 0; i < 20; i++) await fn(); // warm-up
  let rows = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) rows += await fn();
  return rows / ((performance.now() - start) / 1000);
}

export async function main() {
  for (const model of MODELS) await benchModel(model);
}

async function benchModel(MODEL: string) {
  const registry = new ModelRegistry({ device: 'cpu', precision: 'fp32' });
  const card = registry.loadCard(MODEL);
  const folder = registry.folder(MODEL);
  const heldout = readHeldout(join(folder, card.heldout!.path));
  const inputName = card.inputs[0].name;
  const session = await new OnnxRuntimeBackend().createSession({ name: MODEL, path: join(folder, 'model.onnx') }, { device: 'cpu' });
  const source = heldout.inputs[inputName];
  // held-out sets can be smaller than a batch: tile their rows
  const feedsOf = (n: number): Record<string, TensorData> => {
    if (n <= heldout.rows) return { [inputName]: sliceRows(source, 0, n) };
    const per = source.data.length / heldout.rows;
    const data = allocate(source.dtype, n * per);
    for (let i = 0; i < n; i++) data.set(source.data.subarray((i % heldout.rows) * per, ((i % heldout.rows) + 1) * per) as never, i * per);
    return { [inputName]: { dtype: source.dtype, dims: [n, ...source.dims.slice(1)], data } };
  };

  const one = feedsOf(1);
  const rawBatch1 = await timed(async () => (await session.run(one), 1));
  let rawBest = 0;
  let rawBestBatch = 1;
  for (const b of [16, 64, 256, 1024]) {
    const feeds = feedsOf(b);
    const rps = await timed(async () => (await session.run(feeds), b));
    if (rps > rawBest) [rawBest, rawBestBatch] = [rps, b];
  }
  await session.release();

  const model = await registry.get(MODEL, { maxBatch: 256, maxDelayMs: 1 });
  const rowSize = heldout.inputs[inputName].data.length / heldout.rows;
  const tiled = feedsOf(1024)[inputName].data;
  const pool = Array.from({ length: 1024 }, (_, i) => ({ [inputName]: tiled.subarray(i * rowSize, (i + 1) * rowSize) }));
  const callers = 256;
  const latencies = new Float64Array(4_000_000);
  let served = 0;
  let stop = false;
  const caller = async (id: number) => {
    let k = id;
    while (!stop) {
      const t0 = performance.now();
      await model.infer(pool[k++ & 1023]);
      if (served < latencies.length) latencies[served] = performance.now() - t0;
      served++;
    }
  };
  // warm-up
  stop = false;
  setTimeout(() => (stop = true), 300);
  await Promise.all(Array.from({ length: callers }, (_, i) => caller(i)));
  served = 0;
  stop = false;
  const start = performance.now();
  setTimeout(() => (stop = true), SECONDS * 1000);
  await Promise.all(Array.from({ length: callers }, (_, i) => caller(i)));
  const libRps = served / ((performance.now() - start) / 1000);
  const lat = latencies.subarray(0, Math.min(served, latencies.length)).sort();
  const q = (p: number) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))];
  const batchMetric = (await metricsRegistry.getSingleMetricAsString('inference_batch_size')).split('\n');
  const pick = (suffix: string) => Number(batchMetric.find((l) => l.startsWith(`inference_batch_size_${suffix}{model="${MODEL}"`))?.split(' ').pop());
  const meanBatch = pick('sum') / pick('count');
  await registry.close();

  // The JavaScript floor: the same 256 callers through a batcher whose "model" answers at once
  // (no runtime call). What the library can reach is bounded by this, whatever the model.
  const outputs = card.outputs.map((o) => o.name);
  const floorBatcher = new DynamicBatcher(MODEL, card.inputs, card.outputs, async (feeds) => {
    const n = feeds[inputName].dims[0];
    await new Promise((r) => setImmediate(r)); // onnxruntime-node also runs each call from setImmediate
    return Object.fromEntries(outputs.map((name) => [name, { dtype: 'float32' as const, dims: [n, 1], data: new Float32Array(n) }]));
  }, { maxBatch: 256, maxDelayMs: 1, maxQueue: 4096 }, { batch: () => undefined, request: () => undefined, rejected: () => undefined });
  let floorServed = 0;
  stop = false;
  const floorCaller = async (id: number) => {
    let k = id;
    while (!stop) {
      await floorBatcher.submit(pool[k++ & 1023] as Row);
      floorServed++;
    }
  };
  const floorStart = performance.now();
  setTimeout(() => (stop = true), SECONDS * 1000);
  await Promise.all(Array.from({ length: callers }, (_, i) => floorCaller(i)));
  const floorRps = floorServed / ((performance.now() - floorStart) / 1000);

  const r = (x: number) => Math.round(x);
  console.log(
    JSON.stringify({
      bench: 'inference',
      model: MODEL,
      raw_batch1_rows_per_s: r(rawBatch1),
      raw_best_rows_per_s: r(rawBest),
      raw_best_batch: rawBestBatch,
      lib_rows_per_s: r(libRps),
      ratio_vs_batch1: +(libRps / rawBatch1).toFixed(2),
      ratio_vs_best: +(libRps / rawBest).toFixed(3),
      p50_ms: +q(0.5).toFixed(3),
      p99_ms: +q(0.99).toFixed(3),
      callers,
      lib_mean_batch: +meanBatch.toFixed(1),
      js_floor_rows_per_s: r(floorRps),
      lib_vs_js_floor: +(libRps / floorRps).toFixed(3),
    }),
  );
}
