import { parse } from 'csv-parse';
import { Readable } from 'node:stream';
import { Bar, barProblems, parseBarTime } from './bar';

/** One CSV data row: a valid bar, or the problems that kept it out, with its 1-based line number. */
export type BarCsvRow = { line: number; bar: Bar } | { line: number; problems: string[] };

const COLUMN_ALIASES: Record<string, keyof Bar | 'time'> = {
  symbol: 'symbol', ticker: 'symbol', time: 'time', date: 'time', timestamp: 'time', datetime: 'time',
  open: 'open', high: 'high', low: 'low', close: 'close', volume: 'volume',
  split: 'split', split_ratio: 'split', dividend: 'dividend', dividends: 'dividend',
};
const REQUIRED = ['time', 'open', 'high', 'low', 'close', 'volume'];

export class BarCsvHeaderError extends Error {}

function numberCell(v: string | undefined): number {
  if (v === undefined || v.trim() === '') return NaN;
  return Number(v);
}

/**
 * Streams bars out of a CSV (header row required; columns symbol,time|date,open,high,low,close,
 * volume[,split][,dividend] in any order, case-insensitive). Memory stays flat for any file size.
 * @param input the CSV bytes or text
 * @param defaultSymbol symbol for files without a symbol column
 * @yields one entry per data row, bad rows with their line number and the fields at fault
 */
export async function* readBarCsv(input: Readable | AsyncIterable<Buffer | string>, defaultSymbol?: string): AsyncGenerator<BarCsvRow> {
  const parser = parse({ bom: true, skip_empty_lines: true, trim: true, relax_column_count: true, info: true });
  const source = input instanceof Readable ? input : Readable.from(input);
  source.on('error', (e) => parser.destroy(e));
  source.pipe(parser);
  let columns: (string | undefined)[] | null = null;
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    if (!columns) {
      const header: (string | undefined)[] = record.map((h) => COLUMN_ALIASES[h.toLowerCase()]);
      columns = header;
      const missing = REQUIRED.filter((c) => !header.includes(c));
      if (!header.includes('symbol') && !defaultSymbol) missing.unshift('symbol');
      if (missing.length) throw new BarCsvHeaderError(`CSV header (line ${info.lines}) lacks column(s): ${missing.join(', ')}`);
      continue;
    }
    const cell: Record<string, string> = {};
    columns.forEach((c, i) => c && (cell[c] = record[i]));
    if (record.length < columns.length) {
      yield { line: info.lines, problems: [`expected ${columns.length} columns, found ${record.length}`] };
      continue;
    }
    const bar: Bar = {
      symbol: cell.symbol || defaultSymbol || '',
      timeMs: parseBarTime(cell.time ?? ''),
      open: numberCell(cell.open),
      high: numberCell(cell.high),
      low: numberCell(cell.low),
      close: numberCell(cell.close),
      volume: numberCell(cell.volume),
      split: cell.split?.trim() ? numberCell(cell.split) : null,
      dividend: cell.dividend?.trim() ? numberCell(cell.dividend) : null,
    };
    const problems = barProblems(bar);
    if (problems.length) {
      yield {
        line: info.lines,
        problems: problems.map((p) => (p.field === 'time' ? `time ${JSON.stringify(cell.time ?? '')} is not a date or ISO date-time` : p.message)),
      };
    } else yield { line: info.lines, bar };
  }
}
