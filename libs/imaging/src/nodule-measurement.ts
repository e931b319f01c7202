import { CtVolume, Vec3, patientToVoxel, sampleHu } from './ct-volume';

/**
 * Nodule measurement on a fine local grid (0.5 mm): threshold halfway between the nodule's core and
 * the surrounding lung, keep the connected part around the centre, cut thin attachments (vessels)
 * with a morphological opening and the chest wall with the lung region, then measure as
 * radiologists do: long and short axis on the axial slice where the nodule is largest, their mean
 * (the Lung-RADS diameter), volume, mean HU and, for part-solid nodules, the solid component.
 */
export interface NoduleMeasurement {
  centerMm: Vec3;
  longAxisMm: number;
  shortAxisMm: number;
  diameterMm: number;
  volumeMm3: number;
  meanHu: number;
  /** mean diameter of the solid (> -300 HU) part, when there is one */
  solidComponentMm: number;
  /** share of the volume above -300 HU */
  solidFraction: number;
  /** the kept voxels, for outlines: local grid description */
  outline: { origin: Vec3; step: number; size: number; mask: Uint8Array };
}

export interface MeasureOptions {
  /** radius estimate from the detector (mm) */
  radiusHintMm: number;
  /** true where a patient point lies inside the (closed) lung region; cuts juxtapleural nodules from the wall */
  insideLung?: (p: Vec3) => boolean;
  step?: number;
  /** set on the single re-measurement in a larger ball */
  retried?: boolean;
}

const SOLID_HU = -300;
const LUNG_HU_MAX = -600;

