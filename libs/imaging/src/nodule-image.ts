import { PNG } from 'pngjs';
import { CtVolume, patientToVoxel, sampleHu, Vec3 } from './ct-volume';
import type { LungRadsCategory } from './lung-rads';
import type { NoduleMeasurement } from './nodule-measurement';

/**
 * Pictures of nodules for radiologists: axial, coronal and sagittal slices through the centre in a
 * lung window with the measured outline, and a study overview. Orientation follows radiological
 * convention: patient's right on the image's left, anterior up (axial), superior up (coronal, sagittal).
 */
export const LUNG_WINDOW = { center: -600, width: 1500 };

export const LUNG_RADS_COLOURS: Record<LungRadsCategory, [number, number, number]> = {
  '1': [120, 200, 255],
  '2': [80, 220, 100],
  '3': [250, 220, 60],
  '4A': [255, 150, 40],
  '4B': [255, 50, 50],
};

type Plane = 'axial' | 'coronal' | 'sagittal';

interface Canvas {
  width: number;
  height: number;
  data: Buffer;
}

/** The three planes side by side, each `size` pixels square covering `fovMm`. */
export function renderNoduleImage(
  v: CtVolume,
  centerMm: Vec3,
  outline: NoduleMeasurement['outline'] | null,
  opts: { size?: number; fovMm?: number; colour?: [number, number, number] } = {},
): Buffer {
  const size = opts.size ?? 192;
  const fov = opts.fovMm ?? 50;
  const gap = 2;
  const canvas = newCanvas(3 * size + 2 * gap, size);
  (['axial', 'coronal', 'sagittal'] as Plane[]).forEach((plane, n) => {
    drawPlane(canvas, v, plane, centerMm, fov, size, n * (size + gap), 0, outline, opts.colour ?? [255, 230, 0]);
  });
  return encode(canvas);
}

/** Study overview: a coronal slice through the lungs with every nodule circled in its Lung-RADS colour, and axial close-ups below. */
export function renderStudySummary(
  v: CtVolume,
  nodules: { centerMm: Vec3; diameterMm: number; lungRads: LungRadsCategory }[],
  opts: { width?: number } = {},
): Buffer {
  const width = opts.width ?? 512;
  const corners = [0, 1].flatMap((i) => [0, 1].flatMap((j) => [0, 1].map((k) => vox(v, [i * (v.dims[0] - 1), j * (v.dims[1] - 1), k * (v.dims[2] - 1)]))));
  const lo = [0, 1, 2].map((a) => Math.min(...corners.map((c) => c[a])));
  const hi = [0, 1, 2].map((a) => Math.max(...corners.map((c) => c[a])));
  const xSpan = hi[0] - lo[0];
  const zSpan = Math.max(1, hi[2] - lo[2]);
  const overviewH = Math.max(64, Math.round((width * zSpan) / xSpan));
  const thumb = 128;
  const perRow = Math.max(1, Math.floor(width / thumb));
  const rows = Math.ceil(nodules.length / perRow);
  const canvas = newCanvas(width, overviewH + rows * thumb);
  const yCoronal = nodules.length ? nodules.reduce((s, n) => s + n.centerMm[1], 0) / nodules.length : (lo[1] + hi[1]) / 2;
  const mmPerPx = xSpan / width;
  for (let r = 0; r < overviewH; r++) {
    for (let c = 0; c < width; c++) {
      const p: Vec3 = [lo[0] + (c + 0.5) * mmPerPx, yCoronal, hi[2] - ((r + 0.5) / overviewH) * zSpan];
      putGrey(canvas, c, r, windowed(sampleAt(v, p)));
    }
  }
  for (const n of nodules) {
    const cx = (n.centerMm[0] - lo[0]) / mmPerPx;
    const cy = ((hi[2] - n.centerMm[2]) / zSpan) * overviewH;
    circle(canvas, cx, cy, Math.max(6, n.diameterMm / mmPerPx / 2 + 4), LUNG_RADS_COLOURS[n.lungRads], 0, 0, width, overviewH);
  }
  nodules.forEach((n, k) => {
    const x0 = (k % perRow) * thumb;
    const y0 = overviewH + Math.floor(k / perRow) * thumb;
    drawPlane(canvas, v, 'axial', n.centerMm, 40, thumb, x0, y0, null, LUNG_RADS_COLOURS[n.lungRads]);
    circle(canvas, x0 + thumb / 2, y0 + thumb / 2, (n.diameterMm / 40) * thumb * 0.5 + 5, LUNG_RADS_COLOURS[n.lungRads], x0, y0, thumb, thumb);
  });
  return encode(canvas);
}

