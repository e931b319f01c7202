import type { CtVolume, Vec3 } from './ct-volume';
import { measureNodule } from './nodule-measurement';
import { SeededRandom } from './seeded-random';

/** A lung-like block with ellipsoids drawn analytically (partial volume at the edges) plus noise. */
function block(draw: (x: number, y: number, z: number) => number, spacing: Vec3 = [0.7, 0.7, 1.25], noise = 15): CtVolume {
  const dims: Vec3 = [90, 90, 50];
  const hu = new Int16Array(dims[0] * dims[1] * dims[2]);
  const rnd = new SeededRandom(3);
  for (let k = 0; k < dims[2]; k++)
    for (let j = 0; j < dims[1]; j++)
      for (let i = 0; i < dims[0]; i++) {
        const x = (i - 45) * spacing[0];
        const y = (j - 45) * spacing[1];
        const z = (k - 25) * spacing[2];
        hu[i + dims[0] * (j + dims[1] * k)] = Math.round(draw(x, y, z) + noise * rnd.normal());
      }
  return { dims, spacing, origin: [-45 * spacing[0], -45 * spacing[1], -25 * spacing[2]], rowDir: [1, 0, 0], colDir: [0, 1, 0], sliceDir: [0, 0, 1], hu };
}

/** ellipsoid occupancy with a one-voxel soft edge */
function occupancy(x: number, y: number, z: number, a: number, b: number, c: number, w = 0.8): number {
  const q = Math.sqrt((x / a) ** 2 + (y / b) ** 2 + (z / c) ** 2);
  return Math.max(0, Math.min(1, 0.5 - ((q - 1) * Math.min(a, b, c)) / w));
}

describe('measureNodule', () => {
  it('measures a solid ellipsoid: long/short axis, mean diameter, volume', () => {
    const v = block((x, y, z) => -850 + 890 * occupancy(x, y, z, 6, 4, 5));
    const m = measureNodule(v, [0.5, -0.3, 0.2], { radiusHintMm: 4 })!;
    expect(m.longAxisMm).toBeGreaterThan(11);
    expect(m.longAxisMm).toBeLessThan(13.2);
    expect(m.shortAxisMm).toBeGreaterThan(7);
    expect(m.shortAxisMm).toBeLessThan(9.2);
    expect(Math.abs(m.diameterMm - 10)).toBeLessThan(1.2);
    const truth = (4 / 3) * Math.PI * 6 * 4 * 5;
    expect(Math.abs(m.volumeMm3 - truth) / truth).toBeLessThan(0.25);
    expect(m.meanHu).toBeGreaterThan(-200);
    expect(Math.hypot(...m.centerMm)).toBeLessThan(0.6);
  });

  it('cuts a touching vessel off by the opening', () => {
    const vessel = (x: number, y: number, z: number) => Math.max(0, Math.min(1, 0.5 - (Math.hypot(y - 6.5, z) - 1.5) / 0.8));
    const v = block((x, y, z) => -850 + 890 * Math.max(occupancy(x, y, z, 5, 5, 5), vessel(x, y, z)));
    const m = measureNodule(v, [0, 0, 0], { radiusHintMm: 5 })!;
    expect(Math.abs(m.diameterMm - 10)).toBeLessThan(1.5);
  });

  it('finds the solid component of a part-solid nodule', () => {
    const v = block((x, y, z) => {
      const ggo = -850 + 300 * occupancy(x, y, z, 8, 8, 8);
      return Math.max(ggo, -850 + 890 * occupancy(x, y, z, 3, 3, 3));
    });
    const m = measureNodule(v, [0, 0, 0], { radiusHintMm: 6 })!;
    expect(Math.abs(m.diameterMm - 16)).toBeLessThan(2);
    expect(Math.abs(m.solidComponentMm - 6)).toBeLessThan(1.6);
    expect(m.solidFraction).toBeLessThan(0.3);
  });

  it('returns null where there is only lung', () => {
    expect(measureNodule(block(() => -850), [0, 0, 0], { radiusHintMm: 4 })).toBeNull();
  });
});
