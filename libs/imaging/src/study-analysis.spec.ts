import { ModelRegistry } from '@suite/inference';
import { distance } from './ct-volume';
import { modelClassifier, operatingThreshold } from './nodule-model';
import { generatePhantom } from './phantom';
import { analyzeVolume } from './study-analysis';

/** The whole analysis on a generated chest CT with the committed `nodule` model (no stand-ins). */
describe('analyzeVolume with the nodule model', () => {
  const registry = new ModelRegistry({});
  afterAll(() => registry.close());

  it('finds and types the nodules, measures them and gives Lung-RADS', async () => {
    const p = generatePhantom({
      seed: 77,
      matrix: 192,
      fovMm: 350,
      sliceThicknessMm: 2.5,
      slices: 112,
      nodules: [
        { type: 'solid', diameterMm: 10, site: 'isolated' },
        { type: 'ground-glass', diameterMm: 14, site: 'isolated' },
      ],
    });
    const model = await registry.get('nodule');
    const progress: number[] = [];
    const r = await analyzeVolume(p.volume, modelClassifier(model), { threshold: operatingThreshold(model.card, 2), onProgress: (f) => void progress.push(f) });
    expect(progress[progress.length - 1]).toBe(1);
    expect(r.candidates).toBeGreaterThan(20);
    for (const truth of p.nodules) {
      const f = r.nodules.find((n) => distance(n.centerMm, truth.centerMm) < Math.max(4, truth.diameterMm / 2));
      expect({ truth: truth.type, found: f?.type }).toEqual({ truth: truth.type, found: truth.type });
      // tolerances follow the card's held-out diameter errors: solid nodules measure well, ground glass less so
      expect(Math.abs(f!.diameterMm - truth.diameterMm)).toBeLessThan(truth.type === 'solid' ? 2.5 : 6);
      expect(f!.lobe[0]).toBe(truth.lobe[0]); // side; the lobe may differ near a fissure
    }
    const solid = r.nodules.find((n) => distance(n.centerMm, p.nodules[0].centerMm) < 5)!;
    expect(['3', '4A']).toContain(solid.lungRads);
    // false positives stay few at this operating point
    expect(r.nodules.length).toBeLessThanOrEqual(p.nodules.length + 4);
    expect(r.timings.modelRaw).toBeLessThanOrEqual(r.timings.model);
  });

  it('reads the threshold of an operating point from the card, and refuses unknown ones', async () => {
    const model = await registry.get('nodule');
    const t1 = operatingThreshold(model.card, 1);
    const t8 = operatingThreshold(model.card, 8);
    expect(t1).toBeGreaterThan(t8);
    expect(() => operatingThreshold(model.card, 3)).toThrow(/no FROC operating point at 3/);
  });
});
