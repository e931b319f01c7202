import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readAmlworldCsv } from '../ingest/amlworld-csv';
import type { Transaction } from '../transaction';
import { type AccountHistory, InMemoryHistoryStore, deserializeHistory, emptyHistory, serializeHistory } from './account-history';
import { extractAndRecord } from './feature-extractor';
import { FEATURE_NAMES } from './feature-names';
import { usdTransfer } from '../__fixtures__/transfers';

const fixtures = join(__dirname, '..', '__fixtures__');

let seq = 0;
function txn(minute: number, from: string, to: string, amount: number, extra: Partial<Transaction> = {}): Transaction {
  return usdTransfer(`t${seq++}`, minute, from, to, amount, extra.paymentFormat ?? 'ACH', extra);
}

/** Runs transactions through one in-memory store and returns each one's facts. */
function run(txns: Transaction[]) {
  const store = new InMemoryHistoryStore();
  return txns.map((t) => {
    const a = `${t.fromBank}:${t.fromAccount}`;
    const b = `${t.toBank}:${t.toAccount}`;
    const h = store.loadSync([a, b]);
    return extractAndRecord(t, h.get(a) as AccountHistory, h.get(b) as AccountHistory);
  });
}

describe('features on hand-made sequences', () => {
  it('counts velocity per window and excludes the current payment', () => {
    const f = run([txn(0, 'A', 'X', 100), txn(30, 'A', 'Y', 200), txn(23 * 60, 'A', 'Z', 300), txn(26 * 60, 'A', 'X', 50)]);
    expect(f[0].facts.aOutCount24h).toBe(0);
    expect(f[1].facts).toMatchObject({ aOutCount1h: 1, aOutCount24h: 1, aOutCount7d: 1, aOutSum24h: 100 });
    expect(f[2].facts).toMatchObject({ aOutCount1h: 0, aOutCount24h: 2, aOutSum24h: 300 });
    // 26h later the first two left the 24h window but not the 7d one
    expect(f[3].facts).toMatchObject({ aOutCount24h: 1, aOutSum24h: 300, aOutCount7d: 3, aFanOut7d: 3 });
    expect(f[3].facts.newCounterparty).toBe(false);
    expect(f[2].facts.newCounterparty).toBe(true);
  });

  it('drops events older than 7 days', () => {
    const f = run([txn(0, 'A', 'X', 100), txn(7 * 1440, 'A', 'Y', 100), txn(7 * 1440 + 1, 'A', 'Y', 100)]);
    expect(f[1].facts.aOutCount7d).toBe(0); // exactly 7 days old is out of (now - 7d, now]
    expect(f[2].facts.aOutCount7d).toBe(1);
  });

  it('measures fan-in at the receiver and fan-out of the sender', () => {
    const f = run([txn(0, 'S1', 'H', 10), txn(1, 'S2', 'H', 10), txn(2, 'S3', 'H', 10), txn(3, 'S1', 'H', 10), txn(4, 'H', 'T', 35)]);
    expect(f[3].facts.bFanIn7d).toBe(3);
    expect(f[3].facts.bInCount1h).toBe(3);
    expect(f[4].facts.aFanIn7d).toBe(3);
    expect(f[4].facts.aInSum24h).toBe(40);
    expect(f[4].facts.aPassthroughRatio).toBeCloseTo(35 / 40, 12);
    expect(f[4].facts.aMinutesSinceIn).toBe(1);
  });

  it('flags round and just-below-threshold amounts and counts structuring', () => {
    const f = run([txn(0, 'A', 'B', 9500), txn(60, 'A', 'C', 9900.5), txn(120, 'A', 'D', 10000), txn(180, 'A', 'E', 2500)]);
    expect(f.map((x) => x.facts.belowThreshold)).toEqual([true, true, false, false]);
    expect(f.map((x) => x.facts.roundAmount)).toEqual([true, false, true, true]);
    expect(f[3].facts.aBelowCount7d).toBe(2);
  });

  it('converts currencies to dollars and notices cross-currency payments and format mix', () => {
    const f = run([
      txn(0, 'A', 'B', 1000, { paymentCurrency: 'Euro', receivingCurrency: 'Yen', amountReceived: 142857, paymentFormat: 'Wire' }),
      txn(1, 'A', 'B', 100, { paymentCurrency: 'UK Pound', receivingCurrency: 'UK Pound', paymentFormat: 'Cash' }),
    ]);
    expect(f[0].facts.crossCurrency).toBe(true);
    expect(f[1].facts.amountUsd).toBeCloseTo(117, 9);
    expect(f[1].facts).toMatchObject({ aFormats7d: 1, aCurrencies7d: 1 });
    const i = FEATURE_NAMES.indexOf('fmt_cash');
    expect(f[1].vector[i]).toBe(1);
  });

  it('detects money returning to its origin within 6 transfers, and not beyond', () => {
    const ring = (n: number) => Array.from({ length: n }, (_, k) => txn(k * 60, `R${k}`, `R${(k + 1) % n}`, 1000));
    expect(run(ring(3)).map((x) => x.facts.cycleHops)).toEqual([0, 0, 3]);
    expect(run(ring(6)).at(-1)?.facts.cycleHops).toBe(6);
    expect(run(ring(7)).at(-1)?.facts.cycleHops).toBe(0);
    // a payback is a 2-cycle
    expect(run([txn(0, 'A', 'B', 10), txn(5, 'B', 'A', 10)])[1].facts.cycleHops).toBe(2);
    // paths must respect time: B->C happened before A->B, so C->A closes nothing
    expect(run([txn(0, 'B', 'C', 10), txn(5, 'A', 'B', 10), txn(10, 'C', 'A', 10)])[2].facts.cycleHops).toBe(0);
  });

  it('round-trips histories through their JSON form (Redis store)', () => {
    const store = new InMemoryHistoryStore();
    const h = store.loadSync(['001:A', '001:B']);
    extractAndRecord(txn(0, 'A', 'B', 10), h.get('001:A') as AccountHistory, h.get('001:B') as AccountHistory);
    const back = deserializeHistory(serializeHistory(h.get('001:B') as AccountHistory));
    expect(back).toEqual(h.get('001:B'));
    expect(deserializeHistory(serializeHistory(emptyHistory()))).toEqual(emptyHistory());
  });
});

describe('parity with the Python reference (models/aml-txn/features.py)', () => {
  it('computes the same feature rows on the shared fixture', async () => {
    const expected = JSON.parse(readFileSync(join(fixtures, 'amlworld-small.features.json'), 'utf8')) as { features: string[]; rows: number[][] };
    expect(expected.features).toEqual(FEATURE_NAMES);
    const txns: Transaction[] = [];
    for await (const item of readAmlworldCsv(createReadStream(join(fixtures, 'amlworld-small.csv')), 'fixture')) {
      if ('error' in item) throw new Error(`line ${item.line}: ${item.error}`);
      txns.push(item.transaction);
    }
    expect(txns).toHaveLength(expected.rows.length);
    const got = run(txns);
    let worst = 0;
    got.forEach((g, r) => {
      g.vector.forEach((v, c) => {
        const e = expected.rows[r][c];
        const err = Math.abs(v - e) / Math.max(1, Math.abs(e));
        if (err > worst) worst = err;
        if (err > 1e-9) throw new Error(`row ${r + 2} feature ${FEATURE_NAMES[c]}: TS ${v} vs Python ${e}`);
      });
    });
    expect(worst).toBeLessThan(1e-9);
  });
});
