import type { Vec3 } from './ct-volume';
import { isGrowth } from './lung-rads';

/**
 * Follow-up of nodules between two CT studies of one patient: pair each current nodule with the
 * prior nodule it most plausibly is, then report growth as the volume doubling time
 * VDT = Δt · ln 2 / ln(V2 / V1) (days; negative when the nodule shrinks, null when unchanged).
 */
export interface FollowUpNodule {
  id: string;
  centerMm: Vec3;
  diameterMm: number;
  volumeMm3: number;
}

export interface NodulePairing {
  currentId: string | null;
  priorId: string | null;
  status: 'new' | 'resolved' | 'growing' | 'stable' | 'shrinking';
  distanceMm?: number;
  diameterChangeMm?: number;
  volumeChangePct?: number;
  doublingTimeDays?: number | null;
}

export interface FollowUpOptions {
  /** LPS shift that maps prior coordinates onto current ones (e.g. difference of lung centroids) */
  priorToCurrentShiftMm?: Vec3;
  /** pairs further apart than this (plus half the larger diameter) are not the same nodule */
  maxDistanceMm?: number;
}

export function volumeDoublingTimeDays(v1: number, v2: number, days: number): number | null {
  if (v1 <= 0 || v2 <= 0 || days <= 0) return null;
  const r = Math.log(v2 / v1);
  if (Math.abs(r) < 1e-9) return null;
  return Math.round((days * Math.LN2) / r);
}

/** Greedy matching on distance (closest pairs first), which is adequate for the handful of nodules per study. */
export function matchFollowUp(prior: FollowUpNodule[], current: FollowUpNodule[], intervalDays: number, opts: FollowUpOptions = {}): NodulePairing[] {
  const shift = opts.priorToCurrentShiftMm ?? [0, 0, 0];
  const maxD = opts.maxDistanceMm ?? 10;
  const pairs: { p: number; c: number; d: number }[] = [];
  prior.forEach((p, pi) => {
    const moved: Vec3 = [p.centerMm[0] + shift[0], p.centerMm[1] + shift[1], p.centerMm[2] + shift[2]];
    current.forEach((c, ci) => {
      const d = Math.hypot(moved[0] - c.centerMm[0], moved[1] - c.centerMm[1], moved[2] - c.centerMm[2]);
      if (d <= maxD + Math.max(p.diameterMm, c.diameterMm) / 2) pairs.push({ p: pi, c: ci, d });
    });
  });
  pairs.sort((a, b) => a.d - b.d);
  const usedP = new Set<number>();
  const usedC = new Set<number>();
  const out: NodulePairing[] = [];
  for (const { p, c, d } of pairs) {
    if (usedP.has(p) || usedC.has(c)) continue;
    usedP.add(p);
    usedC.add(c);
    const a = prior[p];
    const b = current[c];
    const dd = Math.round((b.diameterMm - a.diameterMm) * 10) / 10;
    const status = isGrowth(a.diameterMm, b.diameterMm) ? 'growing' : a.diameterMm - b.diameterMm > 1.5 ? 'shrinking' : 'stable';
    out.push({
      currentId: b.id,
      priorId: a.id,
      status,
      distanceMm: Math.round(d * 10) / 10,
      diameterChangeMm: dd,
      volumeChangePct: Math.round(((b.volumeMm3 - a.volumeMm3) / a.volumeMm3) * 1000) / 10,
      doublingTimeDays: volumeDoublingTimeDays(a.volumeMm3, b.volumeMm3, intervalDays),
    });
  }
  current.forEach((c, ci) => usedC.has(ci) || out.push({ currentId: c.id, priorId: null, status: 'new' }));
  prior.forEach((p, pi) => usedP.has(pi) || out.push({ currentId: null, priorId: p.id, status: 'resolved' }));
  return out;
}

/** Days between two DICOM dates (YYYYMMDD or ISO). */
export function daysBetween(a: string, b: string): number {
  const parse = (d: string) => Date.parse(/^\d{8}$/.test(d) ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}` : d);
  return Math.round((parse(b) - parse(a)) / 86_400_000);
}
