import { generatePhantom, NoduleRequest, Phantom } from './phantom';

/**
 * The demo patient: two chest CTs a year apart from the same seeded anatomy. The later one has a
 * solid nodule that grew (6.5 → 9 mm), a new small solid nodule, and stable part-solid,
 * ground-glass and juxtapleural nodules, so queries, Lung-RADS and follow-up all have something to show.
 */
export interface DemoStudy {
  label: 'prior' | 'current';
  patientId: string;
  patientName: string;
  studyDate: string;
  phantom: Phantom;
}

export const DEMO_PATIENT = { patientId: 'PHANTOM-001', patientName: 'Phantom^Demo' };

export function demoStudies(opts: { matrix?: number; slices?: number; sliceThicknessMm?: number } = {}): DemoStudy[] {
  const geometry = { matrix: opts.matrix ?? 256, slices: opts.slices ?? 120, sliceThicknessMm: opts.sliceThicknessMm ?? 2.5, fovMm: 350, anatomySeed: 4242, noiseHu: 20 };
  const currentRequests: NoduleRequest[] = [
    { type: 'solid', diameterMm: 9, site: 'isolated' },
    { type: 'part-solid', diameterMm: 14, solidFraction: 0.45, site: 'isolated' },
    { type: 'ground-glass', diameterMm: 12, site: 'isolated' },
    { type: 'solid', diameterMm: 6, site: 'juxtapleural' },
    { type: 'solid', diameterMm: 5.5, site: 'juxtavascular' },
  ];
  const current = generatePhantom({ seed: 7001, ...geometry, nodules: currentRequests });
  const priorDiameters = [6.5, 13.5, 12, 6];
  const prior = generatePhantom({
    seed: 7000,
    ...geometry,
    nodules: current.nodules
      .filter((n) => n.id <= priorDiameters.length)
      .map((n) => ({ type: n.type, diameterMm: priorDiameters[n.id - 1], site: n.site, centerMm: n.centerMm, solidFraction: n.type === 'part-solid' ? 0.4 : undefined })),
  });
  return [
    { label: 'prior', ...DEMO_PATIENT, studyDate: '20250512', phantom: prior },
    { label: 'current', ...DEMO_PATIENT, studyDate: '20260511', phantom: current },
  ];
}
