import { AnalysisGrid, gridToPatient } from './analysis-grid';
import type { Vec3 } from './ct-volume';
import { runSync, Steps } from './cooperative';
import { gaussianBlur3dSteps } from './gaussian-blur';
import { LungMask, dilate } from './lung-segmentation';

/**
 * Nodule candidates: local maxima of a multi-scale, scale-normalised blob filter (difference of
 * Gaussians, an approximation of the Laplacian of Gaussian) inside the lungs. Sensitivity matters
 * more than precision here: vessels and chest wall bumps are left for the `nodule` model to reject.
 */
export interface Candidate {
  centerMm: Vec3;
  /** grid index of the maximum */
  gridIndex: Vec3;
  /** blob response in HU (contrast-like) */
  response: number;
  /** radius (mm) of the best-matching scale */
  radiusMm: number;
  /**
   * Hessian blobness at that scale: |smallest| / |largest| eigenvalue when all three curve down
   * (1 for a sphere, near 0 for a vessel, a plate or an edge).
   */
  blobness: number;
  /** ranking score: response weighted by blobness */
  score: number;
}

export interface CandidateOptions {
  /** Gaussian scales in mm; consecutive pairs form the DoG bands */
  sigmasMm?: number[];
  minResponse?: number;
  maxCandidates?: number;
  /** HU at which the filter input is clipped (see CHANNELS_UPPER_HU) */
  upperHu?: number;
  /** drop maxima whose Hessian says tube or plate (see Candidate.blobness) */
  minBlobness?: number;
  /** how far outside the lung mask a centre may lie (mm): juxtapleural nodules sit in its wall */
  wallMarginMm?: number;
}

const OUTSIDE_HU = -850;
/**
 * Two passes: clipped at +200 HU (solid nodules stand out, small ones beside vessels survive) and at
 * -400 HU (solid tissue is clipped just above ground glass, so a faint ground-glass nodule answers
 * nearly as strongly as a vessel and the Hessian, not brightness, separates them).
 */
export const CHANNELS_UPPER_HU = [200, -400] as const;
export const DEFAULT_SIGMAS_MM = [1.1, 1.65, 2.5, 3.7, 5.5, 8.2];

/** Candidates from both channels, merged (one per blob), strongest first, at most 2 x perChannel. */
export function findCandidates(g: AnalysisGrid, lungs: LungMask, perChannel = 150, opts: CandidateOptions = {}): Candidate[] {
  return runSync(findCandidatesSteps(g, lungs, perChannel, opts));
}

/** findCandidates, yielding between filter passes */
export function* findCandidatesSteps(g: AnalysisGrid, lungs: LungMask, perChannel = 150, opts: CandidateOptions = {}): Steps<Candidate[]> {
  const all: Candidate[] = [];
  for (const upperHu of CHANNELS_UPPER_HU) {
    all.push(...(yield* detectCandidatesSteps(g, lungs, { ...opts, upperHu, maxCandidates: perChannel })));
  }
  return suppressNeighbours(all.sort((a, b) => b.score - a.score), Infinity);
}

function suppressNeighbours(sorted: Candidate[], max: number): Candidate[] {
  const kept: Candidate[] = [];
  for (const c of sorted) {
    const near = kept.some((o) => {
      const d = Math.hypot(o.centerMm[0] - c.centerMm[0], o.centerMm[1] - c.centerMm[1], o.centerMm[2] - c.centerMm[2]);
      return d < Math.max(4, 0.8 * o.radiusMm);
    });
    if (near) continue;
    kept.push(c);
    if (kept.length >= max) break;
  }
  return kept;
}

export function detectCandidates(g: AnalysisGrid, lungs: LungMask, opts: CandidateOptions = {}): Candidate[] {
  return runSync(detectCandidatesSteps(g, lungs, opts));
}

