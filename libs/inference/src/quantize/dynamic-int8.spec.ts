import { OnnxRuntimeBackend } from '../backend/onnxruntime-backend';
import { logistic, logisticModel } from '../__fixtures__/tiny-models';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quantizeColumns, quantizeModel } from './dynamic-int8';

describe('dynamic int8 quantization', () => {
  it('quantizes per column within half a step', () => {
    const w = Float32Array.from([1, -0.5, 0.25, 2, -3, 0.001]); // [3, 2]
    const { q, scales } = quantizeColumns(w, 3, 2);
    for (let i = 0; i < w.length; i++) expect(Math.abs(q[i] * scales[i % 2] - w[i])).toBeLessThanOrEqual(scales[i % 2] / 2 + 1e-7);
  });

  it('rewrites Gemm into the MatMulInteger pattern and keeps outputs close', async () => {
    const { bytes, report } = quantizeModel(logisticModel());
    expect(report.quantized).toEqual(['gemm']);
    const path = join(mkdtempSync(join(tmpdir(), 'q-')), 'm.onnx');
    writeFileSync(path, bytes);
    const session = await new OnnxRuntimeBackend().createSession({ name: 'q', path }, { device: 'cpu' });
    const x = Float32Array.from([0.3, -0.2, 0.9, 0.1, -1, 1, 0.5, 0.5]);
    const out = await session.run({ x: { dtype: 'float32', dims: [2, 4], data: x } });
    expect(out.prob.data[0]).toBeCloseTo(logistic(x.subarray(0, 4)), 2);
    expect(out.prob.data[1]).toBeCloseTo(logistic(x.subarray(4, 8)), 2);
    await session.release();
  });
});
