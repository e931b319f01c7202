import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { BarCsvHeaderError, BarCsvRow, readBarCsv } from './bar-csv';

async function all(text: string | Readable, symbol?: string): Promise<BarCsvRow[]> {
  const out: BarCsvRow[] = [];
  for await (const r of readBarCsv(typeof text === 'string' ? Readable.from([text]) : text, symbol)) out.push(r);
  return out;
}

describe('readBarCsv', () => {
  it('reads the real MSFT export from R', async () => {
    const rows = await all(createReadStream(join(__dirname, '../../../../data/trading/msft.csv')));
    expect(rows).toHaveLength(249);
    expect(rows.every((r) => 'bar' in r)).toBe(true);
    expect(rows[0]).toEqual({
      line: 2,
      bar: { symbol: 'MSFT', timeMs: Date.UTC(2000, 8, 27), open: 63.4375, high: 63.5625, low: 59.8125, close: 60.625, volume: 53077800, split: null, dividend: null },
    });
  });

  it('reports a malformed row with its line number and keeps the good rows', async () => {
    const csv = [
      'Date,Open,High,Low,Close,Volume,Split',
      '2024-01-02,10,11,9,10.5,1000,',
      '',
      '2024-01-03,10.5,10,9,10.2,1200,', // high below open: line 4
      '2024-01-04,abc,11,9,10,900,', // line 5
      '2024-13-45,10,11,9,10,900,', // line 6
      '2024-01-05,10,11,9,10', // short row, line 7
      '2024-01-08,10,11,9,10,900,2',
    ].join('\n');
    const rows = await all(csv, 'ACME');
    expect(rows.map((r) => r.line)).toEqual([2, 4, 5, 6, 7, 8]);
    const bad = rows.filter((r): r is { line: number; problems: string[] } => 'problems' in r);
    expect(bad.map((r) => r.line)).toEqual([4, 5, 6, 7]);
    expect(bad[0].problems[0]).toMatch(/high 10 is below open/);
    expect(bad[1].problems[0]).toMatch(/open must be a finite number/);
    expect(bad[2].problems[0]).toMatch(/time "2024-13-45"/);
    expect(bad[3].problems[0]).toMatch(/expected 7 columns, found 5/);
    const last = rows[5];
    expect('bar' in last && last.bar.split).toBe(2);
  });

  it('counts lines inside quoted multi-line cells', async () => {
    const csv = 'symbol,time,open,high,low,close,volume\n"A\nB",2024-01-02,1,1,1,1,1\nX,2024-01-02,1,0.5,1,1,1\n';
    const rows = await all(csv);
    expect(rows.map((r) => r.line)).toEqual([3, 4]);
  });

  it('refuses a header without the needed columns', async () => {
    await expect(all('date,close\n2024-01-01,1\n', 'X')).rejects.toThrow(BarCsvHeaderError);
    await expect(all('date,open,high,low,close,volume\n')).rejects.toThrow(/lacks column\(s\): symbol/);
  });
});
