import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { metricsRegistry, OverloadedError } from '@suite/platform';
import { logistic, logisticCard, logisticModel, sequenceCard, sequenceModel, writeRegistry } from '../__fixtures__/tiny-models';
import { CudaUnavailableError } from '../backend/onnxruntime-backend';
import { DeadlineExceededError } from '../batching/dynamic-batcher';
import { ModelRegistry } from './model-registry';

const cudaBundled = ort.listSupportedBackends().some((b) => b.name === 'cuda' && b.bundled);

function rows(n: number) {
  return Array.from({ length: n }, (_, i) => Float32Array.from([Math.sin(i), Math.cos(i), (i % 7) / 7 - 0.5, i / n]));
}

async function batchStats(model: string) {
  const metric = (await metricsRegistry.getSingleMetricAsString('inference_batch_size')).split('\n');
  const sum = Number(metric.find((l) => l.startsWith(`inference_batch_size_sum{model="${model}"`))?.split(' ').pop());
  const count = Number(metric.find((l) => l.startsWith(`inference_batch_size_count{model="${model}"`))?.split(' ').pop());
  return { sum, count };
}

describe('ModelRegistry', () => {
  it('refuses a model whose file does not match the sha256 in its card', async () => {
    const dir = writeRegistry('logit', logisticModel(), logisticCard);
    const file = join(dir, 'logit', 'model.onnx');
    const bytes = readFileSync(file);
    bytes[bytes.length - 1] ^= 0xff;
    writeFileSync(file, bytes);
    await expect(new ModelRegistry({ modelsDir: dir }).get('logit')).rejects.toThrow(/Model logit refused: sha256 of model.onnx is [0-9a-f]{64}, card.json says/);
  });

  it('refuses a malformed card, naming the field', async () => {
    const dir = writeRegistry('logit', logisticModel(), { ...logisticCard, version: 'latest', inputs: [{ name: 'x', dtype: 'float64', shape: [-1, 4] }] });
    const err = await new ModelRegistry({ modelsDir: dir }).get('logit').catch((e) => e);
    expect(err.message).toMatch(/card.json version: must be a semantic version/);
    expect(err.message).toMatch(/card.json inputs.0.dtype/);
    writeFileSync(join(dir, 'logit', 'card.json'), '{ not json');
    await expect(new ModelRegistry({ modelsDir: dir }).get('logit')).rejects.toThrow(/card.json is not valid JSON/);
  });

  it('falls back to CPU under INFERENCE_DEVICE=auto and says so', async () => {
    const logs: { msg: string; fields?: Record<string, unknown> }[] = [];
    const registry = new ModelRegistry({ modelsDir: writeRegistry('logit', logisticModel(), logisticCard), device: 'auto', log: (msg, fields) => logs.push({ msg, fields }) });
    const model = await registry.get('logit');
    const out = await model.infer({ x: Float32Array.from([1, 2, 3, 4]) });
    expect(out.prob[0]).toBeCloseTo(logistic([1, 2, 3, 4]), 5);
    if (!cudaBundled) {
      expect(model.provider).toBe('cpu');
      expect(logs[0].msg).toMatch(/runs on cpu/);
      expect(logs[0].fields?.fallbackReason).toBeTruthy();
    }
    await registry.close();
  });

  (cudaBundled ? it.skip : it)('fails loudly under INFERENCE_DEVICE=cuda when CUDA cannot load', async () => {
    const registry = new ModelRegistry({ modelsDir: writeRegistry('logit', logisticModel(), logisticCard), device: 'cuda' });
    const err = await registry.get('logit').catch((e) => e);
    expect(err).toBeInstanceOf(CudaUnavailableError);
    expect(err.message).toMatch(/INFERENCE_DEVICE=cuda but the CUDA execution provider could not be loaded for logit/);
  });

  it('merges concurrent single-row calls into batches and returns each caller its own row', async () => {
    const registry = new ModelRegistry({ modelsDir: writeRegistry('merge', logisticModel(), { ...logisticCard, name: 'merge' }), device: 'cpu' });
    const model = await registry.get('merge', { maxBatch: 64, maxDelayMs: 5 });
    const input = rows(300);
    const results = await Promise.all(input.map((x) => model.infer({ x })));
    results.forEach((r, i) => expect(r.prob[0]).toBeCloseTo(logistic(input[i]), 5));
    const { sum, count } = await batchStats('merge');
    expect(sum).toBe(300);
    expect(count).toBeLessThanOrEqual(10); // 300 rows in batches of up to 64, not 300 runs
    expect(count).toBeGreaterThanOrEqual(5);
    await registry.close();
  });

  it('rejects at once when the queue is full', async () => {
    const registry = new ModelRegistry({ modelsDir: writeRegistry('full', logisticModel(), { ...logisticCard, name: 'full' }), device: 'cpu' });
    const model = await registry.get('full', { maxBatch: 2, maxQueue: 8, maxDelayMs: 50 });
    const settled = await Promise.allSettled(rows(20).map((x) => model.infer({ x })));
    const rejected = settled.filter((s) => s.status === 'rejected') as PromiseRejectedResult[];
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected[0].reason).toBeInstanceOf(OverloadedError);
    expect(settled.filter((s) => s.status === 'fulfilled').length).toBeGreaterThanOrEqual(8);
    await registry.close();
  });

  it('expires a request whose deadline passes while it waits', async () => {
    const registry = new ModelRegistry({ modelsDir: writeRegistry('late', logisticModel(), { ...logisticCard, name: 'late' }), device: 'cpu' });
    const model = await registry.get('late', { maxBatch: 256, maxDelayMs: 200 });
    const started = Date.now();
    await expect(model.infer({ x: rows(1)[0] }, { deadlineMs: 20 })).rejects.toBeInstanceOf(DeadlineExceededError);
    expect(Date.now() - started).toBeLessThan(150); // rejected at the deadline, not when the batch ran
    await expect(model.infer({ x: rows(1)[0] })).resolves.toBeDefined();
    await registry.close();
  });

  it('pads variable-length rows and trims outputs back to each row', async () => {
    const registry = new ModelRegistry({ modelsDir: writeRegistry('seq', sequenceModel(), sequenceCard), device: 'cpu' });
    const model = await registry.get('seq', { pad: { x: 0 }, trimOutputs: { doubled: 'x' } });
    const a = Float32Array.from([1, 2, 3]);
    const b = Float32Array.from([5]);
    const c = Float32Array.from([1, 1, 1, 1, 1, 1]);
    const [ra, rb, rc] = await Promise.all([a, b, c].map((x) => model.infer({ x })));
    expect(Array.from(ra.doubled as Float32Array)).toEqual([2, 4, 6]);
    expect(Array.from(rb.doubled as Float32Array)).toEqual([10]);
    expect(Array.from(rc.doubled as Float32Array)).toEqual([2, 2, 2, 2, 2, 2]);
    expect([ra.total[0], rb.total[0], rc.total[0]]).toEqual([6, 5, 6]);
    await registry.close();
  });

  it('refuses a row of the wrong size with a clear error', async () => {
    const registry = new ModelRegistry({ modelsDir: writeRegistry('logit', logisticModel(), logisticCard), device: 'cpu' });
    const model = await registry.get('logit');
    await expect(model.infer({ x: Float32Array.from([1, 2]) })).rejects.toThrow(/Input x of logit has 2 values; expected 4/);
    await expect(model.infer({})).rejects.toThrow(/Missing input x/);
    await registry.close();
  });

  it('tracks drift of inputs and outputs against the card reference', async () => {
    const registry = new ModelRegistry({ modelsDir: writeRegistry('drift', logisticModel(), { ...logisticCard, name: 'drift' }), device: 'cpu' });
    const model = await registry.get('drift');
    // feature a uniform over the reference's four quartile bins: no drift
    let seed = 7;
    const uniform = () => ((seed = (seed * 48271) % 2147483647) / 2147483647) * 2 - 1; // in (-1, 1)
    for (let round = 0; round < 20; round++) {
      await model.inferMany(Array.from({ length: 200 }, () => ({ x: Float32Array.from([uniform(), 0, 0, 0]) })));
    }
    const before = model.driftReport().find((d) => d.feature === 'a')!;
    expect(before.observations).toBeGreaterThanOrEqual(16); // a sample of each batch is counted
    expect(before.psi).toBeLessThan(0.1);
    model.drift.reset();
    // everything lands in the top bin: a large shift
    await model.inferMany(Array.from({ length: 400 }, () => ({ x: Float32Array.from([2, 0, 0, 0]) })));
    expect(model.driftReport().find((d) => d.feature === 'a')!.psi).toBeGreaterThan(1);
    expect(model.driftReport().find((d) => d.feature === 'prob')!.observations).toBeGreaterThanOrEqual(16);
    await registry.close();
  });
});
