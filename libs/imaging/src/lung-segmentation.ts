import { runSync, Steps } from './cooperative';
import { AnalysisGrid, gridToPatient } from './analysis-grid';
import { patientToVoxel } from './ct-volume';
import type { LungExtents } from './lobe';

/**
 * Lung mask on the analysis grid: air inside the body, the largest connected air regions, with
 * vessels and nodules (holes in each axial slice) filled in. Juxtapleural nodules are not holes;
 * the candidate search therefore uses the mask dilated by a few millimetres.
 */
export interface LungMask {
  mask: Uint8Array;
  /** the mask closed in each axial slice with a rolling ball (~10 mm): takes in juxtapleural nodules */
  closed: Uint8Array;
  /** lung volume in millilitres */
  volumeMl: number;
  extents: LungExtents;
  /** bounding box of the mask in grid indices [lo, hi] per axis */
  box: [[number, number], [number, number], [number, number]];
}

const AIR_THRESHOLD_HU = -400;
const CLOSING_RADIUS_MM = 12;

export function segmentLungs(g: AnalysisGrid): LungMask {
  return runSync(segmentLungsSteps(g));
}

/** segmentLungs, yielding between passes */
export function* segmentLungsSteps(g: AnalysisGrid): Steps<LungMask> {
  const [nx, ny, nz] = g.dims;
  const nxy = nx * ny;
  const air = new Uint8Array(nx * ny * nz);
  for (let p = 0; p < air.length; p++) air[p] = g.data[p] < AIR_THRESHOLD_HU ? 1 : 0;

  // air reachable from the edge of each axial slice is outside the body
  const stack = new Int32Array(nxy);
  for (let k = 0; k < nz; k++) {
    const off = k * nxy;
    let top = 0;
    const seed = (i: number, j: number) => {
      const p = i + nx * j;
      if (air[off + p] === 1) {
        air[off + p] = 2;
        stack[top++] = p;
      }
    };
    for (let i = 0; i < nx; i++) {
      seed(i, 0);
      seed(i, ny - 1);
    }
    for (let j = 0; j < ny; j++) {
      seed(0, j);
      seed(nx - 1, j);
    }
    while (top > 0) {
      const p = stack[--top];
      const i = p % nx;
      const j = (p - i) / nx;
      if (i > 0) seed(i - 1, j);
      if (i < nx - 1) seed(i + 1, j);
      if (j > 0) seed(i, j - 1);
      if (j < ny - 1) seed(i, j + 1);
    }
  }
  yield;
  // 3D components of the remaining (inner) air; keep the big ones
  const label = new Int32Array(air.length);
  const sizes: number[] = [0];
  const queue = new Int32Array(air.length);
  for (let p0 = 0; p0 < air.length; p0++) {
    if (air[p0] !== 1 || label[p0]) continue;
    const id = sizes.length;
    let head = 0;
    let tail = 0;
    queue[tail++] = p0;
    label[p0] = id;
    while (head < tail) {
      const p = queue[head++];
      const i = p % nx;
      const j = ((p - i) / nx) % ny;
      const k = Math.floor(p / nxy);
      const visit = (q: number) => {
        if (air[q] === 1 && !label[q]) {
          label[q] = id;
          queue[tail++] = q;
        }
      };
      if (i > 0) visit(p - 1);
      if (i < nx - 1) visit(p + 1);
      if (j > 0) visit(p - nx);
      if (j < ny - 1) visit(p + nx);
      if (k > 0) visit(p - nxy);
      if (k < nz - 1) visit(p + nxy);
    }
    sizes.push(tail);
  }
  const largest = Math.max(0, ...sizes);
  const minKeep = Math.max(largest * 0.05, 50_000 / g.step ** 3); // ≥ 50 mL or 5% of the largest
  const keep = sizes.map((s) => s >= minKeep && s > 0);
  const mask = new Uint8Array(air.length);
  for (let p = 0; p < mask.length; p++) if (label[p] && keep[label[p]]) mask[p] = 1;

  yield;
  fillHolesPerSlice(mask, nx, ny, nz);
  yield;
  const closed = closePerSlice(mask, nx, ny, nz, CLOSING_RADIUS_MM / g.step);
  yield;
  fillHolesPerSlice(closed, nx, ny, nz);
  yield;

  // extents per side, split at the mask's own centre of mass in x
  let sumX = 0;
  let count = 0;
  for (let p = 0; p < mask.length; p++) {
    if (!mask[p]) continue;
    sumX += p % nx;
    count++;
  }
  const midI = count ? sumX / count : nx / 2;
  const ext = {
    right: { yMin: Infinity, yMax: -Infinity, zMin: Infinity, zMax: -Infinity },
    left: { yMin: Infinity, yMax: -Infinity, zMin: Infinity, zMax: -Infinity },
  };
  const box: LungMask['box'] = [
    [nx, -1],
    [ny, -1],
    [nz, -1],
  ];
  const midPatientX = gridToPatient(g, [midI, ny / 2, nz / 2])[0];
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        if (!mask[i + nx * (j + ny * k)]) continue;
        box[0][0] = Math.min(box[0][0], i);
        box[0][1] = Math.max(box[0][1], i);
        box[1][0] = Math.min(box[1][0], j);
        box[1][1] = Math.max(box[1][1], j);
        box[2][0] = Math.min(box[2][0], k);
        box[2][1] = Math.max(box[2][1], k);
      }
    }
  }
  // extents in patient mm (sample the mask's boundary voxels coarsely)
  for (let k = box[2][0]; k <= box[2][1] && k >= 0; k++) {
    for (let j = box[1][0]; j <= box[1][1]; j++) {
      for (let i = box[0][0]; i <= box[0][1]; i++) {
        if (!mask[i + nx * (j + ny * k)]) continue;
        const p = gridToPatient(g, [i, j, k]);
        const e = p[0] < midPatientX ? ext.right : ext.left;
        if (p[1] < e.yMin) e.yMin = p[1];
        if (p[1] > e.yMax) e.yMax = p[1];
        if (p[2] < e.zMin) e.zMin = p[2];
        if (p[2] > e.zMax) e.zMax = p[2];
      }
    }
  }
  for (const e of [ext.right, ext.left]) {
    if (!Number.isFinite(e.yMin)) Object.assign(e, { yMin: 0, yMax: 1, zMin: 0, zMax: 1 });
  }
  return {
    mask,
    closed,
    volumeMl: (count * g.step ** 3) / 1000,
    extents: { midlineX: midPatientX, right: ext.right, left: ext.left },
    box,
  };
}

