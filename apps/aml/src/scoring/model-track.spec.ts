import { join } from 'node:path';
import { FEATURE_NAMES, USD_RATES, PAYMENT_FORMATS } from '@suite/aml';
import { ModelRegistry, readHeldout } from '@suite/inference';
import { ModelTrack } from './model-track.service';

const registry = new ModelRegistry();
afterAll(() => registry.close());

interface AmlCard {
  evaluation: { threshold: number };
  preprocessing: { features: string[]; usdRates: Record<string, number>; paymentFormats: string[] };
  metrics: { typologies: string[]; perTypologyRecall: Record<string, { recall: number; n: number }> };
}

describe('aml-txn model as served', () => {
  it('has the features, rates and formats libs/aml computes', () => {
    const card = registry.loadCard('aml-txn') as unknown as AmlCard;
    expect(card.preprocessing.features).toEqual(FEATURE_NAMES);
    expect(card.preprocessing.usdRates).toEqual(USD_RATES);
    expect(card.preprocessing.paymentFormats).toEqual(PAYMENT_FORMATS);
  });

  it('still meets the per-typology recall written in its card on the held-out set', async () => {
    const card = registry.loadCard('aml-txn') as unknown as AmlCard;
    const heldout = readHeldout(join(registry.folder('aml-txn'), 'heldout.json'));
    const x = heldout.inputs.features;
    const typology = heldout.extra.typology.data as Int32Array;
    const track = new ModelTrack(registry);
    const dims = FEATURE_NAMES.length;
    const rows: Float64Array[] = [];
    for (let i = 0; i < x.dims[0]; i++) rows.push(Float64Array.from((x.data as Float32Array).subarray(i * dims, (i + 1) * dims)));
    const scores = await track.score(rows);
    const threshold = card.evaluation.threshold;
    card.metrics.typologies.forEach((name, k) => {
      const idx = [...typology.keys()].filter((i) => typology[i] === k);
      const expected = card.metrics.perTypologyRecall[name];
      expect(idx.length).toBe(expected.n);
      const recall = idx.filter((i) => scores[i] >= threshold).length / idx.length;
      // fp32 or int8, whichever the registry serves: within 5 points of the card
      expect(recall).toBeGreaterThanOrEqual(expected.recall - 0.05);
    });
  });

  it('attributes a score to the features that raise it', async () => {
    const track = new ModelTrack(registry);
    const heldout = readHeldout(join(registry.folder('aml-txn'), 'heldout.json'));
    const labels = heldout.labels.data as Int32Array;
    const i = labels.indexOf(1);
    const v = Float64Array.from((heldout.inputs.features.data as Float32Array).subarray(i * FEATURE_NAMES.length, (i + 1) * FEATURE_NAMES.length));
    const [contrib] = await track.contributions([v]);
    expect(contrib).toHaveLength(5);
    expect(contrib[0].contribution).toBeGreaterThan(0);
    expect(FEATURE_NAMES).toContain(contrib[0].feature);
    expect(contrib[0].contribution).toBeGreaterThanOrEqual(contrib[1].contribution);
  });
});
