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
      // Known weakness (card, README): on 2.5 mm slices this phantom's 10 mm solid nodule measures 15.8 mm
      // because a touching vessel is segmented with it; the bound says how far off we are today.
      expect(Math.abs(f!.diameterMm - truth.diameterMm)).toBeLessThan(6.5);
      expect(f!.lobe[0]).toBe(truth.lobe[0]); // side; the lobe may differ near a fissure
    }
    const solid = r.nodules.find((n) => distance(n.centerMm, p.nodules[0].centerMm) < 5)!;
    // Lung-RADS v2022 for a solid baseline nodule follows its measured mean diameter
    const d = solid.diameterMm;
    expect(solid.lungRads).toBe(d >= 15 ? '4B' : d >= 8 ? '4A' : d >= 6 ? '3' : '2');
    // false positives at the 2-per-scan operating point: 5 on this phantom today (vessels, chest wall)
    expect(r.nodules.length).toBeLessThanOrEqual(p.nodules.length + 5);
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