export function measureNodule(v: CtVolume, center: Vec3, opts: MeasureOptions): NoduleMeasurement | null {
  const step = opts.step ?? 0.5;
  const halfMm = Math.min(22, Math.max(8, 1.8 * opts.radiusHintMm + 5));
  const size = 2 * Math.round(halfMm / step) + 1;
  const half = (size - 1) / 2;
  const n = size * size * size;
  const hu = new Float32Array(n);
  const inside = new Uint8Array(n).fill(1);
  const c0 = patientToVoxel(v, center);
  const o = patientToVoxel(v, [0, 0, 0]);
  const ex = sub(patientToVoxel(v, [step, 0, 0]), o);
  const ey = sub(patientToVoxel(v, [0, step, 0]), o);
  const ez = sub(patientToVoxel(v, [0, 0, step]), o);
  // background lung HU: median of the aerated samples, via a 1-HU histogram (-1000..LUNG_HU_MAX)
  const lungHist = new Uint32Array(LUNG_HU_MAX + 1001);
  let lungCount = 0;
  let p = 0;
  for (let z = 0; z < size; z++) {
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++, p++) {
        const dx = x - half;
        const dy = y - half;
        const dz = z - half;
        const val = sampleHu(v, c0[0] + dx * ex[0] + dy * ey[0] + dz * ez[0], c0[1] + dx * ex[1] + dy * ey[1] + dz * ez[1], c0[2] + dx * ex[2] + dy * ey[2] + dz * ez[2]);
        hu[p] = val;
        if (dx * dx + dy * dy + dz * dz > half * half) inside[p] = 0;
        else if (opts.insideLung && (x % 2 === 0 && y % 2 === 0 && z % 2 === 0) && !opts.insideLung([center[0] + dx * step, center[1] + dy * step, center[2] + dz * step])) inside[p] = 2;
        if (val < LUNG_HU_MAX && val > -1000) {
          lungHist[Math.round(val) + 1000]++;
          lungCount++;
        }
      }
    }
  }
  if (opts.insideLung) spreadOutsideMarks(inside, size);
  const bg = lungCount ? histogramMedian(lungHist, lungCount) - 1000 : -850;
  // core: mean within 1.5 mm of the centre (the candidate centre may be off by a voxel)
  const core = ballMean(hu, size, half, Math.max(1, Math.round(Math.min(1.5, opts.radiusHintMm / 2) / step)));
  if (core < bg + 150) return null;
  const solidCore = core > SOLID_HU;
  const threshold = solidCore ? Math.min((core + bg) / 2, -350) : (core + bg) / 2;
  let mask = component(hu, inside, size, threshold, half);
  if (!mask) return null;
  // part-solid: a ground-glass rim around a solid core extends well beyond the solid component
  let solidMask: Uint8Array | null = null;
  if (solidCore) {
    const ggThreshold = bg + 0.5 * (-550 - bg);
    const rim = component(hu, inside, size, Math.min(ggThreshold, threshold), half);
    if (rim && count(rim) > 1.8 * count(mask)) {
      solidMask = mask;
      mask = rim;
    }
  }
  const openR = Math.max(1, Math.round((0.35 * opts.radiusHintMm) / step));
  mask = openAndKeepCentre(mask, size, openR, half) ?? mask;
  const voxels = count(mask);
  if (!voxels) return null;
  // the detector's scale can be too small (large or wall-attached nodules): if the nodule reaches
  // the edge of the measuring ball, measure again in a larger one
  if (!opts.retried && halfMm < 22 && touchesBall(mask, size, half - 2)) {
    return measureNodule(v, center, { ...opts, retried: true, radiusHintMm: Math.max(opts.radiusHintMm * 1.7, opts.radiusHintMm + 3) });
  }
  let sumHu = 0;
  let solidCount = 0;
  const cen: Vec3 = [0, 0, 0];
  for (let q = 0; q < n; q++) {
    if (!mask[q]) continue;
    sumHu += hu[q];
    if (hu[q] > SOLID_HU) solidCount++;
    const x = q % size;
    const y = Math.floor(q / size) % size;
    const z = Math.floor(q / (size * size));
    cen[0] += x;
    cen[1] += y;
    cen[2] += z;
  }
  const axes = axialAxes(mask, size, step);
  const solidAxes = solidMask ? axialAxes(andMask(solidMask, mask), size, step) : null;
  const centerMm: Vec3 = [0, 1, 2].map((a) => center[a] + (cen[a] / voxels - half) * step) as Vec3;
  return {
    centerMm: centerMm.map(round2) as Vec3,
    longAxisMm: round1(axes.long),
    shortAxisMm: round1(axes.short),
    diameterMm: round1((axes.long + axes.short) / 2),
    volumeMm3: Math.round(voxels * step ** 3),
    meanHu: Math.round(sumHu / voxels),
    solidComponentMm: solidAxes ? round1((solidAxes.long + solidAxes.short) / 2) : solidCore ? round1((axes.long + axes.short) / 2) : 0,
    solidFraction: Math.round((solidCount / voxels) * 100) / 100,
    outline: { origin: [center[0] - half * step, center[1] - half * step, center[2] - half * step], step, size, mask },
  };
}

/** Long axis: longest chord on the largest axial section; short axis: widest extent perpendicular to it. */
function axialAxes(mask: Uint8Array, size: number, step: number): { long: number; short: number } {
  let bestZ = -1;
  let bestArea = 0;
  for (let z = 0; z < size; z++) {
    let a = 0;
    const off = z * size * size;
    for (let q = 0; q < size * size; q++) a += mask[off + q];
    if (a > bestArea) {
      bestArea = a;
      bestZ = z;
    }
  }
  if (bestZ < 0) return { long: 0, short: 0 };
  const pts: [number, number][] = [];
  const off = bestZ * size * size;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (!mask[off + x + size * y]) continue;
      // boundary pixels suffice for chords
      const b = x === 0 || y === 0 || x === size - 1 || y === size - 1 || !mask[off + x - 1 + size * y] || !mask[off + x + 1 + size * y] || !mask[off + x + size * (y - 1)] || !mask[off + x + size * (y + 1)];
      if (b) pts.push([x, y]);
    }
  }
  let long = 0;
  let dir: [number, number] = [1, 0];
  for (let a = 0; a < pts.length; a++) {
    for (let b = a + 1; b < pts.length; b++) {
      const dx = pts[b][0] - pts[a][0];
      const dy = pts[b][1] - pts[a][1];
      const d = dx * dx + dy * dy;
      if (d > long) {
        long = d;
        dir = [dx, dy];
      }
    }
  }
  long = Math.sqrt(long);
  const nrm = Math.hypot(dir[0], dir[1]) || 1;
  const perp = [-dir[1] / nrm, dir[0] / nrm];
  let lo = Infinity;
  let hi = -Infinity;
  for (const [x, y] of pts) {
    const s = x * perp[0] + y * perp[1];
    lo = Math.min(lo, s);
    hi = Math.max(hi, s);
  }
  // + one pixel: chords join pixel centres, the edges lie half a pixel further out on each side
  return { long: (long + 1) * step, short: (pts.length ? hi - lo + 1 : 0) * step };
}

