import type { Vec3 } from './ct-volume';

/** The five lung lobes, as radiologists abbreviate them. */
export const Lobe = {
  RUL: 'right upper lobe',
  RML: 'right middle lobe',
  RLL: 'right lower lobe',
  LUL: 'left upper lobe',
  LLL: 'left lower lobe',
} as const;
export type Lobe = keyof typeof Lobe;

/** Extent of one lung in LPS mm (y: anterior→posterior, z: inferior→superior). */
export interface LungExtent {
  yMin: number;
  yMax: number;
  zMin: number;
  zMax: number;
}

export interface LungExtents {
  /** x (LPS) separating right (smaller x) from left lung */
  midlineX: number;
  right: LungExtent;
  left: LungExtent;
}

/**
 * Lobe of a point from its position inside its lung.
 *
 * This is a geometric model of the fissures, not fissure detection: the oblique fissure runs from
 * posterior-superior to anterior-inferior, the horizontal fissure splits the right middle lobe from
 * the upper lobe at mid height. It is exact for our phantoms (they use the same planes) and an
 * approximation on real scans; the report says so.
 */
export function lobeAt(p: Vec3, extents: LungExtents): Lobe {
  const right = p[0] < extents.midlineX;
  const e = right ? extents.right : extents.left;
  const u = clamp01((p[1] - e.yMin) / Math.max(1, e.yMax - e.yMin));
  const w = clamp01((p[2] - e.zMin) / Math.max(1, e.zMax - e.zMin));
  const lower = w < 0.15 + 0.6 * u;
  if (right) {
    if (lower) return 'RLL';
    return w < 0.5 ? 'RML' : 'RUL';
  }
  return lower ? 'LLL' : 'LUL';
}

function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}
