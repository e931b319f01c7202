import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DATABASE, JobQueue, NotFoundError, type Database } from '@suite/platform';
import {
  adjustForCorporateActions, BacktestConfig, BacktestStrategy, BarStore, equityChartSvg, generateSignals, NewsStore, PricePanel,
  runBacktest, SYMBOL_PATTERN,
} from '@suite/trading';
import { invalid } from '../graphql/field-error';
import { TradingModels } from '../trading-models';
import type { BacktestInput, BacktestMetrics, BacktestType, EquityPoint, JobStatus } from './backtest.types';

export const BACKTEST_JOB = 'trading.backtest';
export const MAX_BACKTEST_SYMBOLS = 500;

/** What is stored and sent to the job: the request with defaults filled in. */
export interface BacktestSettings extends BacktestConfig {
  symbols: string[];
  fromMs: number | null;
  toMs: number | null;
}

@Injectable()
export class BacktestService implements OnModuleInit {
  private readonly bars: BarStore;
  private readonly news: NewsStore;

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    private readonly jobs: JobQueue,
    private readonly models: TradingModels,
  ) {
    this.bars = new BarStore(db);
    this.news = new NewsStore(db);
  }

  onModuleInit() {
    this.jobs.register<{ backtestId: string }, { backtestId: string }>(BACKTEST_JOB, async ({ backtestId }, ctx) => {
      await this.execute(backtestId, (f) => ctx.progress(f));
      return { backtestId };
    });
  }

  /** Validates, stores the request as QUEUED and hands it to the job queue. */
  async start(input: BacktestInput, createdBy: string | null): Promise<BacktestType> {
    const settings = await this.validate(input);
    const row = await this.db.prisma.tradingBacktest.create({ data: { status: 'QUEUED', input: settings as never, createdBy } });
    await this.jobs.enqueue(BACKTEST_JOB, { backtestId: row.id }, { id: row.id });
    return this.get(row.id) as Promise<BacktestType>;
  }

  async get(id: string): Promise<BacktestType | null> {
    const row = await this.db.prisma.tradingBacktest.findUnique({ where: { id } });
    return row ? toView(row) : null;
  }

  async page(first: number, after?: { createdAt: string; id: string }): Promise<BacktestType[]> {
    const rows = await this.db.prisma.tradingBacktest.findMany({
      where: after ? { OR: [{ createdAt: { lt: new Date(after.createdAt) } }, { createdAt: new Date(after.createdAt), id: { lt: after.id } }] } : {},
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: first,
    });
    return rows.map(toView);
  }

  async chartSvg(id: string): Promise<string> {
    const row = await this.db.prisma.tradingBacktest.findUnique({ where: { id }, select: { chartSvg: true } });
    if (!row?.chartSvg) throw new NotFoundError(`No chart for backtest ${id} (unknown id or not DONE)`);
    return row.chartSvg;
  }

  private async validate(input: BacktestInput): Promise<BacktestSettings> {
    if (!(input.strategy in BacktestStrategy)) throw invalid('input.strategy', `unknown strategy ${input.strategy}`);
    const symbols = [...new Set(input.symbols ?? [])];
    if (!symbols.length || symbols.length > MAX_BACKTEST_SYMBOLS) throw invalid('input.symbols', `needs 1-${MAX_BACKTEST_SYMBOLS} symbols`);
    const bad = symbols.find((s) => !SYMBOL_PATTERN.test(s));
    if (bad !== undefined) throw invalid('input.symbols', `${JSON.stringify(bad)} is not a valid symbol`);
    const known = await this.db.prisma.tradingInstrument.findMany({ where: { symbol: { in: symbols } }, select: { symbol: true } });
    const missing = symbols.filter((s) => !known.some((k) => k.symbol === s));
    if (missing.length) throw invalid('input.symbols', `unknown symbol(s): ${missing.join(', ')}`);
    const finite = (field: string, v: number | null | undefined, lo: number, hi: number) => {
      if (v == null) return undefined;
      if (!Number.isFinite(v) || v < lo || v > hi) throw invalid(`input.${field}`, `must be a number in [${lo}, ${hi}], got ${v}`);
      return v;
    };
    const integer = (field: string, v: number | null | undefined, lo: number, hi: number) => {
      if (v == null) return undefined;
      if (!Number.isInteger(v) || v < lo || v > hi) throw invalid(`input.${field}`, `must be an integer in [${lo}, ${hi}], got ${v}`);
      return v;
    };
    const model = await this.models.signal();
    const horizon = input.horizon ?? 5;
    if (!model.horizons.includes(horizon)) throw invalid('input.horizon', `must be one of ${model.horizons.join(', ')}, got ${horizon}`);
    const fromMs = input.from ? input.from.getTime() : null;
    const toMs = input.to ? input.to.getTime() : null;
    if (fromMs !== null && toMs !== null && fromMs >= toMs) throw invalid('input.from', 'must be before input.to');
    const topK = integer('topK', input.topK, 1, MAX_BACKTEST_SYMBOLS) ?? 1;
    if (input.strategy === 'TOP_K_LONG_SHORT' && 2 * topK > symbols.length) throw invalid('input.topK', `TOP_K_LONG_SHORT needs at least 2 * topK = ${2 * topK} symbols`);
    return {
      strategy: input.strategy,
      symbols,
      fromMs,
      toMs,
      costBps: finite('costBps', input.costBps, 0, 10_000) ?? 0,
      slippageBps: finite('slippageBps', input.slippageBps, 0, 10_000) ?? 0,
      horizon,
      threshold: finite('threshold', input.threshold, 0, 10) ?? 0,
      topK,
      rebalanceEvery: integer('rebalanceEvery', input.rebalanceEvery, 1, 252) ?? horizon,
      sizing: input.sizing ?? 'EQUAL',
      riskFreeRate: finite('riskFreeRate', input.riskFreeRate, -0.5, 1) ?? 0,
    };
  }

  /** The job: bars -> adjusted panel -> signals -> vectorised backtest -> stored result. */
  private async execute(id: string, progress: (f: number) => Promise<void>): Promise<void> {
    const row = await this.db.prisma.tradingBacktest.findUnique({ where: { id } });
    if (!row) throw new NotFoundError(`No backtest ${id}`);
    const s = row.input as unknown as BacktestSettings;
    await this.db.prisma.tradingBacktest.update({ where: { id }, data: { status: 'RUNNING' } });
    try {
      const toMs = s.toMs ?? undefined;
      const series = [];
      for (const symbol of s.symbols) series.push(adjustForCorporateActions(await this.bars.bars(symbol, { toMs })));
      const times = [...new Set(series.flatMap((bars) => bars.filter((b) => s.fromMs === null || b.timeMs >= s.fromMs).map((b) => b.timeMs)))].sort((a, b) => a - b);
      const S = s.symbols.length;
      const T = times.length;
      if (T < 2) throw new Error('fewer than two bars in the requested range');
      const at = new Map(times.map((t, i) => [t, i]));
      const panel: PricePanel = { symbols: s.symbols, times: Float64Array.from(times), close: new Float64Array(T * S).fill(NaN) };
      series.forEach((bars, k) =>
        bars.forEach((b) => {
          const t = at.get(b.timeMs);
          if (t !== undefined) panel.close[t * S + k] = b.close;
        }),
      );
      let scores: Float64Array | null = null;
      if (s.strategy !== 'BUY_AND_HOLD') {
        const model = await this.models.signal();
        const news = await this.news.scoredFor(s.symbols, toMs);
        scores = new Float64Array(T * S).fill(NaN);
        for (let k = 0; k < S; k++) {
          const signals = await generateSignals(model, s.symbols[k], series[k], news.get(s.symbols[k]) ?? [], { fromMs: times[0], toMs: times[T - 1], horizon: s.horizon ?? 5 });
          for (const sig of signals) {
            const t = at.get(sig.timeMs);
            if (t !== undefined) scores[t * S + k] = sig.expectedReturn;
          }
          await progress(((k + 1) / S) * 0.9);
        }
      }
      const out = runBacktest(panel, scores, s);
      const d = out.metrics.drawdown;
      const iso = (i: number) => (i >= 0 ? new Date(out.times[i]).toISOString() : null);
      const metrics = {
        totalReturn: out.metrics.totalReturn, annualizedReturn: out.metrics.annualizedReturn, annualizedVolatility: out.metrics.annualizedVolatility,
        sharpe: out.metrics.sharpe, sortino: out.metrics.sortino, maxDrawdown: out.metrics.maxDrawdown, calmar: out.metrics.calmar,
        hitRate: out.metrics.hitRate, turnover: out.metrics.turnover, informationRatio: out.metrics.informationRatio, ic: out.metrics.ic,
        rankIc: out.metrics.rankIc, days: out.metrics.days,
        maxDrawdownPeak: d.maxDrawdown > 0 ? iso(d.peakIndex) : null, maxDrawdownTrough: d.maxDrawdown > 0 ? iso(d.troughIndex) : null,
        maxDrawdownRecovery: d.maxDrawdown > 0 ? iso(d.recoveryIndex) : null,
        benchmarkTotalReturn: out.benchmark[out.benchmark.length - 1] / out.benchmark[0] - 1,
      };
      let peak = -Infinity;
      const curve = Array.from(out.equity, (e, i) => {
        peak = Math.max(peak, e);
        return { time: new Date(out.times[i]).toISOString(), equity: e, benchmark: out.benchmark[i], drawdown: 1 - e / peak };
      });
      const svg = equityChartSvg({
        title: `${s.strategy} ${s.symbols.slice(0, 5).join(', ')}${S > 5 ? ` +${S - 5}` : ''}`,
        times: out.times, equity: out.equity, benchmark: s.strategy === 'BUY_AND_HOLD' ? undefined : out.benchmark, drawdown: d,
      });
      await this.db.prisma.tradingBacktest.update({
        where: { id },
        data: { status: 'DONE', metrics: metrics as never, equityCurve: curve as never, chartSvg: svg, finishedAt: new Date() },
      });
    } catch (err) {
      await this.db.prisma.tradingBacktest.update({ where: { id }, data: { status: 'FAILED', error: (err as Error).message, finishedAt: new Date() } });
      throw err;
    }
  }
}