/** Set to 1 every 0-pixel of an axial slice that cannot reach the slice border through 0-pixels. */
function fillHolesPerSlice(mask: Uint8Array, nx: number, ny: number, nz: number) {
  const nxy = nx * ny;
  const outside = new Uint8Array(nxy);
  const stack = new Int32Array(nxy);
  for (let k = 0; k < nz; k++) {
    const off = k * nxy;
    outside.fill(0);
    let top = 0;
    const seed = (p: number) => {
      if (!mask[off + p] && !outside[p]) {
        outside[p] = 1;
        stack[top++] = p;
      }
    };
    for (let i = 0; i < nx; i++) {
      seed(i);
      seed(i + nx * (ny - 1));
    }
    for (let j = 0; j < ny; j++) {
      seed(nx * j);
      seed(nx - 1 + nx * j);
    }
    while (top > 0) {
      const p = stack[--top];
      const i = p % nx;
      if (i > 0) seed(p - 1);
      if (i < nx - 1) seed(p + 1);
      if (p >= nx) seed(p - nx);
      if (p < nxy - nx) seed(p + nx);
    }
    for (let p = 0; p < nxy; p++) if (!outside[p]) mask[off + p] = 1;
  }
}

/** Box dilation by r voxels (separable max filter). */
export function dilate(mask: Uint8Array, dims: [number, number, number], r: number): Uint8Array {
  let a = mask;
  const [nx, ny, nz] = dims;
  for (let axis = 0; axis < 3; axis++) {
    const out = new Uint8Array(a.length);
    const stride = axis === 0 ? 1 : axis === 1 ? nx : nx * ny;
    const n = dims[axis];
    for (let p = 0; p < a.length; p++) {
      if (!a[p]) continue;
      const c = axis === 0 ? p % nx : axis === 1 ? Math.floor(p / nx) % ny : Math.floor(p / (nx * ny));
      const lo = Math.max(0, c - r);
      const hi = Math.min(n - 1, c + r);
      const base = p - c * stride;
      for (let t = lo; t <= hi; t++) out[base + t * stride] = 1;
    }
    a = out;
  }
  void nz;
  return a;
}

