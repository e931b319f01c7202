import { buildMoneyFlow, type Transfer } from './money-flow';

const t = (id: string, from: string, to: string, amountUsd: number, flagged = false, minute = 0): Transfer => ({
  id,
  from,
  to,
  amountUsd,
  flagged,
  timestamp: new Date(Date.UTC(2022, 8, 1, 0, minute)).toISOString(),
});

describe('buildMoneyFlow', () => {
  it('merges parallel transfers into one edge and keeps the flag', () => {
    const flow = buildMoneyFlow([t('1', 'A', 'B', 100), t('2', 'A', 'B', 50, true), t('3', 'B', 'C', 140, true), t('1', 'A', 'B', 100)], ['A', 'B']);
    expect(flow.edges).toEqual([
      { id: 'A->B', from: 'A', to: 'B', count: 2, amountUsd: 150, flagged: true, transferIds: ['1', '2'] },
      { id: 'B->C', from: 'B', to: 'C', count: 1, amountUsd: 140, flagged: true, transferIds: ['3'] },
    ]);
    expect(flow.nodes.map((n) => [n.id, n.inCase, n.sentUsd, n.receivedUsd])).toEqual([
      ['A', true, 150, 0],
      ['B', true, 140, 150],
      ['C', false, 0, 140],
    ]);
  });

  it('keeps case and flagged accounts and the biggest neighbours when there are too many', () => {
    const transfers = [t('c', 'CASE', 'MULE', 10, true)];
    for (let i = 0; i < 30; i++) transfers.push(t(`n${i}`, 'CASE', `N${i}`, 1000 + i));
    const flow = buildMoneyFlow(transfers, ['CASE'], 6);
    const ids = flow.nodes.map((n) => n.id);
    expect(ids).toContain('CASE');
    expect(ids).toContain('MULE');
    expect(ids).toHaveLength(6);
    // the four biggest neighbours
    expect(ids.filter((id) => id.startsWith('N')).sort()).toEqual(['N26', 'N27', 'N28', 'N29']);
    expect(flow.edges.every((e) => ids.includes(e.from) && ids.includes(e.to))).toBe(true);
  });

  it('shows a case account even without transfers', () => {
    expect(buildMoneyFlow([], ['A']).nodes).toEqual([{ id: 'A', inCase: true, sentUsd: 0, receivedUsd: 0 }]);
  });
});
