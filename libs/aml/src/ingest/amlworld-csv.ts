import { parse } from 'csv-parse';
import type { Readable } from 'node:stream';
import { USD_RATES } from '../currency';
import type { Transaction } from '../transaction';

/** IBM AMLworld's header; the last column (the label) is optional. */
export const AMLWORLD_HEADER = [
  'Timestamp',
  'From Bank',
  'Account',
  'To Bank',
  'Account',
  'Amount Received',
  'Receiving Currency',
  'Amount Paid',
  'Payment Currency',
  'Payment Format',
  'Is Laundering',
] as const;

/** A row that could not be read, by its line number in the file (header = line 1). */
export interface RowError {
  line: number;
  message: string;
}

export type CsvItem = { line: number; transaction: Transaction } | { line: number; error: string };

const TIMESTAMP = /^(\d{4})[/-](\d{2})[/-](\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/;

/** 'YYYY/MM/DD HH:MM' (AMLworld, UTC) to epoch milliseconds; NaN when malformed. */
export function parseAmlworldTimestamp(s: string): number {
  const m = TIMESTAMP.exec(s.trim());
  if (!m) return Number.NaN;
  const [, y, mo, d, h, mi, sec] = m;
  const ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, sec ? +sec : 0);
  const check = new Date(ms);
  // reject 2022/02/31 and friends instead of rolling them over
  if (check.getUTCDate() !== +d || check.getUTCMonth() !== +mo - 1 || +h > 23 || +mi > 59) return Number.NaN;
  return ms;
}

function amount(value: string, column: string): number {
  const v = value.trim();
  if (!/^\d+(\.\d+)?$/.test(v)) throw new Error(`${column} "${value}" is not a non-negative number`);
  return Number(v);
}

function currency(value: string, column: string): string {
  const v = value.trim();
  if (!(v in USD_RATES)) throw new Error(`${column} "${value}" is not a known currency`);
  return v;
}

/**
 * One AMLworld record to a Transaction; the id is derived from the file and line so that
 * re-importing the same file is idempotent.
 * @throws Error naming the column at fault
 */
export function amlworldRecordToTransaction(record: string[], idPrefix: string, line: number): Transaction {
  if (record.length < 10 || record.length > 11) throw new Error(`expected 10 or 11 columns, found ${record.length}`);
  const timestamp = parseAmlworldTimestamp(record[0]);
  if (Number.isNaN(timestamp)) throw new Error(`Timestamp "${record[0]}" is not YYYY/MM/DD HH:MM`);
  for (const [i, name] of [[1, 'From Bank'], [2, 'Account'], [3, 'To Bank'], [4, 'Account']] as const) {
    if (!record[i].trim()) throw new Error(`${name} (column ${i + 1}) is empty`);
  }
  const label = record[10]?.trim();
  if (label !== undefined && label !== '' && label !== '0' && label !== '1') throw new Error(`Is Laundering "${record[10]}" is not 0 or 1`);
  const format = record[9].trim();
  if (!format) throw new Error('Payment Format is empty');
  return {
    id: `${idPrefix}:${line}`,
    timestamp,
    fromBank: record[1].trim(),
    fromAccount: record[2].trim(),
    toBank: record[3].trim(),
    toAccount: record[4].trim(),
    amountReceived: amount(record[5], 'Amount Received'),
    receivingCurrency: currency(record[6], 'Receiving Currency'),
    amountPaid: amount(record[7], 'Amount Paid'),
    paymentCurrency: currency(record[8], 'Payment Currency'),
    paymentFormat: format,
    isLaundering: label === undefined || label === '' ? undefined : label === '1',
  };
}

/**
 * Streams an AMLworld CSV of any size, yielding each row as a transaction or as an error with its
 * line number; a bad row never stops the good ones. A wrong header fails the whole file at line 1.
 */
export async function* readAmlworldCsv(input: Readable, idPrefix: string): AsyncGenerator<CsvItem> {
  // skip_records_with_error: a structurally broken record (e.g. an unclosed quote) is reported
  // through 'skip' instead of failing the stream, so the records parsed before it are not lost
  const parser = input.pipe(
    parse({ info: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, skip_records_with_error: true, bom: true, trim: false }),
  );
  const skipped: CsvItem[] = [];
  parser.on('skip', (err: Error & { lines?: number }) => skipped.push({ line: err.lines ?? -1, error: `unreadable CSV: ${err.message}` }));
  let sawHeader = false;
  for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    const line = item.info.lines;
    // in line order: a skipped record is reported when the reader has passed its line
    while (skipped.length && skipped[0].line < line) yield skipped.shift() as CsvItem;
    if (!sawHeader) {
      sawHeader = true;
      const got = item.record.map((c) => c.trim());
      const expected = AMLWORLD_HEADER.slice(0, got.length);
      if ((got.length !== 10 && got.length !== 11) || got.some((c, i) => c !== expected[i])) {
        throw new AmlworldHeaderError(`line ${line}: header must be "${AMLWORLD_HEADER.join(',')}" (label column optional), got "${got.join(',')}"`);
      }
      continue;
    }
    try {
      yield { line, transaction: amlworldRecordToTransaction(item.record, idPrefix, line) };
    } catch (e) {
      yield { line, error: (e as Error).message };
    }
  }
  if (!sawHeader) throw new AmlworldHeaderError(skipped.length ? `line 1: no readable header (${skipped[0].line}: ${'error' in skipped[0] ? skipped[0].error : ''})` : 'line 1: the file is empty (no header)');
  while (skipped.length) yield skipped.shift() as CsvItem;
}

export class AmlworldHeaderError extends Error {}

/** Writes a transaction as an AMLworld row (demo data, exports). */
export function toAmlworldRow(t: Transaction): string {
  const d = new Date(t.timestamp);
  const p = (n: number) => String(n).padStart(2, '0');
  const ts = `${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`;
  const label = t.isLaundering === undefined ? '' : t.isLaundering ? '1' : '0';
  return [ts, t.fromBank, t.fromAccount, t.toBank, t.toAccount, t.amountReceived, t.receivingCurrency, t.amountPaid, t.paymentCurrency, t.paymentFormat, label].join(',');
}
