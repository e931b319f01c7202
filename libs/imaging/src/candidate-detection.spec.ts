import { toAnalysisGrid } from './analysis-grid';
import { findCandidates, symmetricEigenvalues } from './candidate-detection';
import { distance } from './ct-volume';
import { segmentLungs } from './lung-segmentation';
import { generatePhantom } from './phantom';

describe('candidate detection', () => {
  const p = generatePhantom({
    seed: 21,
    matrix: 192,
    fovMm: 350,
    sliceThicknessMm: 2.5,
    slices: 112,
    nodules: [
      { type: 'solid', diameterMm: 8, site: 'isolated' },
      { type: 'ground-glass', diameterMm: 14, site: 'isolated' },
      { type: 'solid', diameterMm: 12, site: 'juxtapleural' },
    ],
  });
  const grid = toAnalysisGrid(p.volume);
  const lungs = segmentLungs(grid);

  it('segments two aerated lungs of adult size, split at the midline', () => {
    expect(lungs.volumeMl).toBeGreaterThan(2000);
    expect(lungs.volumeMl).toBeLessThan(8000);
    expect(Math.abs(lungs.extents.midlineX)).toBeLessThan(15);
    expect(lungs.extents.right.zMax - lungs.extents.right.zMin).toBeGreaterThan(150);
  });

  it('puts a candidate on every nodule (solid, ground glass, juxtapleural) among a few hundred', () => {
    const c = findCandidates(grid, lungs);
    expect(c.length).toBeGreaterThan(20);
    expect(c.length).toBeLessThanOrEqual(300);
    for (const n of p.nodules) {
      const hit = c.find((x) => distance(x.centerMm, n.centerMm) <= Math.max(3, n.diameterMm / 2));
      expect({ nodule: `${n.type} ${n.site}`, hit: !!hit }).toEqual({ nodule: `${n.type} ${n.site}`, hit: true });
    }
  });

  it('computes symmetric eigenvalues', () => {
    expect(symmetricEigenvalues(3, 1, 2, 0, 0, 0)).toEqual([1, 2, 3]);
    const ev = symmetricEigenvalues(2, 2, 2, 1, 0, 0); // eigenvalues 1, 2, 3
    expect(ev[0]).toBeCloseTo(1);
    expect(ev[1]).toBeCloseTo(2);
    expect(ev[2]).toBeCloseTo(3);
  });
});
