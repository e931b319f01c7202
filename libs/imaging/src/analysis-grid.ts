import { runSync, Steps } from './cooperative';
import { CtVolume, Vec3, voxelToPatient } from './ct-volume';

/**
 * The CT volume resampled to an isotropic grid (1.5 mm by default) for segmentation and candidate
 * search: thick-slice and thin-slice scans then look alike to the filters, and a 512x512x300 scan
 * shrinks about eightfold. Downsampling averages (tent kernel as wide as the new spacing) so noise
 * does not alias; upsampling interpolates linearly.
 */
export interface AnalysisGrid {
  dims: Vec3;
  /** isotropic spacing in mm */
  step: number;
  data: Float32Array;
  /** source volume, for patient coordinates: grid index g maps to source index g * step / spacing */
  source: CtVolume;
}

export function toAnalysisGrid(v: CtVolume, step = 1.5): AnalysisGrid {
  return runSync(toAnalysisGridSteps(v, step));
}

/** toAnalysisGrid, yielding after each axis */
export function* toAnalysisGridSteps(v: CtVolume, step = 1.5): Steps<AnalysisGrid> {
  const [nx, ny, nz] = v.dims;
  const out: Vec3 = [
    Math.max(1, Math.floor(((nx - 1) * v.spacing[0]) / step) + 1),
    Math.max(1, Math.floor(((ny - 1) * v.spacing[1]) / step) + 1),
    Math.max(1, Math.floor(((nz - 1) * v.spacing[2]) / step) + 1),
  ];
  let data: Float32Array = Float32Array.from(v.hu);
  let dims: Vec3 = [nx, ny, nz];
  for (let axis = 0; axis < 3; axis++) {
    const res = resampleAxis(data, dims, axis, v.spacing[axis], step, out[axis]);
    data = res;
    dims = dims.map((d, a) => (a === axis ? out[axis] : d)) as Vec3;
    yield;
  }
  return { dims, step, data, source: v };
}

/** Resample one axis of a 3D array with a tent kernel of width max(source, target spacing). */
function resampleAxis(src: Float32Array, dims: Vec3, axis: number, srcStep: number, dstStep: number, nOut: number): Float32Array {
  const n = dims[axis];
  const strides = [1, dims[0], dims[0] * dims[1]];
  const outDims = dims.slice() as Vec3;
  outDims[axis] = nOut;
  const outStrides = [1, outDims[0], outDims[0] * outDims[1]];
  // precompute taps per output index
  const half = Math.max(1, dstStep / srcStep);
  const tapIdx: Int32Array[] = [];
  const tapW: Float32Array[] = [];
  for (let o = 0; o < nOut; o++) {
    const p = (o * dstStep) / srcStep;
    const lo = Math.max(0, Math.ceil(p - half + 1e-9));
    const hi = Math.min(n - 1, Math.floor(p + half - 1e-9));
    const idx: number[] = [];
    const w: number[] = [];
    let sum = 0;
    for (let s = lo; s <= hi; s++) {
      const wt = 1 - Math.abs(s - p) / half;
      if (wt <= 0) continue;
      idx.push(s);
      w.push(wt);
      sum += wt;
    }
    if (!idx.length) {
      idx.push(Math.min(n - 1, Math.round(p)));
      w.push(1);
      sum = 1;
    }
    tapIdx.push(Int32Array.from(idx));
    tapW.push(Float32Array.from(w.map((x) => x / sum)));
  }
  const out = new Float32Array(outDims[0] * outDims[1] * outDims[2]);
  const others = [0, 1, 2].filter((a) => a !== axis);
  const [a1, a2] = others;
  const sA = strides[axis];
  const oA = outStrides[axis];
  for (let c2 = 0; c2 < dims[a2]; c2++) {
    for (let c1 = 0; c1 < dims[a1]; c1++) {
      const base = c1 * strides[a1] + c2 * strides[a2];
      const obase = c1 * outStrides[a1] + c2 * outStrides[a2];
      for (let o = 0; o < nOut; o++) {
        const ti = tapIdx[o];
        const tw = tapW[o];
        let acc = 0;
        for (let t = 0; t < ti.length; t++) acc += src[base + ti[t] * sA] * tw[t];
        out[obase + o * oA] = acc;
      }
    }
  }
  return out;
}

/** LPS mm of a (fractional) grid index. */
export function gridToPatient(g: AnalysisGrid, idx: Vec3): Vec3 {
  const s = g.source.spacing;
  return voxelToPatient(g.source, [(idx[0] * g.step) / s[0], (idx[1] * g.step) / s[1], (idx[2] * g.step) / s[2]]);
}