function component(hu: Float32Array, inside: Uint8Array, size: number, threshold: number, half: number): Uint8Array | null {
  const n = hu.length;
  const mask = new Uint8Array(n);
  // seed: the voxel above threshold nearest the centre (within 3 voxels)
  let seed = -1;
  let bestD = Infinity;
  for (let dz = -3; dz <= 3; dz++) {
    for (let dy = -3; dy <= 3; dy++) {
      for (let dx = -3; dx <= 3; dx++) {
        const q = half + dx + size * (half + dy + size * (half + dz));
        const d = dx * dx + dy * dy + dz * dz;
        if (hu[q] > threshold && inside[q] === 1 && d < bestD) {
          bestD = d;
          seed = q;
        }
      }
    }
  }
  if (seed < 0) return null;
  const stack = new Int32Array(n);
  let top = 0;
  stack[top++] = seed;
  mask[seed] = 1;
  const s2 = size * size;
  while (top > 0) {
    const q = stack[--top];
    const x = q % size;
    const y = Math.floor(q / size) % size;
    const z = Math.floor(q / s2);
    const nb = [x > 0 ? q - 1 : -1, x < size - 1 ? q + 1 : -1, y > 0 ? q - size : -1, y < size - 1 ? q + size : -1, z > 0 ? q - s2 : -1, z < size - 1 ? q + s2 : -1];
    for (const r of nb) {
      if (r >= 0 && !mask[r] && inside[r] === 1 && hu[r] > threshold) {
        mask[r] = 1;
        stack[top++] = r;
      }
    }
  }
  return mask;
}

/**
 * Opening with a ball of radius r (erode, then dilate, both with the ball): attachments thinner
 * than the ball (vessels) fall away, while convex parts whose curvature radius exceeds r (the tips
 * of an oval nodule) survive, which a cube would round off. Keeps the component at the centre.
 */
function openAndKeepCentre(mask: Uint8Array, size: number, r: number, half: number): Uint8Array | null {
  const ball = ballOffsets(size, r);
  const eroded = morph(mask, ball, 'erode');
  if (!count(eroded)) return null;
  const opened = andMask(morph(eroded, ball, 'dilate'), mask);
  const inside = new Uint8Array(opened.length).fill(1);
  const asHu = new Float32Array(opened.length);
  for (let q = 0; q < opened.length; q++) asHu[q] = opened[q];
  return component(asHu, inside, size, 0.5, half);
}

interface Ball {
  size: number;
  d: Int32Array;
}

function ballOffsets(size: number, r: number): Ball {
  const out: number[] = [];
  for (let z = -r; z <= r; z++) for (let y = -r; y <= r; y++) for (let x = -r; x <= r; x++) if (x * x + y * y + z * z <= r * r + 0.5) out.push(x, y, z);
  return { size, d: Int32Array.from(out) };
}

