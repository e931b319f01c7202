import { toAnalysisGridSteps } from './analysis-grid';
import { Candidate, findCandidatesSteps } from './candidate-detection';
import { runCooperative } from './cooperative';
import { extractPatchHu, normalizePatch } from './candidate-patch';
import type { CtVolume, Vec3 } from './ct-volume';
import { Lobe, LungExtents, lobeAt } from './lobe';
import { LungRadsCategory, lungRadsCategory, studyLungRads } from './lung-rads';
import { insideClosedLung, LungMask, segmentLungsSteps } from './lung-segmentation';
import { measureNodule } from './nodule-measurement';
import { NODULE_TYPES, NoduleType } from './phantom';

/** Anything that turns candidate patches into [P(non-nodule), P(solid), P(part-solid), P(ground-glass)]. */
export interface PatchClassifier {
  classify(patches: Float32Array[]): Promise<Float32Array[]>;
}

export interface NoduleFinding {
  /** position in the study's list, 1-based ("N1") */
  index: number;
  centerMm: Vec3;
  diameterMm: number;
  longAxisMm: number;
  shortAxisMm: number;
  volumeMm3: number;
  meanHu: number;
  type: NoduleType;
  solidComponentMm?: number;
  lobe: Lobe;
  juxtapleural: boolean;
  /** P(nodule) from the model */
  probability: number;
  typeProbabilities: Record<NoduleType, number>;
  lungRads: LungRadsCategory;
  /** detector radius estimate, reused to re-measure for images */
  radiusHintMm: number;
}

export interface StageTimings {
  candidates: number;
  model: number;
  measure: number;
  /** seconds inside classifier.classify alone (raw model time) */
  modelRaw: number;
}

export interface StudyAnalysis {
  nodules: NoduleFinding[];
  lungRads: LungRadsCategory;
  candidates: number;
  lungVolumeMl: number;
  lungExtents: LungExtents;
  threshold: number;
  timings: StageTimings;
  warnings: string[];
}

export interface AnalyzeOptions {
  /** P(nodule) at or above which a candidate is reported */
  threshold: number;
  onProgress?: (fraction: number, stage: string) => void | Promise<void>;
  /** patches per classify call */
  batch?: number;
}

