import fc from 'fast-check';
import type { AmlRule } from './aml-rule';
import { type RuleFacts, RuleTrack } from './rule-track';
import { STARTER_RULES } from './starter-rules';

const extra: AmlRule[] = [
  { id: 'x.any-not', name: 'any/not', typology: 'test', severity: 'review', description: '', enabled: true, conditions: { any: [{ not: { fact: 'crossCurrency', operator: 'equal', value: false } }, { fact: 'paymentFormat', operator: 'in', value: ['Cash', 'Bitcoin'] }] } as AmlRule['conditions'] },
  { id: 'x.country', name: 'country', typology: 'test', severity: 'review', description: '', enabled: true, conditions: { all: [{ fact: 'toCountry', operator: 'notEqual', value: 'US' }, { fact: 'amountUsd', operator: 'greaterThan', value: 100 }] } as AmlRule['conditions'] },
  { id: 'x.disabled', name: 'off', typology: 'test', severity: 'review', description: '', enabled: false, conditions: { all: [{ fact: 'amountUsd', operator: 'greaterThanInclusive', value: 0 }] } as AmlRule['conditions'] },
];
const track = new RuleTrack({ version: 1, rules: [...STARTER_RULES, ...extra] });

/** Facts near the starter rules' thresholds, sometimes missing or null. */
const num = (max: number) => fc.oneof(fc.integer({ min: 0, max }), fc.double({ min: 0, max, noNaN: true }), fc.constant(undefined));
const factsArb: fc.Arbitrary<RuleFacts> = fc.record(
  {
    amountUsd: num(20000),
    belowThreshold: fc.boolean(),
    crossCurrency: fc.boolean(),
    newCounterparty: fc.boolean(),
    paymentFormat: fc.constantFrom('ACH', 'Wire', 'Cash', 'Credit Card', 'Cheque', 'Bitcoin', 'Reinvestment'),
    aFanOut7d: num(8), bFanIn7d: num(8), aFanIn7d: num(6), bFanOut7d: num(4),
    aOutCount24h: num(8), aOutCount7d: num(6), bInCount24h: num(8),
    aPassthroughRatio: fc.double({ min: 0, max: 2, noNaN: true }), aMinutesSinceIn: num(10080), aInSum24h: num(50000),
    aBelowCount7d: num(4), cycleHops: fc.constantFrom(0, 2, 3, 4, 6),
    sanctionsScore: fc.double({ min: 0, max: 1, noNaN: true }),
    toCountry: fc.constantFrom('US', 'DE', null),
  },
  { requiredKeys: [] },
) as fc.Arbitrary<RuleFacts>;

describe('rule track', () => {
  it('compiled predicates agree with json-rules-engine on random facts', async () => {
    await fc.assert(
      fc.asyncProperty(factsArb, async (facts) => {
        const compiled = track.evaluate(facts).map((h) => h.ruleId);
        const engine = (await track.evaluateWithEngine(facts)).map((h) => h.ruleId);
        expect(compiled).toEqual(engine);
      }),
      { numRuns: 400, seed: 42 },
    );
  });

  it('skips disabled rules and reports the set version', () => {
    expect(track.evaluate({ amountUsd: 5 }).map((h) => h.ruleId)).not.toContain('x.disabled');
    expect(track.version).toBe(1);
  });
});