export function* detectCandidatesSteps(g: AnalysisGrid, lungs: LungMask, opts: CandidateOptions = {}): Steps<Candidate[]> {
  const sigmas = opts.sigmasMm ?? DEFAULT_SIGMAS_MM;
  const minResponse = opts.minResponse ?? 60;
  const maxCandidates = opts.maxCandidates ?? 300;
  const minBlobness = opts.minBlobness ?? 0.15;
  const upper = opts.upperHu ?? CHANNELS_UPPER_HU[0];
  const margin = Math.round((opts.wallMarginMm ?? 1.5) / g.step);
  const [nx, ny] = g.dims;
  if (lungs.box[0][1] < 0) return [];
  // crop to the lungs plus room for the largest kernel
  const pad = margin + Math.ceil((3 * sigmas[sigmas.length - 1]) / g.step);
  const lo: Vec3 = [0, 1, 2].map((a) => Math.max(0, lungs.box[a][0] - pad)) as Vec3;
  const hi: Vec3 = [0, 1, 2].map((a) => Math.min(g.dims[a] - 1, lungs.box[a][1] + pad)) as Vec3;
  const cd: [number, number, number] = [hi[0] - lo[0] + 1, hi[1] - lo[1] + 1, hi[2] - lo[2] + 1];
  const n = cd[0] * cd[1] * cd[2];
  const f = new Float32Array(n);
  const allowed = new Uint8Array(n);
  const region = margin > 0 ? dilate(lungs.closed, g.dims, margin) : lungs.closed;
  yield;
  for (let k = 0; k < cd[2]; k++) {
    for (let j = 0; j < cd[1]; j++) {
      const src = lo[0] + nx * (lo[1] + j + ny * (lo[2] + k));
      const dst = cd[0] * (j + cd[1] * k);
      for (let i = 0; i < cd[0]; i++) {
        // outside the (closed) lungs reads as lung: the chest wall and mediastinum then give no edges
        const v = lungs.closed[src + i] ? g.data[src + i] : OUTSIDE_HU;
        f[dst + i] = v < -1000 ? -1000 : v > upper ? upper : v;
        allowed[dst + i] = region[src + i];
      }
    }
  }
  const best = new Float32Array(n).fill(-Infinity);
  const bestScale = new Uint8Array(n);
  let prev = yield* gaussianBlur3dSteps(f, cd, sigmas[0] / g.step);
  const blurs: Float32Array[] = [prev];
  let prevSigma = sigmas[0];
  for (let s = 1; s < sigmas.length; s++) {
    const inc = Math.sqrt(sigmas[s] ** 2 - prevSigma ** 2) / g.step;
    const next = yield* gaussianBlur3dSteps(prev, cd, inc);
    blurs.push(next);
    for (let p = 0; p < n; p++) {
      const r = prev[p] - next[p];
      if (r > best[p]) {
        best[p] = r;
        bestScale[p] = s - 1;
      }
    }
    prev = next;
    prevSigma = sigmas[s];
  }
  // DoG with a constant ratio is already scale-normalised up to a common factor k-1 ≈ 0.5
  const gain = 2;
  const found: Candidate[] = [];
  const sx = 1;
  const sy = cd[0];
  const sz = cd[0] * cd[1];
  for (let k = 1; k < cd[2] - 1; k++) {
    if (k % 32 === 0) yield;
    for (let j = 1; j < cd[1] - 1; j++) {
      for (let i = 1; i < cd[0] - 1; i++) {
        const p = i + sy * j + sz * k;
        if (!allowed[p]) continue;
        const v = best[p];
        if (v * gain < minResponse) continue;
        let isMax = true;
        for (let dk = -1; dk <= 1 && isMax; dk++) {
          for (let dj = -1; dj <= 1 && isMax; dj++) {
            for (let di = -1; di <= 1; di++) {
              if (!di && !dj && !dk) continue;
              if (best[p + di * sx + dj * sy + dk * sz] > v) {
                isMax = false;
                break;
              }
            }
          }
        }
        if (!isMax) continue;
        const sc = bestScale[p];
        const sigmaEff = sigmas[sc] * Math.sqrt(sigmas[1] / sigmas[0]);
        const gi: Vec3 = [i + lo[0], j + lo[1], k + lo[2]];
        const blobness = hessianBlobness(blurs[sc], cd, i, j, k, Math.max(1, Math.round(sigmas[sc] / g.step / 2)));
        if (blobness < minBlobness) continue;
        found.push({
          gridIndex: gi,
          centerMm: gridToPatient(g, gi),
          response: v * gain,
          radiusMm: Math.sqrt(3) * sigmaEff,
          blobness,
          score: v * gain * Math.sqrt(blobness),
        });
      }
    }
  }
  found.sort((a, b) => b.score - a.score);
  // non-maximum suppression in millimetres: one candidate per blob
  return suppressNeighbours(found, maxCandidates);
}

