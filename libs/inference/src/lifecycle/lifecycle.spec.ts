import { mkdtempSync, writeFileSync, mkdirSync, existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onnx } from 'onnx-proto';
import { logisticCard, logisticModel, LOGISTIC_W, LOGISTIC_B, logistic } from '../__fixtures__/tiny-models';
import { ModelRegistry } from '../registry/model-registry';
import { ModelVersions } from './model-versions';
import { reviewPromotion } from './promotion';

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

/** A logistic model with other weights (same graph). */
function logisticWith(w: number[], b: number): Uint8Array {
  const m = onnx.ModelProto.decode(logisticModel());
  for (const t of m.graph!.initializer!) {
    const data = t.name === 'w' ? Float32Array.from(w) : Float32Array.from([b]);
    t.rawData = new Uint8Array(data.buffer);
  }
  return onnx.ModelProto.encode(m).finish();
}

/** Held-out rows labelled by the true (production) model. */
function heldout(): string {
  const rows = 400;
  const x = new Float32Array(rows * 4);
  const y = new BigInt64Array(rows);
  let s = 3;
  for (let i = 0; i < rows; i++) {
    for (let k = 0; k < 4; k++) x[i * 4 + k] = ((s = (s * 48271) % 2147483647) / 2147483647) * 2 - 1;
    y[i] = logistic(x.subarray(i * 4, i * 4 + 4)) >= 0.5 ? 1n : 0n;
  }
  const enc = (a: Float32Array | BigInt64Array, dtype: string, dims: number[]) => ({ dtype, dims, b64: Buffer.from(a.buffer).toString('base64') });
  return JSON.stringify({ inputs: { x: enc(x, 'float32', [rows, 4]) }, labels: enc(y, 'int64', [rows]) });
}

function writeVersion(folder: string, version: string, model: Uint8Array, held: string, threshold?: number) {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'model.onnx'), model);
  writeFileSync(join(folder, 'heldout.json'), held);
  const card = {
    ...logisticCard,
    name: 'logit',
    version,
    task: 'binary-classification',
    description: 'test',
    heldout: { path: 'heldout.json' },
    evaluation: { kind: 'binary', output: 'prob', tolerance: 0.02, threshold },
    metrics: { heldout: {} },
    files: { 'model.onnx': { sha256: sha(model), bytes: model.length }, 'heldout.json': { sha256: sha(held), bytes: held.length } },
  };
  writeFileSync(join(folder, 'card.json'), JSON.stringify(card));
}

describe('model lifecycle', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lifecycle-'));
    const held = heldout();
    writeVersion(join(dir, 'logit'), '1.0.0', logisticModel(), held);
    writeVersion(join(dir, 'staging', 'better'), '1.1.0', logisticWith(LOGISTIC_W.map((w) => w * 1.05), LOGISTIC_B), held); // same decisions
    writeVersion(join(dir, 'staging', 'worse'), '1.2.0', logisticWith([-0.5, 1, 0.3, 2], 0.4), held); // different decisions
  });

  it('lists versions with stages and refuses a promotion that is worse than production', async () => {
    const versions = new ModelVersions(dir, 'logit');
    versions.addCandidate(join(dir, 'staging', 'better'), 'ana');
    versions.addCandidate(join(dir, 'staging', 'worse'), 'ana');
    expect(versions.list().map((v) => [v.version, v.stage])).toEqual([['1.2.0', 'candidate'], ['1.1.0', 'candidate'], ['1.0.0', 'production']]);
    const production = versions.get('1.0.0');
    const bad = await reviewPromotion(versions.get('1.2.0'), production);
    expect(bad.allowed).toBe(false);
    expect(bad.regressions.join()).toMatch(/accuracy: candidate/);
    const good = await reviewPromotion(versions.get('1.1.0'), production);
    expect(good.allowed).toBe(true);
  });

  it('scores each version at its own operating point', async () => {
    const versions = new ModelVersions(dir, 'logit');
    // the same decision boundary with every logit raised by 1: at its own threshold sigmoid(1) it
    // decides exactly as production; at production's 0.5 it would alert on far more rows
    const shifted = logisticWith(LOGISTIC_W, LOGISTIC_B + 1);
    const held = readFileSync(join(dir, 'logit', 'heldout.json'), 'utf8');
    writeVersion(join(dir, 'staging', 'own-threshold'), '1.3.0', shifted, held, 1 / (1 + Math.exp(-1)));
    writeVersion(join(dir, 'staging', 'no-threshold'), '1.4.0', shifted, held);
    versions.addCandidate(join(dir, 'staging', 'own-threshold'));
    versions.addCandidate(join(dir, 'staging', 'no-threshold'));
    const production = versions.get('1.0.0');
    const own = await reviewPromotion(versions.get('1.3.0'), production);
    expect(own.allowed).toBe(true);
    expect(own.candidate.precision).toBeCloseTo(own.production.precision, 6);
    const atProductionsThreshold = await reviewPromotion(versions.get('1.4.0'), production);
    expect(atProductionsThreshold.allowed).toBe(false);
    expect(atProductionsThreshold.regressions.join()).toMatch(/precision: candidate/);
  });

  it('promotes by swapping folders and rolls back the same way', () => {
    const versions = new ModelVersions(dir, 'logit');
    versions.addCandidate(join(dir, 'staging', 'better'));
    expect(versions.promote('1.1.0', 'sup', 'better calibrated')).toEqual({ from: '1.0.0', to: '1.1.0' });
    expect(JSON.parse(readFileSync(join(dir, 'logit', 'card.json'), 'utf8')).version).toBe('1.1.0');
    expect(existsSync(join(dir, 'logit', '1.0.0', 'model.onnx'))).toBe(true);
    expect(versions.get('1.0.0').stage).toBe('retired');
    expect(versions.promote('1.0.0', 'sup', 'rollback')).toEqual({ from: '1.1.0', to: '1.0.0' });
    expect(versions.list().map((v) => [v.version, v.stage])).toEqual([['1.1.0', 'retired'], ['1.0.0', 'production']]);
  });

  it('runs a shadow candidate on live traffic without changing answers, and reports agreement', async () => {
    const versions = new ModelVersions(dir, 'logit');
    versions.addCandidate(join(dir, 'staging', 'worse'));
    versions.setStage('1.2.0', 'shadow', 'sup');
    const registry = new ModelRegistry({ modelsDir: dir, device: 'cpu' });
    const model = await registry.get('logit', { maxDelayMs: 1 });
    const rows = Array.from({ length: 200 }, (_, i) => Float32Array.from([Math.sin(i), Math.cos(i * 1.3), Math.sin(i * 0.7), Math.cos(i * 0.3)]));
    const out = await Promise.all(rows.map((x) => model.infer({ x })));
    out.forEach((o, i) => expect(o.prob[0]).toBeCloseTo(logistic(rows[i]), 5)); // production answers
    await new Promise((r) => setTimeout(r, 50));
    const report = model.shadowReport()!;
    expect(report.version).toBe('1.2.0');
    expect(report.compared).toBe(200);
    expect(report.agreement).toBeGreaterThan(0);
    expect(report.agreement).toBeLessThan(1);
    await registry.close();
  });
});
