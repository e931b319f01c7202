import { PNG } from 'pngjs';
import type { CtVolume } from './ct-volume';
import { measureNodule } from './nodule-measurement';
import { renderNoduleImage, renderStudySummary, windowed } from './nodule-image';

function sphereVolume(): CtVolume {
  const n = 64;
  const hu = new Int16Array(n * n * n);
  for (let k = 0; k < n; k++) for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) hu[i + n * (j + n * k)] = Math.hypot(i - 32, j - 32, k - 32) < 8 ? 40 : -850;
  return { dims: [n, n, n], spacing: [1, 1, 1], origin: [-32, -32, -32], rowDir: [1, 0, 0], colDir: [0, 1, 0], sliceDir: [0, 0, 1], hu };
}

describe('nodule pictures', () => {
  it('applies the DICOM linear window', () => {
    expect(windowed(-1400)).toBe(0);
    expect(windowed(200)).toBe(255);
    expect(windowed(-600)).toBe(128);
  });

  it('draws three planes with the outline in the given colour', () => {
    const v = sphereVolume();
    const m = measureNodule(v, [0, 0, 0], { radiusHintMm: 8 })!;
    const png = PNG.sync.read(renderNoduleImage(v, [0, 0, 0], m.outline, { size: 64, fovMm: 40, colour: [255, 0, 0] }));
    expect(png.width).toBe(3 * 64 + 4);
    expect(png.height).toBe(64);
    let red = 0;
    for (let p = 0; p < png.width * png.height; p++) if (png.data[4 * p] === 255 && png.data[4 * p + 1] === 0) red++;
    // a circle of ~16 mm drawn at 0.625 mm per pixel in each of three planes
    expect(red).toBeGreaterThan(3 * 60);
    // the centre of the axial panel is the nodule (bright), the corner is lung (dark)
    const grey = (x: number, y: number) => png.data[4 * (x + png.width * y)];
    expect(grey(32, 32)).toBeGreaterThan(200);
    expect(grey(2, 2)).toBe(windowed(-850));
  });

  it('draws a study overview with a close-up per nodule', () => {
    const v = sphereVolume();
    const png = PNG.sync.read(renderStudySummary(v, [{ centerMm: [0, 0, 0], diameterMm: 16, lungRads: '4B' }], { width: 256 }));
    expect(png.width).toBe(256);
    expect(png.height).toBe(256 + 128);
  });
});
