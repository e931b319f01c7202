/**
 * Diameter measurement error on the held-out phantoms: for every nodule the candidate detector
 * found, measure it from the detected centre as the service does and compare with the phantom's
 * truth (mean axial diameter, long/short axis, volume). Writes <dir>/measurements.json for the card.
 *
 *   node -r @swc-node/register models/nodule/measure-heldout.ts [dir=.cache/nodule] [scans=12]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { toAnalysisGrid } from '../../libs/imaging/src/analysis-grid';
import { findCandidates } from '../../libs/imaging/src/candidate-detection';
import { distance } from '../../libs/imaging/src/ct-volume';
import { insideClosedLung, segmentLungs } from '../../libs/imaging/src/lung-segmentation';
import { measureNodule } from '../../libs/imaging/src/nodule-measurement';
import { generatePhantom } from '../../libs/imaging/src/phantom';
import { HELDOUT_SEED_BASE, matchNodule, scanOptions } from './make-dataset';

/** Lung-RADS v2022 cut points, the same bands as models/nodule/patches.py */
export function sizeBand(diameterMm: number): string {
  return diameterMm < 6 ? '<6 mm' : diameterMm < 8 ? '6-8 mm' : diameterMm < 15 ? '8-15 mm' : '>=15 mm';
}

interface Row {
  type: string;
  sizeBand: string;
  site: string;
  truth: number;
  measured: number | null;
  truthVolume: number;
  measuredVolume: number | null;
  truthSolid?: number;
  measuredSolid?: number;
}

function summary(rows: Row[]) {
  const ok = rows.filter((r) => r.measured !== null);
  const err = ok.map((r) => (r.measured as number) - r.truth);
  const abs = err.map(Math.abs);
  const volRel = ok.map((r) => Math.abs((r.measuredVolume as number) - r.truthVolume) / r.truthVolume);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
  const sorted = abs.slice().sort((a, b) => a - b);
  return {
    nodules: rows.length,
    measured: ok.length,
    meanAbsErrorMm: round(mean(abs)),
    meanErrorMm: round(mean(err)),
    p90AbsErrorMm: sorted.length ? round(sorted[Math.floor(0.9 * (sorted.length - 1))]) : null,
    withinOneMm: ok.length ? round(abs.filter((a) => a <= 1).length / ok.length) : null,
    meanRelVolumeError: round(mean(volRel)),
  };
}

function round(x: number | null): number | null {
  return x === null ? null : Math.round(x * 1000) / 1000;
}

function main() {
  const dir = process.argv[2] ?? '.cache/nodule';
  const scans = Number(process.argv[3] ?? 12);
  const rows: Row[] = [];
  for (let s = 0; s < scans; s++) {
    const ph = generatePhantom(scanOptions(HELDOUT_SEED_BASE + s, false));
    const grid = toAnalysisGrid(ph.volume);
    const lungs = segmentLungs(grid);
    const cands = findCandidates(grid, lungs);
    const inside = insideClosedLung(grid, lungs);
    for (const n of ph.nodules) {
      const hits = cands.filter((c) => matchNodule(c.centerMm, [n])).sort((a, b) => distance(a.centerMm, n.centerMm) - distance(b.centerMm, n.centerMm));
      if (!hits.length) continue;
      const m = measureNodule(ph.volume, hits[0].centerMm, { radiusHintMm: hits[0].radiusMm, insideLung: inside });
      rows.push({
        type: n.type,
        sizeBand: sizeBand(n.diameterMm),
        site: n.site,
        truth: n.diameterMm,
        measured: m ? m.diameterMm : null,
        truthVolume: n.volumeMm3,
        measuredVolume: m ? m.volumeMm3 : null,
        truthSolid: n.solidDiameterMm,
        measuredSolid: m?.solidComponentMm,
      });
    }
    process.stderr.write(`measured scan ${s + 1}/${scans}\n`);
  }
  const by = (key: 'type' | 'site' | 'sizeBand') => Object.fromEntries([...new Set(rows.map((r) => r[key]))].map((k) => [k, summary(rows.filter((r) => r[key] === k))]));
  const solidRows = rows.filter((r) => r.truthSolid !== undefined && r.measuredSolid !== undefined);
  const out = {
    what: 'mean axial diameter (Lung-RADS) measured from the detected candidate centre vs phantom truth, held-out phantoms',
    overall: summary(rows),
    byType: by('type'),
    bySite: by('site'),
    bySizeBand: by('sizeBand'),
    solidComponent: {
      nodules: solidRows.length,
      meanAbsErrorMm: round(solidRows.length ? solidRows.reduce((a, r) => a + Math.abs((r.measuredSolid as number) - (r.truthSolid as number)), 0) / solidRows.length : null),
    },
  };
  writeFileSync(join(dir, 'measurements.json'), JSON.stringify(out, null, 1));
  console.log(JSON.stringify(out, null, 1));
  if (process.env.MEASURE_ROWS) console.log(rows);
}

if (require.main === module) main();
