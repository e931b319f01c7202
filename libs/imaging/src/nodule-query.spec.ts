import { matchesQuery, parseNoduleQuery, QueryableNodule } from './nodule-query';

const base: QueryableNodule = { type: 'solid', diameterMm: 7, lobe: 'RUL', lungRads: '3', juxtapleural: false, patientId: 'P-1', studyDate: '20250301' };

describe('parseNoduleQuery', () => {
  it('reads the example from the issue', () => {
    const q = parseNoduleQuery('solid nodules larger than 6 mm in the right upper lobe');
    expect(q).toMatchObject({ types: ['solid'], minDiameterMm: 6, minInclusive: false, lobes: ['RUL'], unknownWords: [] });
    expect(q.understood).toEqual(['type: solid', 'mean diameter > 6 mm', 'lobe: RUL']);
  });

  it('converts centimetres and reads inclusive bounds', () => {
    expect(parseNoduleQuery('nodules at least 1 cm')).toMatchObject({ minDiameterMm: 10, minInclusive: true });
    expect(parseNoduleQuery('ground glass nodules under 8mm')).toMatchObject({ types: ['ground-glass'], maxDiameterMm: 8, maxInclusive: false });
    expect(parseNoduleQuery('nodules between 6 and 8 mm')).toMatchObject({ minDiameterMm: 6, maxDiameterMm: 8 });
    expect(parseNoduleQuery('8 mm or larger part-solid')).toMatchObject({ minDiameterMm: 8, minInclusive: true, types: ['part-solid'] });
  });

  it('reads sides, lobes and the lingula', () => {
    expect(parseNoduleQuery('nodules in the left lung').lobes).toEqual(['LUL', 'LLL']);
    expect(parseNoduleQuery('lingula').lobes).toEqual(['LUL']);
    expect(parseNoduleQuery('RML and LLL').lobes).toEqual(['RML', 'LLL']);
  });

  it('reads Lung-RADS categories, patient, dates and growth', () => {
    expect(parseNoduleQuery('lung-rads 4A or higher').lungRads).toEqual(['4A', '4B']);
    expect(parseNoduleQuery('Lung RADS category 3').lungRads).toEqual(['3']);
    const q = parseNoduleQuery('growing nodules for patient PHANTOM-7 since 2025-01');
    expect(q).toMatchObject({ growth: 'growing', patientId: 'PHANTOM-7', studyDateFrom: '2025-01-01', unknownWords: [] });
    expect(parseNoduleQuery('nodules in 2024')).toMatchObject({ studyDateFrom: '2024-01-01', studyDateTo: '2024-12-31' });
    expect(parseNoduleQuery('doubling time less than 400 days')).toMatchObject({ maxDoublingTimeDays: 400 });
    expect(parseNoduleQuery('nodules in the last 6 months', new Date('2026-06-15T00:00:00Z')).studyDateFrom).toBe('2025-12-15');
  });

  it('reports words it does not understand instead of ignoring them', () => {
    const q = parseNoduleQuery('spiculated solid nodules near the hilum');
    expect(q.types).toEqual(['solid']);
    expect(q.unknownWords).toEqual(['spiculated', 'near', 'hilum']);
  });
});

describe('matchesQuery', () => {
  it('applies every part of the filter', () => {
    expect(matchesQuery(base, parseNoduleQuery('solid nodules larger than 6 mm in the right upper lobe'))).toBe(true);
    expect(matchesQuery(base, parseNoduleQuery('solid nodules larger than 7 mm'))).toBe(false);
    expect(matchesQuery(base, parseNoduleQuery('solid nodules at least 7 mm'))).toBe(true);
    expect(matchesQuery(base, parseNoduleQuery('left lung'))).toBe(false);
    expect(matchesQuery(base, parseNoduleQuery('lung-rads 4a or higher'))).toBe(false);
    expect(matchesQuery(base, parseNoduleQuery('patient p-1 in 2025'))).toBe(true);
    expect(matchesQuery(base, parseNoduleQuery('before 2025-02-01'))).toBe(false);
    expect(matchesQuery({ ...base, growth: 'growing', doublingTimeDays: 300 }, parseNoduleQuery('growing nodules with doubling time under 400 days'))).toBe(true);
  });
});
