import { lobeAt } from './lobe';
import { generatePhantom } from './phantom';

const small = { matrix: 160, fovMm: 340, sliceThicknessMm: 2.5, slices: 110 };

describe('generatePhantom', () => {
  const a = generatePhantom({ seed: 11, ...small, noduleCount: 5 });

  it('is deterministic for a seed', () => {
    const b = generatePhantom({ seed: 11, ...small, noduleCount: 5 });
    expect(b.nodules).toEqual(a.nodules);
    expect(Buffer.from(b.volume.hu.buffer).equals(Buffer.from(a.volume.hu.buffer))).toBe(true);
    const c = generatePhantom({ seed: 12, ...small, noduleCount: 5 });
    expect(c.nodules).not.toEqual(a.nodules);
  });

  it('draws air outside, soft tissue in the body and aerated lungs', () => {
    const [nx, ny, nz] = a.volume.dims;
    const at = (i: number, j: number, k: number) => a.volume.hu[i + nx * (j + ny * k)];
    const k = Math.round(nz * 0.55);
    expect(at(2, 2, k)).toBeLessThan(-850);
    // lungs sit left and right of the midline: sample the right lung's centre (x ≈ -68 mm)
    const i = Math.round((-68 + 170) / (340 / 160));
    const j = Math.round((0 + 170) / (340 / 160));
    const lungVoxels: number[] = [];
    for (let d = -2; d <= 2; d++) lungVoxels.push(at(i + d, j, k));
    expect(Math.min(...lungVoxels)).toBeLessThan(-700);
    expect(at(nx / 2, Math.round((-95 + 170) / (340 / 160)), k)).toBeGreaterThan(-300); // anterior chest wall / mediastinum
  });

  it('places the nodules asked for, inside the lungs, with their lobe', () => {
    const p = generatePhantom({
      seed: 5,
      ...small,
      nodules: [
        { type: 'solid', diameterMm: 10, site: 'isolated' },
        { type: 'part-solid', diameterMm: 16, site: 'juxtavascular', solidFraction: 0.5 },
        { type: 'ground-glass', diameterMm: 12, site: 'juxtapleural' },
      ],
    });
    expect(p.nodules.map((n) => [n.type, n.site, n.diameterMm])).toEqual([
      ['solid', 'isolated', 10],
      ['part-solid', 'juxtavascular', 16],
      ['ground-glass', 'juxtapleural', 12],
    ]);
    expect(p.nodules[1].solidDiameterMm).toBe(8);
    for (const n of p.nodules) expect(n.lobe).toBe(lobeAt(n.centerMm, p.lungExtents));
    // the solid nodule's centre is nodule-dense, the ground glass one is between lung and tissue
    const hu = (c: [number, number, number]) => {
      const [nx, ny] = p.volume.dims;
      const i = Math.round((c[0] - p.volume.origin[0]) / p.volume.spacing[0]);
      const j = Math.round((c[1] - p.volume.origin[1]) / p.volume.spacing[1]);
      const k = Math.round((c[2] - p.volume.origin[2]) / p.volume.spacing[2]);
      return p.volume.hu[i + nx * (j + ny * k)];
    };
    expect(hu(p.nodules[0].centerMm)).toBeGreaterThan(-150);
    expect(hu(p.nodules[2].centerMm)).toBeGreaterThan(-750);
    expect(hu(p.nodules[2].centerMm)).toBeLessThan(-300);
  });
});
