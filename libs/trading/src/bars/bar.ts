/** A price bar as researchers send it (daily or intraday), with optional corporate actions. */
export interface Bar {
  symbol: string;
  /** bar close time, epoch milliseconds UTC */
  timeMs: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  /** split ratio effective at this bar (2 = 2-for-1); prices before it are divided by it */
  split?: number | null;
  /** cash dividend per share going ex at this bar */
  dividend?: number | null;
}

/** A bad field of a bar, named so a researcher can fix the input. */
export interface BarProblem {
  field: string;
  message: string;
}

export const SYMBOL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:\-^=]{0,31}$/;

/**
 * Problems with one bar (empty when valid): finite positive prices, low <= open/close <= high,
 * volume >= 0, a known symbol shape, positive split, non-negative dividend below the close.
 */
export function barProblems(bar: Bar): BarProblem[] {
  const out: BarProblem[] = [];
  if (typeof bar.symbol !== 'string' || !SYMBOL_PATTERN.test(bar.symbol)) {
    out.push({ field: 'symbol', message: `symbol ${JSON.stringify(bar.symbol)} must be 1-32 letters, digits or . _ : - ^ =` });
  }
  if (!Number.isFinite(bar.timeMs)) out.push({ field: 'time', message: 'time is not a valid date-time' });
  for (const f of ['open', 'high', 'low', 'close'] as const) {
    if (!Number.isFinite(bar[f]) || bar[f] <= 0) out.push({ field: f, message: `${f} must be a finite number > 0, got ${bar[f]}` });
  }
  if (!Number.isFinite(bar.volume) || bar.volume < 0) out.push({ field: 'volume', message: `volume must be a finite number >= 0, got ${bar.volume}` });
  if (!out.some((p) => ['open', 'high', 'low', 'close'].includes(p.field))) {
    if (bar.high < Math.max(bar.open, bar.close)) out.push({ field: 'high', message: `high ${bar.high} is below open or close` });
    if (bar.low > Math.min(bar.open, bar.close)) out.push({ field: 'low', message: `low ${bar.low} is above open or close` });
  }
  if (bar.split != null && (!Number.isFinite(bar.split) || bar.split <= 0)) out.push({ field: 'split', message: `split must be > 0, got ${bar.split}` });
  if (bar.dividend != null && (!Number.isFinite(bar.dividend) || bar.dividend < 0 || bar.dividend >= bar.close)) {
    out.push({ field: 'dividend', message: `dividend must be >= 0 and below the close, got ${bar.dividend}` });
  }
  return out;
}

/**
 * Parses a bar time: a date (YYYY-MM-DD, taken as 00:00 UTC) or an ISO date-time (UTC when it
 * has no offset). Returns NaN when unparseable.
 */
export function parseBarTime(text: string): number {
  const s = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return Date.parse(`${s}T00:00:00Z`);
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(s)) return Date.parse(`${s.replace(' ', 'T')}Z`);
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(s)) return Date.parse(s.replace(' ', 'T'));
  return NaN;
}

/**
 * Sorts bars by (symbol, time) and keeps the last of bars that share a (symbol, time), so
 * out-of-order and repeated bars give one series.
 */
export function sortAndDedupe(bars: readonly Bar[]): Bar[] {
  const byKey = new Map<string, Bar>();
  for (const b of bars) byKey.set(`${b.symbol}\u0000${b.timeMs}`, b);
  return [...byKey.values()].sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : a.timeMs - b.timeMs));
}