/** Blobness from the Hessian of a blurred image at (i, j, k), central differences h voxels apart. */
export function hessianBlobness(b: Float32Array, dims: [number, number, number], i: number, j: number, k: number, h: number): number {
  const [nx, ny, nz] = dims;
  const at = (x: number, y: number, z: number) => {
    x = x < 0 ? 0 : x >= nx ? nx - 1 : x;
    y = y < 0 ? 0 : y >= ny ? ny - 1 : y;
    z = z < 0 ? 0 : z >= nz ? nz - 1 : z;
    return b[x + nx * (y + ny * z)];
  };
  const c = at(i, j, k);
  const h2 = 4 * h * h;
  const dxx = (at(i + h, j, k) - 2 * c + at(i - h, j, k)) / (h * h);
  const dyy = (at(i, j + h, k) - 2 * c + at(i, j - h, k)) / (h * h);
  const dzz = (at(i, j, k + h) - 2 * c + at(i, j, k - h)) / (h * h);
  const dxy = (at(i + h, j + h, k) - at(i + h, j - h, k) - at(i - h, j + h, k) + at(i - h, j - h, k)) / h2;
  const dxz = (at(i + h, j, k + h) - at(i + h, j, k - h) - at(i - h, j, k + h) + at(i - h, j, k - h)) / h2;
  const dyz = (at(i, j + h, k + h) - at(i, j + h, k - h) - at(i, j - h, k + h) + at(i, j - h, k - h)) / h2;
  const ev = symmetricEigenvalues(dxx, dyy, dzz, dxy, dxz, dyz);
  // a bright blob curves down in every direction: all eigenvalues negative
  if (ev[2] >= 0) return 0;
  return Math.abs(ev[2]) / Math.max(1e-9, Math.abs(ev[0]));
}

/** Eigenvalues of a symmetric 3x3 matrix, ascending (trigonometric closed form). */
export function symmetricEigenvalues(a: number, d: number, f: number, b: number, c: number, e: number): [number, number, number] {
  const p1 = b * b + c * c + e * e;
  if (p1 < 1e-18) return [a, d, f].sort((x, y) => x - y) as [number, number, number];
  const q = (a + d + f) / 3;
  const p2 = (a - q) ** 2 + (d - q) ** 2 + (f - q) ** 2 + 2 * p1;
  const p = Math.sqrt(p2 / 6);
  const B = [
    [(a - q) / p, b / p, c / p],
    [b / p, (d - q) / p, e / p],
    [c / p, e / p, (f - q) / p],
  ];
  const detB =
    B[0][0] * (B[1][1] * B[2][2] - B[1][2] * B[2][1]) -
    B[0][1] * (B[1][0] * B[2][2] - B[1][2] * B[2][0]) +
    B[0][2] * (B[1][0] * B[2][1] - B[1][1] * B[2][0]);
  const r = Math.max(-1, Math.min(1, detB / 2));
  const phi = Math.acos(r) / 3;
  const e1 = q + 2 * p * Math.cos(phi);
  const e3 = q + 2 * p * Math.cos(phi + (2 * Math.PI) / 3);
  const e2 = 3 * q - e1 - e3;
  return [e3, e2, e1];
}
