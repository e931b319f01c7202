import { biasDimensions, domainDimensions } from './bias-report';
import { largestGaps } from './gaps';
import { binaryGroupMetrics, classGroupMetrics, metricsForRows, scoreRows } from './group-metrics';
import type { ModelCard } from '../registry/card';

describe('metrics per group', () => {
  it('binary: alert rate, precision, recall and f1 at the threshold; undefined where a group has no alerts or no positives', () => {
    // 2 TP, 1 FP, 1 FN, 6 TN
    expect(binaryGroupMetrics([1, 1, 0, 1, 0, 0, 0, 0, 0, 0], [1, 1, 1, 0, 0, 0, 0, 0, 0, 0])).toEqual({ n: 10, positives: 3, alerts: 3, alertRate: 0.3, precision: 2 / 3, recall: 2 / 3, f1: 2 / 3 });
    expect(binaryGroupMetrics([1, 0, 0], [0, 0, 0])).toEqual({ n: 3, positives: 1, alerts: 0, alertRate: 0, precision: null, recall: 0, f1: null });
    expect(binaryGroupMetrics([0, 0], [1, 0])).toEqual({ n: 2, positives: 0, alerts: 1, alertRate: 0.5, precision: 0, recall: null, f1: null });
  });

  it('multiclass: accuracy, macro-F1 over the classes present, recall per class', () => {
    const m = classGroupMetrics([0, 0, 1, 1], [0, 1, 1, 1], ['neg', 'neu', 'pos']);
    // class 0: P 1 R 0.5 F1 2/3; class 1: P 2/3 R 1 F1 0.8; class 2 absent -> not averaged
    expect(m.n).toBe(4);
    expect(m.accuracy).toBe(0.75);
    expect(m.macroF1).toBeCloseTo((2 / 3 + 0.8) / 2, 12);
    expect(m['recall:neg']).toBe(0.5);
    expect(m['recall:neu']).toBe(1);
    expect(m['recall:pos']).toBeNull();
  });

  it('token-multiclass: groups of rows, ignored tokens skipped', () => {
    const scored = scoreRows(
      { kind: 'token-multiclass', output: 'tags', ignoreLabel: -1, tolerance: 0 },
      { dtype: 'int64', dims: [2, 3], data: BigInt64Array.from([0n, 1n, -1n, 1n, 1n, 0n]) },
      // logits [rows, tokens, 2]: predictions 0,1,1 | 1,0,0
      { dtype: 'float32', dims: [2, 3, 2], data: Float32Array.from([1, 0, 0, 1, 0, 1, 0, 1, 1, 0, 1, 0]) },
    );
    expect(metricsForRows(scored, [0])).toEqual({ n: 1, tokens: 2, accuracy: 1, macroF1: 1 });
    const second = metricsForRows(scored, [1]);
    expect(second.tokens).toBe(3);
    expect(second.accuracy).toBeCloseTo(2 / 3, 12);
  });

  it('regression: mae and ic per group', () => {
    const scored = scoreRows({ kind: 'regression', output: 'y', tolerance: 0 }, { dtype: 'float32', dims: [4], data: Float32Array.from([1, 2, 3, 4]) }, { dtype: 'float32', dims: [4, 1], data: Float32Array.from([1.5, 2.5, 2.5, 5]) });
    const m = metricsForRows(scored, [0, 1, 2, 3]);
    expect(m.mae).toBeCloseTo(0.625, 6);
    expect(m.ic).toBeGreaterThan(0.9);
    expect(metricsForRows(scored, [0, 1]).ic).toBeNull(); // too few rows for a correlation
  });
});

