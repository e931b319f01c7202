/**
 * Writes the `nodule` training and held-out patches from seeded CT phantoms, using the serving
 * pipeline itself (libs/imaging: analysis grid, lung mask, candidates, patch sampling), so the model
 * is trained on exactly what it will see.
 *
 *   node -r @swc-node/register models/nodule/make-dataset.ts [outDir=.cache/nodule] [trainScans] [heldoutScans]
 *
 * Output: <split>.bin (int16 HU patches, PATCH_SIZE^3 each) and <split>.jsonl (one line per patch),
 * plus <split>-scans.json (truth nodules per scan, for FROC).
 */
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { toAnalysisGrid } from '../../libs/imaging/src/analysis-grid';
import { findCandidates } from '../../libs/imaging/src/candidate-detection';
import { extractPatchHu, PATCH_SIZE } from '../../libs/imaging/src/candidate-patch';
import { distance, Vec3 } from '../../libs/imaging/src/ct-volume';
import { segmentLungs } from '../../libs/imaging/src/lung-segmentation';
import { generatePhantom, NODULE_TYPES, PhantomNodule } from '../../libs/imaging/src/phantom';
import { SeededRandom } from '../../libs/imaging/src/seeded-random';

export const LABELS = ['non-nodule', 'solid', 'part-solid', 'ground-glass'] as const;
/** held-out phantoms use seeds far from the training range */
export const HELDOUT_SEED_BASE = 900_000;
export const TRAIN_SEED_BASE = 1_000;
const THICKNESSES = [1.0, 1.25, 1.5, 2.0, 2.5];

export function scanOptions(seed: number, forTraining: boolean) {
  const r = new SeededRandom(seed * 7 + 3);
  return {
    seed,
    matrix: r.pick([192, 256, 256, 320]),
    fovMm: r.uniform(330, 380),
    sliceThicknessMm: r.pick(THICKNESSES),
    noiseHu: r.uniform(12, 40),
    noduleCount: forTraining ? r.int(6, 12) : r.int(2, 7),
  };
}

/** a candidate hits a nodule when it lies within the nodule's radius (LUNA16 rule, at least 3 mm) */
export function matchNodule(center: Vec3, nodules: PhantomNodule[]): PhantomNodule | null {
  let best: PhantomNodule | null = null;
  let bestD = Infinity;
  for (const n of nodules) {
    const d = distance(center, n.centerMm);
    if (d <= Math.max(n.diameterMm / 2, 3) && d < bestD) {
      best = n;
      bestD = d;
    }
  }
  return best;
}

function main() {
  const out = process.argv[2] ?? '.cache/nodule';
  const trainScans = Number(process.argv[3] ?? 30);
  const heldoutScans = Number(process.argv[4] ?? 12);
  mkdirSync(out, { recursive: true });
  for (const split of ['heldout', 'train'] as const) {
    const n = split === 'train' ? trainScans : heldoutScans;
    const base = split === 'train' ? TRAIN_SEED_BASE : HELDOUT_SEED_BASE;
    const bin = openSync(join(out, `${split}.bin`), 'w');
    const meta: string[] = [];
    const scans: unknown[] = [];
    const jitter = new SeededRandom(base + 17);
    for (let s = 0; s < n; s++) {
      const t0 = Date.now();
      const opts = scanOptions(base + s, split === 'train');
      const ph = generatePhantom(opts);
      const grid = toAnalysisGrid(ph.volume);
      const lungs = segmentLungs(grid);
      const cands = findCandidates(grid, lungs);
      const write = (center: Vec3, row: Record<string, unknown>) => {
        const hu = extractPatchHu(ph.volume, center);
        const i16 = new Int16Array(hu.length);
        for (let i = 0; i < hu.length; i++) i16[i] = Math.round(hu[i]);
        writeSync(bin, Buffer.from(i16.buffer));
        meta.push(JSON.stringify({ scan: s, center: center.map((x) => Math.round(x * 100) / 100), ...row }));
      };
      for (const c of cands) {
        const hit = matchNodule(c.centerMm, ph.nodules);
        write(c.centerMm, {
          kind: 'candidate',
          label: hit ? 1 + NODULE_TYPES.indexOf(hit.type) : 0,
          nodule: hit ? hit.id : null,
          score: Math.round(c.score * 10) / 10,
          radiusMm: Math.round(c.radiusMm * 10) / 10,
        });
      }
      if (split === 'train') {
        // extra views of every nodule (also the ones the detector missed), jittered by up to ~2.5 mm
        for (const nd of ph.nodules) {
          for (let a = 0; a < 6; a++) {
            const j = Math.min(2.5, nd.diameterMm / 4);
            const c: Vec3 = [0, 1, 2].map((ax) => nd.centerMm[ax] + jitter.uniform(-j, j)) as Vec3;
            write(c, { kind: 'jitter', label: 1 + NODULE_TYPES.indexOf(nd.type), nodule: nd.id, score: null, radiusMm: null });
          }
        }
      }
      scans.push({ scan: s, options: opts, nodules: ph.nodules, candidates: cands.length });
      process.stderr.write(`${split} ${s + 1}/${n} ${cands.length} candidates ${ph.nodules.length} nodules ${Date.now() - t0} ms\n`);
    }
    closeSync(bin);
    writeFileSync(join(out, `${split}.jsonl`), meta.join('\n') + '\n');
    writeFileSync(join(out, `${split}-scans.json`), JSON.stringify({ patchSize: PATCH_SIZE, labels: LABELS, scans }, null, 1));
  }
}

if (require.main === module) main();
