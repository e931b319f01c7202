import { daysBetween, matchFollowUp, volumeDoublingTimeDays } from './follow-up';

describe('follow-up', () => {
  it('computes the volume doubling time', () => {
    // doubling in 100 days is a VDT of 100 days; a nodule twice as big in diameter has 8x the volume
    expect(volumeDoublingTimeDays(100, 200, 100)).toBe(100);
    expect(volumeDoublingTimeDays(100, 800, 300)).toBe(100);
    expect(volumeDoublingTimeDays(200, 100, 100)).toBe(-100);
    expect(volumeDoublingTimeDays(100, 100, 100)).toBeNull();
  });

  it('pairs nodules by position, with a shift between studies, and reports new and resolved ones', () => {
    const prior = [
      { id: 'a', centerMm: [-60, 0, 100] as [number, number, number], diameterMm: 6, volumeMm3: 113 },
      { id: 'b', centerMm: [60, 10, 150] as [number, number, number], diameterMm: 8, volumeMm3: 268 },
    ];
    const current = [
      { id: 'x', centerMm: [62, 12, 155] as [number, number, number], diameterMm: 8.2, volumeMm3: 280 },
      { id: 'y', centerMm: [-58, 1, 104] as [number, number, number], diameterMm: 9, volumeMm3: 382 },
      { id: 'z', centerMm: [0, 50, 60] as [number, number, number], diameterMm: 5, volumeMm3: 65 },
    ];
    const r = matchFollowUp(prior, current, 180, { priorToCurrentShiftMm: [1, 1, 4] });
    const byCurrent = Object.fromEntries(r.map((p) => [p.currentId ?? `gone:${p.priorId}`, p]));
    expect(byCurrent.y).toMatchObject({ priorId: 'a', status: 'growing', diameterChangeMm: 3 });
    expect(byCurrent.y.doublingTimeDays).toBe(Math.round((180 * Math.LN2) / Math.log(382 / 113)));
    expect(byCurrent.x).toMatchObject({ priorId: 'b', status: 'stable' });
    expect(byCurrent.z).toMatchObject({ priorId: null, status: 'new' });
    expect(r).toHaveLength(3);
  });

  it('counts days between DICOM dates', () => {
    expect(daysBetween('20250101', '20250702')).toBe(182);
  });
});
