import type { RuleHit } from '../rules/aml-rule';
import { contributionsFrom, reconcile, occlusionRows } from './dual-track';

const hit = (severity: 'review' | 'block', typology = 'fan-out'): RuleHit => ({ ruleId: `${typology}.x`, name: 'x', typology, severity, description: '' });

describe('dual-track reconciliation', () => {
  it('allows when neither track objects', () => {
    expect(reconcile(0.05, [], [])).toMatchObject({ decision: 'ALLOW', disagreement: null });
  });
  it('reviews on a high score alone and names the disagreement', () => {
    const r = reconcile(0.6, [], [{ feature: 'cycle_hops', value: 0.5, contribution: 0.4 }]);
    expect(r.decision).toBe('REVIEW');
    expect(r.disagreement).toBe('MODEL_ONLY');
    expect(r.reasons.join('\n')).toMatch(/top features: cycle_hops=0.5 \(\+0.4\)/);
  });
  it('reviews on a rule hit with a low score as a RULES_ONLY disagreement', () => {
    const r = reconcile(0.02, [hit('review')], []);
    expect(r).toMatchObject({ decision: 'REVIEW', disagreement: 'RULES_ONLY' });
    expect(r.reasons[0]).toMatch(/rule fan-out.x/);
  });
  it('agrees without disagreement when both tracks object, and blocks when the score is very high', () => {
    expect(reconcile(0.5, [hit('review')], [])).toMatchObject({ decision: 'REVIEW', disagreement: null });
    expect(reconcile(0.95, [hit('review')], [])).toMatchObject({ decision: 'BLOCK' });
  });
  it('blocks on a block-severity rule (sanctions) whatever the score', () => {
    expect(reconcile(0.01, [hit('block', 'sanctions')], []).decision).toBe('BLOCK');
  });
  it('attributes the score by occlusion', () => {
    const rows = occlusionRows([1, 2, 3], [0, 0, 0]);
    expect(rows).toHaveLength(4);
    expect(Array.from(rows[2])).toEqual([1, 0, 3]);
    const c = contributionsFrom([0.8, 0.7, 0.2, 0.8], [1, 2, 3], ['a', 'b', 'c']);
    expect(c[0]).toMatchObject({ feature: 'b' });
    expect(c[0].contribution).toBeCloseTo(0.6, 10);
  });
});
