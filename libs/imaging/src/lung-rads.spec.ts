import { isGrowth, lungRadsCategory, studyLungRads } from './lung-rads';

describe('Lung-RADS v2022', () => {
  it.each([
    ['solid', 5.9, undefined, '2'],
    ['solid', 6.0, undefined, '3'],
    ['solid', 7.9, undefined, '3'],
    ['solid', 8.0, undefined, '4A'],
    ['solid', 14.9, undefined, '4A'],
    ['solid', 15.0, undefined, '4B'],
    ['part-solid', 5.9, 3, '2'],
    ['part-solid', 9, 5.9, '3'],
    ['part-solid', 9, 6, '4A'],
    ['part-solid', 12, 8, '4B'],
    ['ground-glass', 29.9, undefined, '2'],
    ['ground-glass', 30, undefined, '3'],
  ] as const)('baseline %s %d mm (solid part %s) is %s', (type, d, s, expected) => {
    expect(lungRadsCategory({ type, diameterMm: d, solidComponentMm: s })).toBe(expected);
  });

  it('rounds the mean diameter to 0.1 mm before comparing (5.96 mm is 6.0 mm)', () => {
    expect(lungRadsCategory({ type: 'solid', diameterMm: 5.96 })).toBe('3');
    expect(lungRadsCategory({ type: 'solid', diameterMm: 5.94 })).toBe('2');
  });

  it('treats small juxtapleural solid nodules as benign in appearance', () => {
    expect(lungRadsCategory({ type: 'solid', diameterMm: 9, juxtapleural: true })).toBe('2');
    expect(lungRadsCategory({ type: 'solid', diameterMm: 10, juxtapleural: true })).toBe('4A');
  });

  it('upgrades new and growing nodules', () => {
    expect(lungRadsCategory({ type: 'solid', diameterMm: 5, prior: { status: 'new' } })).toBe('3');
    expect(lungRadsCategory({ type: 'solid', diameterMm: 7, prior: { status: 'new' } })).toBe('4A');
    expect(lungRadsCategory({ type: 'solid', diameterMm: 7, prior: { status: 'growing' } })).toBe('4A');
    expect(lungRadsCategory({ type: 'solid', diameterMm: 9, prior: { status: 'growing' } })).toBe('4B');
    expect(lungRadsCategory({ type: 'part-solid', diameterMm: 9, solidComponentMm: 4, prior: { status: 'new' } })).toBe('4B');
    expect(lungRadsCategory({ type: 'ground-glass', diameterMm: 32, prior: { status: 'stable' } })).toBe('2');
  });

  it('takes the most suspicious nodule for the study, 1 when there is none', () => {
    expect(studyLungRads([])).toBe('1');
    expect(studyLungRads(['2', '4A', '3'])).toBe('4A');
  });

  it('defines growth as more than 1.5 mm', () => {
    expect(isGrowth(6, 7.5)).toBe(false);
    expect(isGrowth(6, 7.6)).toBe(true);
  });
});
