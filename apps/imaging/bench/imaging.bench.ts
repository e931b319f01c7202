/**
 * `npm run bench -- imaging`: seconds per CT study for the whole analysis at two sizes
 * (256x256x120 and 512x512x300), each stage's share (parse, volume, candidates, model, measure),
 * against the raw model time on the same number of patches in one batched runtime call (the
 * baseline measured in the same run). Prints one JSON line.
 */
import { parseInstance, seriesToVolume, writeCtSeries } from '@suite/dicom';
import { analyzeVolume, generatePhantom, modelClassifier, operatingThreshold, PATCH_SIZE } from '@suite/imaging';
import { ModelRegistry } from '@suite/inference';

interface Size {
  label: string;
  matrix: number;
  slices: number;
  sliceThicknessMm: number;
}

const SIZES: Size[] = [
  { label: '256x256x120', matrix: 256, slices: 120, sliceThicknessMm: 2.5 },
  { label: '512x512x300', matrix: 512, slices: 300, sliceThicknessMm: 1.0 },
];

export async function main(): Promise<void> {
  const registry = new ModelRegistry({});
  const model = await registry.get('nodule');
  const threshold = operatingThreshold(model.card, 1);
  const studies = [];
  for (const size of SIZES) {
    const phantom = generatePhantom({ seed: 90210, matrix: size.matrix, slices: size.slices, sliceThicknessMm: size.sliceThicknessMm, fovMm: 350, noduleCount: 5 });
    const files = writeCtSeries(phantom.volume, { patientId: 'BENCH', patientName: 'Bench^CT', studyInstanceUid: '1.2.826.0.1.3680043.10.1417.900', seriesInstanceUid: '1.2.826.0.1.3680043.10.1417.900.1', studyDate: '20260101' });
    let t = performance.now();
    const instances = files.map((f) => parseInstance(f.bytes));
    const parse = (performance.now() - t) / 1000;
    t = performance.now();
    const volume = seriesToVolume(instances);
    const volumeS = (performance.now() - t) / 1000;
    const result = await analyzeVolume(volume, modelClassifier(model), { threshold });
    const stages = { parse, volume: volumeS, candidates: result.timings.candidates, model: result.timings.model, measure: result.timings.measure };
    const total = Object.values(stages).reduce((a, b) => a + b, 0);
    // baseline: the same number of patches through the runtime in one batch, nothing else
    const n = Math.max(1, result.candidates);
    const patch = PATCH_SIZE ** 3;
    const data = new Float32Array(n * patch).map((_, i) => Math.sin(i) * 0.5);
    await model.runRaw({ patch: { dtype: 'float32', dims: [Math.min(n, 8), 1, PATCH_SIZE, PATCH_SIZE, PATCH_SIZE], data: data.subarray(0, Math.min(n, 8) * patch) } }); // warm-up
    t = performance.now();
    await model.runRaw({ patch: { dtype: 'float32', dims: [n, 1, PATCH_SIZE, PATCH_SIZE, PATCH_SIZE], data } });
    const rawModel = (performance.now() - t) / 1000;
    studies.push({
      size: size.label,
      sliceThicknessMm: size.sliceThicknessMm,
      secondsPerStudy: round(total),
      stages: Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, { seconds: round(v), share: round(v / total) }])),
      candidates: result.candidates,
      nodules: result.nodules.length,
      truthNodules: phantom.nodules.length,
      modelCallSeconds: round(result.timings.modelRaw),
      rawModelSeconds: round(rawModel),
      ratioToRawModel: round(total / rawModel),
    });
  }
  console.log(JSON.stringify({ bench: 'imaging', model: `nodule@${model.version}`, provider: model.provider, baseline: 'raw model: all candidate patches in one runtime call', studies }));
  await registry.close();
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