/** erosion: every ball voxel set; dilation: paint the ball at every set voxel */
function morph(m: Uint8Array, ball: Ball, op: 'erode' | 'dilate'): Uint8Array {
  const { size, d } = ball;
  const s2 = size * size;
  const out = new Uint8Array(m.length);
  for (let q = 0; q < m.length; q++) {
    if (!m[q]) continue;
    const x = q % size;
    const y = Math.floor(q / size) % size;
    const z = Math.floor(q / s2);
    if (op === 'erode') {
      let all = 1;
      for (let t = 0; t < d.length; t += 3) {
        const xx = x + d[t];
        const yy = y + d[t + 1];
        const zz = z + d[t + 2];
        if (xx < 0 || yy < 0 || zz < 0 || xx >= size || yy >= size || zz >= size || !m[xx + size * yy + s2 * zz]) {
          all = 0;
          break;
        }
      }
      out[q] = all;
    } else {
      for (let t = 0; t < d.length; t += 3) {
        const xx = x + d[t];
        const yy = y + d[t + 1];
        const zz = z + d[t + 2];
        if (xx >= 0 && yy >= 0 && zz >= 0 && xx < size && yy < size && zz < size) out[xx + size * yy + s2 * zz] = 1;
      }
    }
  }
  return out;
}

function boxFilter(m: Uint8Array, dims: [number, number, number], r: number, mode: 'min' | 'max'): Uint8Array {
  let a = m;
  const [nx, ny] = dims;
  for (let axis = 0; axis < 3; axis++) {
    const out = new Uint8Array(a.length);
    const stride = axis === 0 ? 1 : axis === 1 ? nx : nx * ny;
    const n = dims[axis];
    for (let q = 0; q < a.length; q++) {
      const c = axis === 0 ? q % nx : axis === 1 ? Math.floor(q / nx) % ny : Math.floor(q / (nx * ny));
      const base = q - c * stride;
      let v = mode === 'min' ? 1 : 0;
      for (let t = Math.max(0, c - r); t <= Math.min(n - 1, c + r); t++) {
        const w = a[base + t * stride];
        if (mode === 'min' ? w < v : w > v) {
          v = w;
          break;
        }
      }
      if (mode === 'min' && (c - r < 0 || c + r > n - 1)) v = 0;
      out[q] = v;
    }
    a = out;
  }
  return a;
}

/** insideLung was only probed on every other voxel: spread the 'outside' marks to their neighbours. */
function spreadOutsideMarks(inside: Uint8Array, size: number) {
  const marks = new Uint8Array(inside.length);
  for (let q = 0; q < inside.length; q++) if (inside[q] === 2) marks[q] = 1;
  const spread = boxFilter(marks, [size, size, size], 1, 'max');
  for (let q = 0; q < inside.length; q++) if (spread[q] && inside[q]) inside[q] = 2;
}

function touchesBall(mask: Uint8Array, size: number, r: number): boolean {
  const half = (size - 1) / 2;
  let edge = 0;
  for (let q = 0; q < mask.length; q++) {
    if (!mask[q]) continue;
    const x = (q % size) - half;
    const y = (Math.floor(q / size) % size) - half;
    const z = Math.floor(q / (size * size)) - half;
    if (x * x + y * y + z * z >= r * r) edge++;
  }
  return edge > 4;
}

function ballMean(hu: Float32Array, size: number, half: number, r: number): number {
  let s = 0;
  let c = 0;
  for (let dz = -r; dz <= r; dz++) {
    for (let dy = -r; dy <= r; dy++) {
      for (let dx = -r; dx <= r; dx++) {
        if (dx * dx + dy * dy + dz * dz > r * r) continue;
        s += hu[half + dx + size * (half + dy + size * (half + dz))];
        c++;
      }
    }
  }
  return s / c;
}

function count(m: Uint8Array): number {
  let c = 0;
  for (let q = 0; q < m.length; q++) c += m[q] ? 1 : 0;
  return c;
}

function andMask(a: Uint8Array, b: Uint8Array): Uint8Array {
  const o = new Uint8Array(a.length);
  for (let q = 0; q < a.length; q++) o[q] = a[q] && b[q] ? 1 : 0;
  return o;
}

function histogramMedian(hist: Uint32Array, total: number): number {
  let acc = 0;
  for (let b = 0; b < hist.length; b++) {
    acc += hist[b];
    if (acc * 2 >= total) return b;
  }
  return hist.length - 1;
}

function sub(a: Vec3, b: Vec3): Vec3 {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
}
function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
