import { alertPriority, canTransition, chooseCase, slaDueAt, weekOf, weeklyAlertPrecision, type OpenCaseView } from './case-grouping';

const at = new Date('2022-09-10T12:00:00Z');
const alert = (accounts: string[], typologies = ['fan-in'], decision: 'REVIEW' | 'BLOCK' = 'REVIEW', score = 0.5) => ({ accounts, typologies, decision, score, at });

describe('case grouping', () => {
  const open: OpenCaseView[] = [
    { id: 'c1', accounts: ['1:A', '1:B'], typologies: ['fan-in'], lastAlertAt: new Date('2022-09-09T00:00:00Z'), priority: 'medium' },
    { id: 'c2', accounts: ['1:B'], typologies: ['cycle'], lastAlertAt: new Date('2022-09-10T00:00:00Z'), priority: 'low' },
    { id: 'c3', accounts: ['1:Z'], typologies: ['fan-in'], lastAlertAt: new Date('2022-08-01T00:00:00Z'), priority: 'low' },
  ];
  it('joins the most recently active open case on the same account', () => {
    expect(chooseCase(alert(['1:B', '1:Q']), open)?.id).toBe('c2');
    expect(chooseCase(alert(['1:A']), open)?.id).toBe('c1');
  });
  it('opens a new case for new accounts or a stale case', () => {
    expect(chooseCase(alert(['1:X']), open)).toBeNull();
    expect(chooseCase(alert(['1:Z']), open)).toBeNull();
  });
  it('sets priority and SLA', () => {
    expect(alertPriority(alert(['x'], ['sanctions'], 'BLOCK', 0))).toBe('critical');
    expect(alertPriority(alert(['x'], ['fan-in'], 'REVIEW', 0.95))).toBe('high');
    expect(alertPriority(alert(['x'], ['fan-in'], 'REVIEW', 0.05))).toBe('low');
    expect(slaDueAt('critical', at).toISOString()).toBe('2022-09-11T12:00:00.000Z');
  });
  it('allows only the case workflow moves', () => {
    expect(canTransition('open', 'in_review')).toBe(true);
    expect(canTransition('closed', 'escalated')).toBe(false);
    expect(canTransition('escalated', 'open')).toBe(false);
  });
  it('reports alert precision by week from dispositions', () => {
    expect(weekOf(new Date('2022-09-11T23:00:00Z'))).toBe('2022-09-05');
    const w = weeklyAlertPrecision([
      { createdAt: new Date('2022-09-05T01:00:00Z'), disposition: 'suspicious_sar_filed' },
      { createdAt: new Date('2022-09-06T01:00:00Z'), disposition: 'false_positive' },
      { createdAt: new Date('2022-09-07T01:00:00Z'), disposition: null },
      { createdAt: new Date('2022-09-13T01:00:00Z'), disposition: null },
    ]);
    expect(w).toEqual([
      { week: '2022-09-05', alerts: 3, dispositioned: 2, suspicious: 1, precision: 0.5 },
      { week: '2022-09-12', alerts: 1, dispositioned: 0, suspicious: 0, precision: null },
    ]);
  });
});
