import { binOf, psi } from './psi';

describe('PSI', () => {
  it('bins values by inner cut points', () => {
    expect([-1, 0, 0.1, 1, 1.5, 9].map((v) => binOf([0, 1], v))).toEqual([0, 0, 1, 1, 2, 2]);
  });
  it('matches a hand computation', () => {
    // expected 50/50, actual 80/20: (0.8-0.5)ln(1.6) + (0.2-0.5)ln(0.4)
    expect(psi([0.5, 0.5], [80, 20])).toBeCloseTo(0.3 * Math.log(1.6) + -0.3 * Math.log(0.4), 10);
    expect(psi([0.5, 0.5], [50, 50])).toBe(0);
  });
});
