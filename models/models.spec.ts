import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkModels, defaultModelsDir } from '@suite/inference';

// `npm run models:check` as a test: every committed model keeps the metrics its card claims.
describe('committed models', () => {
  it('have valid cards, matching checksums and meet their held-out metrics', async () => {
    const results = await checkModels();
    expect(results.length).toBeGreaterThan(0);
    const failures = results.filter((r) => !r.ok).map((r) => `${r.model}: ${r.problems.join('; ')}`);
    expect(failures).toEqual([]);
  }, 300_000);
});

describe('version folders', () => {
  it('are checked too: a version whose model file does not match its card is reported', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'models-'));
    const source = join(defaultModelsDir(), 'aml-txn');
    // every file the card lists (model, int8, held-out set, filter report, variants) and the card
    const files = ['card.json', ...Object.keys((JSON.parse(readFileSync(join(source, 'card.json'), 'utf8')) as { files: Record<string, unknown> }).files)];
    for (const folder of [join(dir, 'aml-txn'), join(dir, 'aml-txn', '0.9.0')]) {
      mkdirSync(folder, { recursive: true });
      for (const f of files) copyFileSync(join(source, f), join(folder, f));
    }
    appendFileSync(join(dir, 'aml-txn', '0.9.0', 'model.onnx'), Buffer.from([0]));
    const [result] = await checkModels(dir);
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([expect.stringMatching(/^version folder 0\.9\.0: .*sha256 of model\.onnx/)]);
  }, 120_000);
});
