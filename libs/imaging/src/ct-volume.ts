/**
 * A CT volume in Hounsfield units with its voxel-to-patient transform.
 *
 * Voxel index (i, j, k): i runs along a row (DICOM column index), j down the rows, k across slices.
 * data[i + nx * (j + ny * k)]. Patient coordinates are DICOM LPS millimetres.
 */
export type Vec3 = [number, number, number];

export interface CtVolume {
  /** [columns, rows, slices] */
  dims: Vec3;
  /** mm between neighbouring voxels along i, j, k */
  spacing: Vec3;
  /** LPS position (mm) of the centre of voxel (0, 0, 0) */
  origin: Vec3;
  /** unit LPS direction of increasing i, j and k (k may be non-orthogonal when the gantry was tilted) */
  rowDir: Vec3;
  colDir: Vec3;
  sliceDir: Vec3;
  /** Hounsfield units, rounded */
  hu: Int16Array;
}

/** LPS mm of a (possibly fractional) voxel index. */
export function voxelToPatient(v: Pick<CtVolume, 'spacing' | 'origin' | 'rowDir' | 'colDir' | 'sliceDir'>, idx: Vec3): Vec3 {
  const [i, j, k] = idx;
  const [sx, sy, sz] = v.spacing;
  const out: Vec3 = [0, 0, 0];
  for (let a = 0; a < 3; a++) {
    out[a] = v.origin[a] + i * sx * v.rowDir[a] + j * sy * v.colDir[a] + k * sz * v.sliceDir[a];
  }
  return out;
}

/** Continuous voxel index of an LPS point (inverse of voxelToPatient; works for tilted stacks too). */
export function patientToVoxel(v: Pick<CtVolume, 'spacing' | 'origin' | 'rowDir' | 'colDir' | 'sliceDir'>, p: Vec3): Vec3 {
  const m = [
    [v.rowDir[0] * v.spacing[0], v.colDir[0] * v.spacing[1], v.sliceDir[0] * v.spacing[2]],
    [v.rowDir[1] * v.spacing[0], v.colDir[1] * v.spacing[1], v.sliceDir[1] * v.spacing[2]],
    [v.rowDir[2] * v.spacing[0], v.colDir[2] * v.spacing[1], v.sliceDir[2] * v.spacing[2]],
  ];
  const inv = invert3(m);
  const d = [p[0] - v.origin[0], p[1] - v.origin[1], p[2] - v.origin[2]];
  return [
    inv[0][0] * d[0] + inv[0][1] * d[1] + inv[0][2] * d[2],
    inv[1][0] * d[0] + inv[1][1] * d[1] + inv[1][2] * d[2],
    inv[2][0] * d[0] + inv[2][1] * d[1] + inv[2][2] * d[2],
  ];
}

export function invert3(m: number[][]): number[][] {
  const [a, b, c] = m[0];
  const [d, e, f] = m[1];
  const [g, h, i] = m[2];
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  if (Math.abs(det) < 1e-12) throw new Error('voxel-to-patient matrix is singular');
  return [
    [A / det, -(b * i - c * h) / det, (b * f - c * e) / det],
    [B / det, (a * i - c * g) / det, -(a * f - c * d) / det],
    [C / det, -(a * h - b * g) / det, (a * e - b * d) / det],
  ];
}

/** Trilinear HU sample at a continuous voxel index; outside the volume reads as air. */
export function sampleHu(v: CtVolume, x: number, y: number, z: number, outside = -1000): number {
  const [nx, ny, nz] = v.dims;
  if (x < 0 || y < 0 || z < 0 || x > nx - 1 || y > ny - 1 || z > nz - 1) {
    // allow a single-slice volume to be sampled in-plane
    if (!(nz === 1 && Math.abs(z) < 1e-6 && x >= 0 && y >= 0 && x <= nx - 1 && y <= ny - 1)) return outside;
  }
  const x0 = Math.min(Math.floor(x), nx - 2 < 0 ? 0 : nx - 2);
  const y0 = Math.min(Math.floor(y), ny - 2 < 0 ? 0 : ny - 2);
  const z0 = Math.min(Math.floor(z), nz - 2 < 0 ? 0 : nz - 2);
  const fx = nx > 1 ? x - x0 : 0;
  const fy = ny > 1 ? y - y0 : 0;
  const fz = nz > 1 ? z - z0 : 0;
  const x1 = nx > 1 ? x0 + 1 : x0;
  const y1 = ny > 1 ? y0 + 1 : y0;
  const z1 = nz > 1 ? z0 + 1 : z0;
  const d = v.hu;
  const sxy = nx * ny;
  const c00 = d[x0 + nx * y0 + sxy * z0] * (1 - fx) + d[x1 + nx * y0 + sxy * z0] * fx;
  const c10 = d[x0 + nx * y1 + sxy * z0] * (1 - fx) + d[x1 + nx * y1 + sxy * z0] * fx;
  const c01 = d[x0 + nx * y0 + sxy * z1] * (1 - fx) + d[x1 + nx * y0 + sxy * z1] * fx;
  const c11 = d[x0 + nx * y1 + sxy * z1] * (1 - fx) + d[x1 + nx * y1 + sxy * z1] * fx;
  return (c00 * (1 - fy) + c10 * fy) * (1 - fz) + (c01 * (1 - fy) + c11 * fy) * fz;
}

export function distance(a: Vec3, b: Vec3): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}
