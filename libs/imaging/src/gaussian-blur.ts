import { runSync, Steps } from './cooperative';

/**
 * Separable Gaussian blur of a 3D float array (isotropic sigma in voxels), borders clamped.
 * Used by the multi-scale blob filter; incremental blurs (sigma2 = sqrt(s1^2 + d^2)) keep it cheap.
 */
export function gaussianBlur3d(src: Float32Array, dims: [number, number, number], sigmaVox: number): Float32Array {
  return runSync(gaussianBlur3dSteps(src, dims, sigmaVox));
}

/** gaussianBlur3d, yielding after each axis */
export function* gaussianBlur3dSteps(src: Float32Array, dims: [number, number, number], sigmaVox: number): Steps<Float32Array> {
  const radius = Math.max(1, Math.ceil(3 * sigmaVox));
  const kernel = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let t = -radius; t <= radius; t++) {
    const w = Math.exp(-(t * t) / (2 * sigmaVox * sigmaVox));
    kernel[t + radius] = w;
    sum += w;
  }
  for (let t = 0; t < kernel.length; t++) kernel[t] /= sum;
  let a = src;
  for (let axis = 0; axis < 3; axis++) {
    a = blurAxis(a, dims, axis, kernel, radius);
    yield;
  }
  return a;
}

function blurAxis(src: Float32Array, dims: [number, number, number], axis: number, k: Float32Array, r: number): Float32Array {
  const [nx, ny, nz] = dims;
  const out = new Float32Array(src.length);
  const n = dims[axis];
  const stride = axis === 0 ? 1 : axis === 1 ? nx : nx * ny;
  const line = new Float32Array(n + 2 * r);
  const lines = (nx * ny * nz) / n;
  for (let l = 0; l < lines; l++) {
    let base: number;
    if (axis === 0) base = l * nx;
    else if (axis === 1) base = (l % nx) + Math.floor(l / nx) * nx * ny;
    else base = l;
    for (let t = 0; t < n; t++) line[t + r] = src[base + t * stride];
    for (let t = 0; t < r; t++) {
      line[t] = line[r];
      line[n + r + t] = line[n + r - 1];
    }
    for (let t = 0; t < n; t++) {
      let acc = 0;
      for (let q = 0; q < k.length; q++) acc += line[t + q] * k[q];
      out[base + t * stride] = acc;
    }
  }
  return out;
}
