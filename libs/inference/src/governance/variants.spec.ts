import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOGISTIC_B, LOGISTIC_W, logisticModel } from '../__fixtures__/tiny-models';
import { heldoutJson, heldoutRows, logisticWith, writeLogitVersion } from './__fixtures__/logit-versions';
import { sha256 } from './model-version-folder';
import { measureVariants } from './variants';

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'variants-'));
  const folder = join(dir, 'logit');
  const smaller = logisticWith(LOGISTIC_W.map((w, i) => (i === 3 ? 0 : w)), LOGISTIC_B); // one input pruned away
  writeLogitVersion(folder, '1.0.0', logisticModel(), heldoutJson(heldoutRows()), {
    files: { 'model.pruned.onnx': smaller },
    card: { variants: [{ name: 'pruned', file: 'model.pruned.onnx', method: 'weight of feature d set to 0', parameters: 4 }] },
  });
  return { dir, folder, smaller };
}

describe('variants', () => {
  it('measures size, speed and held-out metrics of fp32 and each variant and records them in the card', async () => {
    const { dir, folder, smaller } = setup();
    const before = JSON.parse(readFileSync(join(folder, 'card.json'), 'utf8'));
    const result = await measureVariants(dir, 'logit', undefined, { record: true });
    expect(result.rows.map((r) => r.variant)).toEqual(['fp32', 'pruned']);
    const [fp32, pruned] = result.rows;
    expect(fp32.metrics.accuracy).toBe(1 - 25 / 400); // labels from the model, 25 of them flipped
    expect(pruned.metrics.accuracy).toBeLessThan(fp32.metrics.accuracy);
    expect(pruned.sizeBytes).toBe(smaller.length);
    expect(pruned.rowsPerSecond).toBeGreaterThan(0);
    const card = JSON.parse(readFileSync(join(folder, 'card.json'), 'utf8'));
    expect(card.variants[0].measured).toMatchObject({ sizeBytes: smaller.length, batch: 256, metrics: pruned.metrics, fp32Metrics: fp32.metrics });
    expect(card.files['model.pruned.onnx']).toEqual({ sha256: sha256(smaller), bytes: smaller.length });
    expect(card.files['model.onnx']).toEqual(before.files['model.onnx']);
  }, 60_000);

  it('refuses to record when the card lists a variant file with another checksum', async () => {
    const { dir, folder } = setup();
    const card = JSON.parse(readFileSync(join(folder, 'card.json'), 'utf8'));
    card.files['model.pruned.onnx'] = { sha256: '0'.repeat(64), bytes: 1 };
    writeFileSync(join(folder, 'card.json'), JSON.stringify(card));
    await expect(measureVariants(dir, 'logit', undefined, { record: true })).rejects.toThrow(/sha256 of model.pruned.onnx/);
    expect(JSON.parse(readFileSync(join(folder, 'card.json'), 'utf8')).variants[0].measured).toBeUndefined();
  });
});