function drawPlane(
  canvas: Canvas,
  v: CtVolume,
  plane: Plane,
  c: Vec3,
  fov: number,
  size: number,
  x0: number,
  y0: number,
  outline: NoduleMeasurement['outline'] | null,
  colour: [number, number, number],
) {
  const mm = fov / size;
  const point = (col: number, row: number): Vec3 => {
    const u = (col + 0.5 - size / 2) * mm;
    const w = (row + 0.5 - size / 2) * mm;
    if (plane === 'axial') return [c[0] + u, c[1] + w, c[2]];
    if (plane === 'coronal') return [c[0] + u, c[1], c[2] - w];
    return [c[0], c[1] + u, c[2] - w];
  };
  const inMask = (p: Vec3): boolean => {
    if (!outline) return false;
    const s = outline.size;
    const x = Math.round((p[0] - outline.origin[0]) / outline.step);
    const y = Math.round((p[1] - outline.origin[1]) / outline.step);
    const z = Math.round((p[2] - outline.origin[2]) / outline.step);
    if (x < 0 || y < 0 || z < 0 || x >= s || y >= s || z >= s) return false;
    return outline.mask[x + s * (y + s * z)] === 1;
  };
  const mask = new Uint8Array(size * size);
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      const p = point(col, row);
      putGrey(canvas, x0 + col, y0 + row, windowed(sampleAt(v, p)));
      if (outline) mask[col + size * row] = inMask(p) ? 1 : 0;
    }
  }
  if (!outline) return;
  for (let row = 1; row < size - 1; row++) {
    for (let col = 1; col < size - 1; col++) {
      const q = col + size * row;
      if (mask[q] && (!mask[q - 1] || !mask[q + 1] || !mask[q - size] || !mask[q + size])) putRgb(canvas, x0 + col, y0 + row, colour);
    }
  }
}

function sampleAt(v: CtVolume, p: Vec3): number {
  const idx = patientToVoxel(v, p);
  return sampleHu(v, idx[0], idx[1], idx[2]);
}

function vox(v: CtVolume, idx: Vec3): Vec3 {
  const out: Vec3 = [0, 0, 0];
  for (let a = 0; a < 3; a++) out[a] = v.origin[a] + idx[0] * v.spacing[0] * v.rowDir[a] + idx[1] * v.spacing[1] * v.colDir[a] + idx[2] * v.spacing[2] * v.sliceDir[a];
  return out;
}

export function windowed(hu: number, center = LUNG_WINDOW.center, width = LUNG_WINDOW.width): number {
  // DICOM PS3.3 C.11.2.1.2 linear VOI function
  const lo = center - 0.5 - (width - 1) / 2;
  const hi = center - 0.5 + (width - 1) / 2;
  if (hu <= lo) return 0;
  if (hu > hi) return 255;
  return Math.round(((hu - (center - 0.5)) / (width - 1) + 0.5) * 255);
}

function newCanvas(width: number, height: number): Canvas {
  const data = Buffer.alloc(width * height * 4);
  for (let i = 3; i < data.length; i += 4) data[i] = 255;
  return { width, height, data };
}

function putGrey(c: Canvas, x: number, y: number, g: number) {
  const o = 4 * (x + c.width * y);
  c.data[o] = c.data[o + 1] = c.data[o + 2] = g;
}

function putRgb(c: Canvas, x: number, y: number, rgb: [number, number, number]) {
  if (x < 0 || y < 0 || x >= c.width || y >= c.height) return;
  const o = 4 * (x + c.width * y);
  c.data[o] = rgb[0];
  c.data[o + 1] = rgb[1];
  c.data[o + 2] = rgb[2];
}

function circle(c: Canvas, cx: number, cy: number, r: number, rgb: [number, number, number], bx: number, by: number, bw: number, bh: number) {
  const steps = Math.max(24, Math.ceil(2 * Math.PI * r));
  for (let s = 0; s < steps; s++) {
    const a = (2 * Math.PI * s) / steps;
    for (const dr of [0, 1]) {
      const x = Math.round(cx + (r + dr) * Math.cos(a));
      const y = Math.round(cy + (r + dr) * Math.sin(a));
      if (x >= bx && y >= by && x < bx + bw && y < by + bh) putRgb(c, x, y, rgb);
    }
  }
}

function encode(c: Canvas): Buffer {
  const png = new PNG({ width: c.width, height: c.height });
  c.data.copy(png.data);
  return PNG.sync.write(png);
}