function toView(row: {
  id: string; status: string; input: unknown; metrics: unknown; equityCurve: unknown; chartSvg: string | null; error: string | null; createdAt: Date; finishedAt: Date | null;
}): BacktestType {
  const s = row.input as BacktestSettings;
  const m = row.metrics as (Omit<BacktestMetrics, 'maxDrawdownPeak' | 'maxDrawdownTrough' | 'maxDrawdownRecovery'> & Record<string, string | null>) | null;
  const date = (v: string | null | undefined) => (v ? new Date(v) : null);
  return {
    id: row.id,
    status: row.status as JobStatus,
    metrics: m
      ? ({ ...m, maxDrawdownPeak: date(m.maxDrawdownPeak), maxDrawdownTrough: date(m.maxDrawdownTrough), maxDrawdownRecovery: date(m.maxDrawdownRecovery) } as BacktestMetrics)
      : null,
    equityCurve: row.equityCurve ? (row.equityCurve as { time: string; equity: number; benchmark: number; drawdown: number }[]).map((p) => ({ ...p, time: new Date(p.time) }) as EquityPoint) : null,
    chartUrl: row.chartSvg ? `/api/trading/backtests/${row.id}/chart.svg` : null,
    chartSvg: row.chartSvg,
    error: row.error,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
    strategy: s.strategy,
    symbols: s.symbols,
  };
}
