import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { AmlworldHeaderError, type CsvItem, parseAmlworldTimestamp, readAmlworldCsv, toAmlworldRow } from './amlworld-csv';

const data = join(__dirname, '..', '..', '..', '..', 'data', 'aml');

async function collect(input: Readable): Promise<CsvItem[]> {
  const out: CsvItem[] = [];
  for await (const item of readAmlworldCsv(input, 'f')) out.push(item);
  return out;
}

describe('AMLworld CSV reader', () => {
  it('reports bad lines by number and keeps the good ones', async () => {
    const items = await collect(createReadStream(join(data, 'amlworld-malformed.csv')));
    const good = items.filter((i) => 'transaction' in i).map((i) => i.line);
    const bad = items.filter((i): i is { line: number; error: string } => 'error' in i);
    expect(good).toEqual([2, 4, 8, 10]);
    expect(bad.map((b) => b.line)).toEqual([3, 5, 6, 7, 9, 12]);
    expect(bad.find((b) => b.line === 3)?.error).toMatch(/Timestamp "2022\/09\/31 00:20"/);
    expect(bad.find((b) => b.line === 5)?.error).toMatch(/Receiving Currency "Doubloon"/);
    expect(bad.find((b) => b.line === 6)?.error).toMatch(/expected 10 or 11 columns, found 4/);
    expect(bad.find((b) => b.line === 7)?.error).toMatch(/Amount Received "abc"/);
    expect(bad.find((b) => b.line === 9)?.error).toMatch(/Is Laundering "maybe"/);
    expect(bad.find((b) => b.line === 12)?.error).toMatch(/From Bank/);
  });

  it('reads AMLworld fields, the optional label and derives ids from the line', async () => {
    const [first, , , label] = (await collect(createReadStream(join(data, 'amlworld-malformed.csv')))).filter((i) => 'transaction' in i) as Array<{ line: number; transaction: import('../transaction').Transaction }>;
    expect(first.transaction).toMatchObject({ id: 'f:2', fromBank: '010', fromAccount: '8000EBD30', amountPaid: 3697.34, paymentFormat: 'Reinvestment', isLaundering: false, timestamp: Date.UTC(2022, 8, 1, 0, 20) });
    expect(label.transaction.isLaundering).toBeUndefined();
    expect(toAmlworldRow(first.transaction)).toBe('2022/09/01 00:20,010,8000EBD30,010,8000EBD30,3697.34,US Dollar,3697.34,US Dollar,Reinvestment,0');
  });

  it('keeps the rows before a structurally broken one (unclosed quote) and reports it', async () => {
    const text = `Timestamp,From Bank,Account,To Bank,Account,Amount Received,Receiving Currency,Amount Paid,Payment Currency,Payment Format\n2022/09/01 00:20,001,A,002,B,5,Euro,5,Euro,Wire\n"2022/09/01 00:21,001,A,002,B,5,Euro,5,Euro,Wire\n2022/09/01 00:22,001,A,002,C,5,Euro,5,Euro,Wire`;
    const items = await collect(Readable.from([text]));
    expect(items[0]).toMatchObject({ line: 2, transaction: { toAccount: 'B' } });
    expect(items.some((i) => 'error' in i && /Quote Not Closed/.test(i.error))).toBe(true);
  });

  it('fails the whole file on a wrong header, at line 1', async () => {
    await expect(collect(Readable.from(['Date,From,To\n1,2,3\n']))).rejects.toThrow(AmlworldHeaderError);
    await expect(collect(Readable.from(['']))).rejects.toThrow(/empty/);
  });

  it('streams input in arbitrary chunks (rows split across chunks)', async () => {
    const text = `${['Timestamp', 'From Bank', 'Account', 'To Bank', 'Account', 'Amount Received', 'Receiving Currency', 'Amount Paid', 'Payment Currency', 'Payment Format'].join(',')}\n` +
      Array.from({ length: 500 }, (_, i) => `2022/09/01 00:${String(i % 60).padStart(2, '0')},001,A${i},002,B${i},${i + 1},Euro,${i + 1},Euro,Wire`).join('\n');
    const chunks = text.match(/[\s\S]{1,37}/g) as string[];
    const items = await collect(Readable.from(chunks));
    expect(items).toHaveLength(500);
    expect(items.every((i) => 'transaction' in i)).toBe(true);
    expect(items[499].line).toBe(501);
  });

  it('parses timestamps strictly', () => {
    expect(parseAmlworldTimestamp('2022/09/01 23:59')).toBe(Date.UTC(2022, 8, 1, 23, 59));
    expect(parseAmlworldTimestamp('2022-09-01 23:59:30')).toBe(Date.UTC(2022, 8, 1, 23, 59, 30));
    expect(parseAmlworldTimestamp('2022/02/29 10:00')).toBeNaN();
    expect(parseAmlworldTimestamp('01/09/2022 10:00')).toBeNaN();
  });
});
