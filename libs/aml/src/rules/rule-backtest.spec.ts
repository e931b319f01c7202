import { backtestRules } from './rule-backtest';
import { STARTER_RULES } from './starter-rules';

describe('rule backtest', () => {
  it('measures alert volume, precision and recall of candidate against active', async () => {
    const rows = [
      { facts: { belowThreshold: true, aBelowCount7d: 3, sanctionsScore: 0 }, label: true },
      { facts: { belowThreshold: true, aBelowCount7d: 2, sanctionsScore: 0 }, label: false },
      { facts: { belowThreshold: false, aBelowCount7d: 0, sanctionsScore: 0 }, label: true },
      { facts: { belowThreshold: false, aBelowCount7d: 0, sanctionsScore: 0 }, label: false },
    ];
    const stricter = STARTER_RULES.map((r) => (r.id === 'structuring.below-threshold' ? { ...r, conditions: { all: [{ fact: 'belowThreshold', operator: 'equal', value: true }, { fact: 'aBelowCount7d', operator: 'greaterThanInclusive', value: 3 }] } } : r));
    const res = await backtestRules({ version: 2, rules: stricter }, { version: 1, rules: STARTER_RULES }, rows);
    expect(res.active).toMatchObject({ alerts: 2, truePositives: 1, precision: 0.5, recall: 0.5, positives: 2 });
    expect(res.candidate).toMatchObject({ alerts: 1, truePositives: 1, precision: 1, recall: 0.5 });
    expect(res.change).toEqual({ alerts: -1, precision: 0.5, recall: 0 });
    expect(res.candidate.perRule['structuring.below-threshold']).toEqual({ alerts: 1, truePositives: 1 });
  });
});
