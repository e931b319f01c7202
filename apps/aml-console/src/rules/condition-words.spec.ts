import { conditionLines, conditionSentence } from './condition-words';
import { checkRuleJson } from './rule-validation';

describe('conditions in words', () => {
  const fanOut = {
    all: [
      { fact: 'aFanOut7d', operator: 'greaterThanInclusive', value: 4 },
      { fact: 'newCounterparty', operator: 'equal', value: true },
      { fact: 'paymentFormat', operator: 'notIn', value: ['Credit Card'] },
      { any: [{ fact: 'amountUsd', operator: 'greaterThan', value: 10000 }, { not: { fact: 'crossBank', operator: 'equal', value: false } }] },
    ],
  };

  it('reads a rule as a sentence', () => {
    expect(conditionSentence(fanOut)).toBe(
      'distinct accounts the payer paid in 7 days is at least 4 and the payer has never paid this receiver before and the payment format is not one of "Credit Card" and (the amount in US dollars is more than 10,000 or not (not: the payment goes to another bank))',
    );
  });

  it('reads nested groups as indented lines', () => {
    expect(conditionLines(fanOut)).toEqual([
      { depth: 0, text: 'all of these hold:' },
      { depth: 1, text: 'distinct accounts the payer paid in 7 days is at least 4' },
      { depth: 1, text: 'the payer has never paid this receiver before' },
      { depth: 1, text: 'the payment format is not one of "Credit Card"' },
      { depth: 1, text: 'any of these holds:' },
      { depth: 2, text: 'the amount in US dollars is more than 10,000' },
      { depth: 2, text: 'this does not hold:' },
      { depth: 3, text: 'not: the payment goes to another bank' },
    ]);
  });

  it('keeps an unknown fact by its name', () => {
    expect(conditionSentence({ all: [{ fact: 'mystery', operator: 'lessThan', value: 0.5 }] })).toBe('mystery is less than 0.5');
  });
});

describe('checkRuleJson', () => {
  const good = { id: 'cycle.x', name: 'Cycle', typology: 'cycle', severity: 'review', enabled: true, description: '', conditions: { all: [{ fact: 'cycleHops', operator: 'greaterThanInclusive', value: 3 }] } };

  it('accepts a valid rule', () => {
    const r = checkRuleJson(JSON.stringify(good));
    expect(r.problems).toEqual([]);
    expect(r.rule).toEqual(good);
  });

  it('says where the JSON is broken', () => {
    const r = checkRuleJson('{\n  "id": "x",\n  "name": oops\n}');
    expect(r.rule).toBeNull();
    expect(r.problems[0].message).toBe('line 3, column 11: unexpected "o": expected a value');
  });

  it('names each bad field, fact and operator', () => {
    const bad = { ...good, id: 'Bad Id', severity: 'high', extra: 1, conditions: { all: [{ fact: 'nope', operator: 'bigger', value: 1 }, { fact: 'amountUsd', operator: 'equal' }] } };
    const paths = checkRuleJson(JSON.stringify(bad)).problems.map((p) => p.path);
    expect(paths).toEqual(['id', 'severity', 'extra', 'conditions.all[0].fact', 'conditions.all[0].operator', 'conditions.all[1].value']);
  });

  it('refuses conditions that do not start with a group', () => {
    expect(checkRuleJson(JSON.stringify({ ...good, conditions: { fact: 'amountUsd', operator: 'equal', value: 1 } })).problems).toEqual([
      { path: 'conditions', message: 'must start with "all", "any" or "not"' },
    ]);
  });
});