export async function analyzeVolume(volume: CtVolume, classifier: PatchClassifier, opts: AnalyzeOptions): Promise<StudyAnalysis> {
  const warnings: string[] = [];
  const timings: StageTimings = { candidates: 0, model: 0, measure: 0, modelRaw: 0 };
  let t = performance.now();
  const grid = await runCooperative(toAnalysisGridSteps(volume));
  const lungs = await runCooperative(segmentLungsSteps(grid));
  if (lungs.volumeMl < 500) warnings.push(`lungs segmented to only ${Math.round(lungs.volumeMl)} mL: is this a chest CT?`);
  const candidates = lungs.volumeMl > 50 ? await runCooperative(findCandidatesSteps(grid, lungs)) : [];
  timings.candidates = (performance.now() - t) / 1000;
  await opts.onProgress?.(0.35, 'candidates');

  t = performance.now();
  const batch = opts.batch ?? 64;
  const probs: Float32Array[] = [];
  for (let b = 0; b < candidates.length; b += batch) {
    const patches = candidates.slice(b, b + batch).map((c) => normalizePatch(extractPatchHu(volume, c.centerMm)));
    const t0 = performance.now();
    probs.push(...(await classifier.classify(patches)));
    timings.modelRaw += (performance.now() - t0) / 1000;
    await opts.onProgress?.(0.35 + 0.45 * Math.min(1, (b + batch) / Math.max(1, candidates.length)), 'model');
  }
  timings.model = (performance.now() - t) / 1000;

  t = performance.now();
  const inside = insideClosedLung(grid, lungs);
  const ranked = candidates
    .map((c, k) => ({ c, p: probs[k] }))
    .filter(({ p }) => 1 - p[0] >= opts.threshold)
    .sort((a, b) => a.p[0] - b.p[0]); // most probable nodules first
  const found: NoduleFinding[] = [];
  for (const { c, p } of ranked) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    const m = measureNodule(volume, c.centerMm, { radiusHintMm: c.radiusMm, insideLung: inside });
    if (!m || m.diameterMm < 2) continue;
    // one finding per nodule: a second candidate inside an accepted nodule is the same nodule
    if (found.some((f) => dist(f.centerMm, m.centerMm) < Math.max(3, f.diameterMm / 2))) continue;
    const typeIdx = 1 + argmax([p[1], p[2], p[3]]);
    const type = NODULE_TYPES[typeIdx - 1];
    const juxtapleural = touchesPleura(grid.source, lungs, grid.step, grid.dims, m.centerMm, m.diameterMm / 2);
    const solid = type === 'part-solid' ? m.solidComponentMm : undefined;
    found.push({
      index: 0,
      centerMm: m.centerMm,
      diameterMm: m.diameterMm,
      longAxisMm: m.longAxisMm,
      shortAxisMm: m.shortAxisMm,
      volumeMm3: m.volumeMm3,
      meanHu: m.meanHu,
      type,
      solidComponentMm: solid,
      lobe: lobeAt(m.centerMm, lungs.extents),
      juxtapleural,
      probability: round3(1 - p[0]),
      typeProbabilities: { solid: round3(p[1]), 'part-solid': round3(p[2]), 'ground-glass': round3(p[3]) },
      lungRads: lungRadsCategory({ type, diameterMm: m.diameterMm, solidComponentMm: solid, juxtapleural }),
      radiusHintMm: c.radiusMm,
    });
  }
  found.sort((a, b) => b.diameterMm - a.diameterMm);
  found.forEach((f, k) => (f.index = k + 1));
  timings.measure = (performance.now() - t) / 1000;
  await opts.onProgress?.(1, 'measure');
  return {
    nodules: found,
    lungRads: studyLungRads(found.map((f) => f.lungRads)),
    candidates: candidates.length,
    lungVolumeMl: Math.round(lungs.volumeMl),
    lungExtents: lungs.extents,
    threshold: opts.threshold,
    timings,
    warnings,
  };
}

/** Does the nodule reach the pleura: some point just beyond its surface lies outside the (hole-filled) lungs? */
function touchesPleura(v: CtVolume, lungs: LungMask, step: number, dims: Vec3, c: Vec3, r: number): boolean {
  const [nx, ny, nz] = dims;
  const d = r + 2.5;
  for (let a = 0; a < 26; a++) {
    const dir = DIRECTIONS[a];
    const p: Vec3 = [c[0] + dir[0] * d, c[1] + dir[1] * d, c[2] + dir[2] * d];
    const idx = toGridIndex(v, step, p);
    const [i, j, k] = idx;
    if (i < 0 || j < 0 || k < 0 || i >= nx || j >= ny || k >= nz) return true;
    if (!lungs.mask[i + nx * (j + ny * k)]) return true;
  }
  return false;
}

function toGridIndex(v: CtVolume, step: number, p: Vec3): Vec3 {
  // axis-aligned volumes (the usual case) need no matrix inverse
  const s = v.spacing;
  const rel = [p[0] - v.origin[0], p[1] - v.origin[1], p[2] - v.origin[2]];
  const dirs = [v.rowDir, v.colDir, v.sliceDir];
  return dirs.map((d, a) => Math.round(((rel[0] * d[0] + rel[1] * d[1] + rel[2] * d[2]) / s[a]) * (s[a] / step))) as Vec3;
}

const DIRECTIONS: Vec3[] = (() => {
  const out: Vec3[] = [];
  for (let x = -1; x <= 1; x++)
    for (let y = -1; y <= 1; y++)
      for (let z = -1; z <= 1; z++) {
        if (!x && !y && !z) continue;
        const n = Math.hypot(x, y, z);
        out.push([x / n, y / n, z / n]);
      }
  return out;
})();

function argmax(xs: number[]): number {
  let b = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i] > xs[b]) b = i;
  return b;
}

function dist(a: Vec3, b: Vec3): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

export type { Candidate };
