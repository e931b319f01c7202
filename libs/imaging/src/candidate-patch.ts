import { CtVolume, Vec3, patientToVoxel, sampleHu } from './ct-volume';

/**
 * The `nodule` model's input: a cube of PATCH_SIZE^3 samples PATCH_STEP_MM apart, axis-aligned in
 * patient space (LPS) and centred on the candidate, so scans of any orientation or slice thickness
 * give the model the same geometry. Tensor order [z][y][x], z = superior-inferior axis.
 */
export const PATCH_SIZE = 24;
export const PATCH_STEP_MM = 1.25;
/** HU window mapped linearly onto [-1, 1] */
export const PATCH_HU_MIN = -1000;
export const PATCH_HU_MAX = 400;

/** Sample the patch as HU (float). */
export function extractPatchHu(v: CtVolume, center: Vec3, size = PATCH_SIZE, step = PATCH_STEP_MM): Float32Array {
  const out = new Float32Array(size * size * size);
  const half = (size - 1) / 2;
  const c0 = patientToVoxel(v, center);
  // voxel-index change per mm along each patient axis
  const o = patientToVoxel(v, [0, 0, 0]);
  const ex = sub(patientToVoxel(v, [step, 0, 0]), o);
  const ey = sub(patientToVoxel(v, [0, step, 0]), o);
  const ez = sub(patientToVoxel(v, [0, 0, step]), o);
  let p = 0;
  for (let z = 0; z < size; z++) {
    const dz = z - half;
    for (let y = 0; y < size; y++) {
      const dy = y - half;
      for (let x = 0; x < size; x++) {
        const dx = x - half;
        out[p++] = sampleHu(
          v,
          c0[0] + dx * ex[0] + dy * ey[0] + dz * ez[0],
          c0[1] + dx * ex[1] + dy * ey[1] + dz * ez[1],
          c0[2] + dx * ex[2] + dy * ey[2] + dz * ez[2],
        );
      }
    }
  }
  return out;
}

/** HU → model input in [-1, 1]. */
export function normalizePatch(hu: Float32Array, out = new Float32Array(hu.length)): Float32Array {
  const span = PATCH_HU_MAX - PATCH_HU_MIN;
  for (let i = 0; i < hu.length; i++) {
    const v = (2 * (hu[i] - PATCH_HU_MIN)) / span - 1;
    out[i] = v < -1 ? -1 : v > 1 ? 1 : v;
  }
  return out;
}

function sub(a: Vec3, b: Vec3): Vec3 {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
}
