import { BinCounter } from '../drift/psi';
import { ModelMonitor, type ModelAlert } from './model-monitor';

/** A deterministic stream of N(shift, 1)-ish values (sum of uniforms). */
function* values(seed: number, shift: number) {
  let s = seed;
  for (;;) {
    let v = 0;
    for (let k = 0; k < 12; k++) v += (s = (s * 48271) % 2147483647) / 2147483647;
    yield v - 6 + shift;
  }
}

describe('ModelMonitor', () => {
  const reference = { edges: [-1.28, -0.84, -0.52, -0.25, 0, 0.25, 0.52, 0.84, 1.28], fractions: Array(10).fill(0.1) };

  it('raises a drift alert at the first step whose PSI crosses each threshold, and only once', () => {
    const sunk: ModelAlert[] = [];
    const monitor = new ModelMonitor('m', undefined, undefined, (a) => sunk.push(a));
    const psis: number[] = [];
    const firedAt: Record<string, number> = {};
    for (let step = 0; step < 20; step++) {
      const counter = new BinCounter(reference);
      const gen = values(11 + step, step * 0.05); // the input drifts by 0.05 sd per step
      for (let i = 0; i < 2000; i++) counter.add(gen.next().value as number);
      psis.push(counter.psi());
      for (const a of monitor.checkDrift([{ feature: 'amount', kind: 'input', psi: counter.psi(), observations: counter.n }])) firedAt[a.level] ??= step;
    }
    const firstWarning = psis.findIndex((p) => p >= 0.1);
    const firstCritical = psis.findIndex((p) => p >= 0.25);
    expect(firstWarning).toBeGreaterThan(0);
    expect(firedAt.warning).toBe(firstWarning);
    expect(firedAt.critical).toBe(firstCritical);
    expect(sunk.filter((a) => a.level === 'warning')).toHaveLength(1);
    expect(sunk[0].message).toMatch(/PSI of input amount/);
  });

  it('catches a gradual quality decay long before a 30% drop', () => {
    const monitor = new ModelMonitor('m', { metric: 'precision', value: 0.9 });
    let first: { alert: ModelAlert; trueQuality: number } | undefined;
    let s = 5;
    // true precision falls linearly from 0.9 to 0.6 (a 33% drop) over 4000 labelled outcomes
    for (let i = 0; i < 4000 && !first; i++) {
      const trueQuality = 0.9 - (0.3 * i) / 4000;
      const alert = monitor.recordOutcome((s = (s * 48271) % 2147483647) / 2147483647 < trueQuality);
      if (alert) first = { alert, trueQuality };
    }
    expect(first?.alert.level).toBe('warning');
    expect(first!.trueQuality).toBeGreaterThan(0.9 * 0.8); // fired while the drop was still under 20%
    expect((0.9 - first!.alert.value) / 0.9).toBeGreaterThanOrEqual(0.1);
  });
});
