import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { logistic, logisticCard, logisticModel, writeRegistry } from '../__fixtures__/tiny-models';
import { startKServeTestServer } from '../__fixtures__/kserve-v2-test-server';
import { ModelRegistry } from '../registry/model-registry';
import { KServeV2Backend, parseRemoteModels } from './kserve-v2-backend';
import { OnnxRuntimeBackend } from './onnxruntime-backend';

describe('KServe v2 remote backend', () => {
  it('serves a model from a remote v2 server through the same registry API', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'kserve-')), 'model.onnx');
    writeFileSync(path, logisticModel());
    const local = await new OnnxRuntimeBackend().createSession({ name: 'logit', path }, { device: 'cpu' });
    const server = await startKServeTestServer({ logit: local });
    const registry = new ModelRegistry({ modelsDir: writeRegistry('logit', logisticModel(), logisticCard), backends: { logit: new KServeV2Backend(server.url) } });
    const model = await registry.get('logit', { maxDelayMs: 5 });
    expect(model.provider).toMatch(/^kserve-v2 http:\/\/127\.0\.0\.1/);
    const rows = [Float32Array.from([1, 0, 0, 0]), Float32Array.from([0, 1, 0, 0]), Float32Array.from([0.2, 0.1, 0.5, -1])];
    const out = await Promise.all(rows.map((x) => model.infer({ x })));
    out.forEach((o, i) => expect(o.prob[0]).toBeCloseTo(logistic(rows[i]), 5));
    expect(server.requests).toBe(1); // batched into one remote call
    await registry.close();
    await server.close();
    await local.release();
  });

  it('reports an unreachable or unknown remote model clearly', async () => {
    await expect(new KServeV2Backend('http://127.0.0.1:9', 500).createSession({ name: 'x' }, { device: 'cpu' })).rejects.toThrow(/Remote inference at http:\/\/127.0.0.1:9\/v2\/models\/x failed/);
    const server = await startKServeTestServer({});
    await expect(new KServeV2Backend(server.url).createSession({ name: 'nope' }, { device: 'cpu' })).rejects.toThrow(/answered 404/);
    await server.close();
  });

  it('parses per-model remote configuration', () => {
    expect(parseRemoteModels('aml-txn=http://triton:8000, nodule=https://gpu:8443')).toEqual({ 'aml-txn': 'http://triton:8000', nodule: 'https://gpu:8443' });
    expect(() => parseRemoteModels('aml-txn=triton:8000')).toThrow(/must be <model>=<http\(s\) url>/);
  });
});