/**
 * Morphological closing of each axial slice with a disc of radius r (voxels), using a 3-4 chamfer
 * distance: dilate (distance to the mask <= r) then erode (distance to the background > r).
 */
function closePerSlice(mask: Uint8Array, nx: number, ny: number, nz: number, r: number): Uint8Array {
  const nxy = nx * ny;
  const out = new Uint8Array(mask.length);
  const dist = new Float32Array(nxy);
  const limit = r * 3;
  for (let k = 0; k < nz; k++) {
    const off = k * nxy;
    let any = false;
    for (let p = 0; p < nxy; p++) if (mask[off + p]) { any = true; break; }
    if (!any) continue;
    chamfer(dist, nx, ny, (p) => mask[off + p] === 1);
    const dilated = new Uint8Array(nxy);
    for (let p = 0; p < nxy; p++) dilated[p] = dist[p] <= limit ? 1 : 0;
    chamfer(dist, nx, ny, (p) => dilated[p] === 0);
    for (let p = 0; p < nxy; p++) out[off + p] = dist[p] > limit ? 1 : mask[off + p];
  }
  return out;
}

/** 3-4 chamfer distance (in thirds of a voxel) from the pixels where `isSource` holds. */
function chamfer(dist: Float32Array, nx: number, ny: number, isSource: (p: number) => boolean) {
  const INF = 1e9;
  for (let p = 0; p < nx * ny; p++) dist[p] = isSource(p) ? 0 : INF;
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const p = i + nx * j;
      let d = dist[p];
      if (d === 0) continue;
      if (i > 0) d = Math.min(d, dist[p - 1] + 3);
      if (j > 0) {
        d = Math.min(d, dist[p - nx] + 3);
        if (i > 0) d = Math.min(d, dist[p - nx - 1] + 4);
        if (i < nx - 1) d = Math.min(d, dist[p - nx + 1] + 4);
      }
      dist[p] = d;
    }
  }
  for (let j = ny - 1; j >= 0; j--) {
    for (let i = nx - 1; i >= 0; i--) {
      const p = i + nx * j;
      let d = dist[p];
      if (d === 0) continue;
      if (i < nx - 1) d = Math.min(d, dist[p + 1] + 3);
      if (j < ny - 1) {
        d = Math.min(d, dist[p + nx] + 3);
        if (i < nx - 1) d = Math.min(d, dist[p + nx + 1] + 4);
        if (i > 0) d = Math.min(d, dist[p + nx - 1] + 4);
      }
      dist[p] = d;
    }
  }
}

/** Predicate for a patient point (LPS mm): inside the closed lung region of the analysis grid. */
export function insideClosedLung(g: AnalysisGrid, lungs: LungMask): (p: [number, number, number]) => boolean {
  const [nx, ny, nz] = g.dims;
  const s = g.source.spacing;
  return (p) => {
    const v = patientToVoxel(g.source, p);
    const i = Math.round((v[0] * s[0]) / g.step);
    const j = Math.round((v[1] * s[1]) / g.step);
    const k = Math.round((v[2] * s[2]) / g.step);
    if (i < 0 || j < 0 || k < 0 || i >= nx || j >= ny || k >= nz) return false;
    return lungs.closed[i + nx * (j + ny * k)] === 1;
  };
}
