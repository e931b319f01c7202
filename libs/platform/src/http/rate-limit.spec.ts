import { RateLimiter } from './rate-limit';

describe('RateLimiter', () => {
  it('allows a burst, then refills at the rate, per client', () => {
    const l = new RateLimiter(10, 3);
    const t = 1_000_000;
    expect([l.take('a', t), l.take('a', t), l.take('a', t)]).toEqual([0, 0, 0]);
    expect(l.take('a', t)).toBeGreaterThan(0);
    expect(l.take('b', t)).toBe(0); // another client is unaffected
    expect(l.take('a', t + 100)).toBe(0); // 0.1 s at 10/s refills one token
  });
  it('is off at rate 0', () => {
    const l = new RateLimiter(0, 0);
    expect(Array.from({ length: 100 }, () => l.take('a'))).toEqual(Array(100).fill(0));
  });
});