describe('largest gaps', () => {
  const rows = [
    { group: 'a', n: 100, metrics: { n: 100, recall: 0.9, precision: 0.5 } },
    { group: 'b', n: 40, metrics: { n: 40, recall: 0.6, precision: null } },
    { group: 'c', n: 5, metrics: { n: 5, recall: 0.0, precision: 1 } },
    { group: 'd', n: 30, metrics: { n: 30, recall: 0.7, precision: 0.75 } },
  ];

  it('takes the highest and lowest group with enough support, never a small group or an undefined value', () => {
    const gaps = largestGaps(rows, 30);
    const recall = gaps.find((g) => g.metric === 'recall')!;
    expect(recall).toMatchObject({ eligibleGroups: 3, high: { group: 'a', value: 0.9 }, low: { group: 'b', value: 0.6 } });
    expect(recall.gap).toBeCloseTo(0.3, 12);
    const precision = gaps.find((g) => g.metric === 'precision')!;
    expect(precision).toMatchObject({ eligibleGroups: 2, high: { group: 'd' }, low: { group: 'a' }, gap: 0.25 });
    expect(gaps.map((g) => g.metric)).not.toContain('n');
  });

  it('applies the minimum support of a per-class metric to the rows of that class', () => {
    const perClass = [
      { group: 'a', n: 100, metrics: { n: 100, 'recall:solid': 1, 'support:solid': 4 } },
      { group: 'b', n: 100, metrics: { n: 100, 'recall:solid': 0.5, 'support:solid': 40 } },
      { group: 'c', n: 100, metrics: { n: 100, 'recall:solid': 0.75, 'support:solid': 30 } },
    ];
    expect(largestGaps(perClass, 30)).toEqual([{ metric: 'recall:solid', eligibleGroups: 2, high: { group: 'c', value: 0.75, n: 100 }, low: { group: 'b', value: 0.5, n: 100 }, gap: 0.25 }]);
    expect(classGroupMetrics([0, 0, 1], [0, 1, 1], ['x', 'y'])).toMatchObject({ 'support:x': 2, 'support:y': 1 });
  });

  it('measures precision on alerts and recall on positives: many rows with few alerts make no precision gap', () => {
    const countries = [
      { group: 'GB', n: 500, metrics: binaryGroupMetrics([1, ...Array(499).fill(0)], [1, ...Array(499).fill(0)]) }, // 1 alert, precision 1
      { group: 'MM', n: 400, metrics: binaryGroupMetrics(Array(400).fill(0), [1, ...Array(399).fill(0)]) }, // 1 alert, precision 0
      { group: 'DE', n: 300, metrics: binaryGroupMetrics([...Array(40).fill(1), ...Array(260).fill(0)], [...Array(30).fill(1), ...Array(270).fill(0)]) },
    ];
    const gaps = largestGaps(countries, 30);
    expect(gaps.find((g) => g.metric === 'precision')).toEqual({ metric: 'precision', eligibleGroups: 1, gap: null });
    expect(gaps.find((g) => g.metric === 'alertRate')).toMatchObject({ high: { group: 'DE', value: 0.1 }, low: { group: 'GB', value: 0.002 } });
  });

  it('reports no gap when fewer than two groups qualify', () => {
    expect(largestGaps(rows, 50).find((g) => g.metric === 'recall')).toEqual({ metric: 'recall', eligibleGroups: 1, gap: null });
  });

  it('groups held-out rows by each dimension, largest group first', () => {
    const scored = scoreRows({ kind: 'binary', output: 'p', threshold: 0.5, tolerance: 0 }, { dtype: 'int64', dims: [6], data: BigInt64Array.from([1n, 0n, 1n, 1n, 0n, 0n]) }, { dtype: 'float32', dims: [6, 1], data: Float32Array.from([0.9, 0.1, 0.2, 0.8, 0.7, 0.6]) });
    const [dim] = biasDimensions(scored, { channel: ['web', 'web', 'web', 'branch', 'branch', 'app'] }, 2);
    expect(dim.groups.map((g) => [g.group, g.n])).toEqual([['web', 3], ['branch', 2], ['app', 1]]);
    expect(dim.groups[0].metrics).toMatchObject({ positives: 2, recall: 0.5, precision: 1 });
    expect(dim.groups[1].metrics).toMatchObject({ positives: 1, recall: 1, precision: 0.5 });
    expect(dim.gaps.find((g) => g.metric === 'alertRate')).toMatchObject({ high: { group: 'branch', value: 1 }, low: { group: 'web' }, eligibleGroups: 2 });
  });

  it('reads domain metrics per group from the card and leaves groups without n out of gaps', () => {
    const card = { name: 'm', metrics: { heldout: {}, groups: { 'nodule type': { solid: { n: 40, sensitivity: 0.95 }, 'ground-glass': { n: 35, sensitivity: 0.7 }, 'part-solid': { sensitivity: 0.1 } } } } } as unknown as ModelCard;
    const { dimensions, notes } = domainDimensions(card, 30);
    expect(dimensions[0]).toMatchObject({ dimension: 'nodule type', source: 'domain evaluation' });
    expect(dimensions[0].gaps[0]).toMatchObject({ metric: 'sensitivity', high: { group: 'solid' }, low: { group: 'ground-glass' } });
    expect(dimensions[0].gaps[0].gap).toBeCloseTo(0.25, 12);
    expect(notes.join()).toMatch(/part-solid gives no n/);
  });
});
