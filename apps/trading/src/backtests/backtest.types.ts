import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { BacktestStrategy, PositionSizing } from '@suite/trading';
import { ConnectionType } from '../graphql/relay';

registerEnumType(BacktestStrategy, {
  name: 'BacktestStrategy',
  description: 'How positions follow signals.',
  valuesMap: {
    BUY_AND_HOLD: { description: 'Baseline: equal weights bought at the first bar close of the range, held to the last bar close; no signals.' },
    THRESHOLD: { description: 'Long where expectedReturn > threshold, short where < -threshold, flat otherwise; one shared budget (100% gross).' },
    TOP_K: { description: 'Long the topK symbols with the highest expectedReturn at each rebalance.' },
    TOP_K_LONG_SHORT: { description: 'Long the topK highest and short the topK lowest, half the capital on each side.' },
  },
});
registerEnumType(PositionSizing, {
  name: 'PositionSizing',
  description: 'Weights among selected symbols.',
  valuesMap: { EQUAL: { description: 'Equal absolute weights.' }, SIGNAL: { description: 'Proportional to |expectedReturn|.' } },
});

export const JobStatus = { QUEUED: 'QUEUED', RUNNING: 'RUNNING', DONE: 'DONE', FAILED: 'FAILED' } as const;
export type JobStatus = keyof typeof JobStatus;
registerEnumType(JobStatus, {
  name: 'JobStatus',
  description: 'State of a background job.',
  valuesMap: {
    QUEUED: { description: 'Waiting for a worker.' },
    RUNNING: { description: 'Being computed.' },
    DONE: { description: 'Finished; results are available.' },
    FAILED: { description: 'Stopped with an error (see `error`).' },
  },
});

@InputType({ description: 'A backtest request. Conventions: see BacktestMetrics.' })
export class BacktestInput {
  @Field(() => BacktestStrategy, { description: 'Strategy.' })
  strategy: BacktestStrategy;
  @Field(() => [String], { description: 'Symbols (1-500) that must have bars.' })
  symbols: string[];
  @Field(() => Date, { nullable: true, description: 'First bar close of the range (default: the first bar every symbol has).' })
  from?: Date | null;
  @Field(() => Date, { nullable: true, description: 'Last bar close of the range (default: the last bar).' })
  to?: Date | null;
  @Field(() => Float, { nullable: true, defaultValue: 0, description: 'Commission in basis points of traded notional (>= 0).' })
  costBps?: number | null;
  @Field(() => Float, { nullable: true, defaultValue: 0, description: 'Slippage in basis points of traded notional (>= 0), added to costBps.' })
  slippageBps?: number | null;
  @Field(() => Int, { nullable: true, description: 'Signal horizon in bars: 1, 5 or 20 (default 5).' })
  horizon?: number | null;
  @Field(() => Float, { nullable: true, description: 'THRESHOLD: minimum |expectedReturn| to take a position (default 0).' })
  threshold?: number | null;
  @Field(() => Int, { nullable: true, description: 'TOP_K strategies: symbols per side (default 1).' })
  topK?: number | null;
  @Field(() => Int, { nullable: true, description: 'Bars between rebalances (default: the horizon).' })
  rebalanceEvery?: number | null;
  @Field(() => PositionSizing, { nullable: true, description: 'Weights among selected symbols (default EQUAL).' })
  sizing?: PositionSizing | null;
  @Field(() => Float, { nullable: true, description: 'Annual risk-free rate for Sharpe and Sortino, as a fraction (default 0); applied as rate/252 per day.' })
  riskFreeRate?: number | null;
}

@ObjectType({
  description:
    'Backtest metrics. Conventions: daily simple returns r_i = E_i/E_{i-1} - 1 of the equity curve over n returns; ' +
    'annualizedReturn = (final/initial)^(252/n) - 1; annualizedVolatility = sample std (n-1) * sqrt(252); ' +
    'sharpe = (mean(r) - rf/252) / sample std * sqrt(252); sortino uses the downside deviation sqrt(sum(min(0, r - rf/252)^2)/n); ' +
    'maxDrawdown = max_t(1 - E_t / max_{s<=t} E_s), a positive fraction; risk-free rate 0 unless given.',
})
export class BacktestMetrics {
  @Field(() => Float, { description: 'final / initial - 1.' })
  totalReturn: number;
  @Field(() => Float, { description: '(final/initial)^(252/n) - 1.' })
  annualizedReturn: number;
  @Field(() => Float, { description: 'Sample standard deviation of daily returns * sqrt(252).' })
  annualizedVolatility: number;
  @Field(() => Float, { description: '(mean daily return - rf/252) / sample std * sqrt(252); 0 when the std is 0.' })
  sharpe: number;
  @Field(() => Float, { description: '(mean daily return - rf/252) / downside deviation * sqrt(252); 0 without down days.' })
  sortino: number;
  @Field(() => Float, { description: 'max_t(1 - equity_t / running peak), a positive fraction.' })
  maxDrawdown: number;
  @Field(() => Float, { description: 'annualizedReturn / maxDrawdown; 0 when there is no drawdown.' })
  calmar: number;
  @Field(() => Float, { description: 'Share of days with a position whose return was > 0.' })
  hitRate: number;
  @Field(() => Float, { description: 'Mean over days of the traded fraction sum|w_t - w_{t-1}| (two-sided, entry included).' })
  turnover: number;
  @Field(() => Float, { nullable: true, description: 'Annualised mean / sample std of daily (strategy - BUY_AND_HOLD) returns; null for BUY_AND_HOLD.' })
  informationRatio: number | null;
  @Field(() => Float, { nullable: true, description: 'Pearson correlation of the signal with the realised horizon return, pooled over (bar, symbol); null for BUY_AND_HOLD.' })
  ic: number | null;
  @Field(() => Float, { nullable: true, description: 'Spearman rank correlation of the same pairs.' })
  rankIc: number | null;
  @Field(() => Int, { description: 'Number of daily returns n.' })
  days: number;
  @Field(() => Date, { nullable: true, description: 'Peak before the maximum drawdown.' })
  maxDrawdownPeak: Date | null;
  @Field(() => Date, { nullable: true, description: 'Trough of the maximum drawdown.' })
  maxDrawdownTrough: Date | null;
  @Field(() => Date, { nullable: true, description: 'First time equity regained the peak; null if never.' })
  maxDrawdownRecovery: Date | null;
  @Field(() => Float, { description: 'Total return of BUY_AND_HOLD on the same symbols and range.' })
  benchmarkTotalReturn: number;
}

@ObjectType({ description: 'One point of an equity curve (starting capital 1).' })
export class EquityPoint {
  @Field({ description: 'Bar close time.' })
  time: Date;
  @Field(() => Float, { description: 'Strategy equity.' })
  equity: number;
  @Field(() => Float, { nullable: true, description: 'BUY_AND_HOLD equity on the same symbols.' })
  benchmark: number | null;
  @Field(() => Float, { description: '1 - equity / running peak.' })
  drawdown: number;
}

@ObjectType('Backtest', { description: 'A backtest run as a background job.' })
export class BacktestType {
  @Field(() => ID, { description: 'Backtest (and job) id.' })
  id: string;
  @Field(() => JobStatus, { description: 'QUEUED or RUNNING, then DONE or FAILED.' })
  status: JobStatus;
  @Field(() => BacktestMetrics, { nullable: true, description: 'Metrics when DONE.' })
  metrics: BacktestMetrics | null;
  @Field(() => [EquityPoint], { nullable: true, description: 'Equity curve when DONE.' })
  equityCurve: EquityPoint[] | null;
  @Field(() => String, { nullable: true, description: 'URL of the SVG equity chart (same bearer token) when DONE.' })
  chartUrl: string | null;
  @Field(() => String, { nullable: true, description: 'The SVG equity chart inline, when DONE.' })
  chartSvg: string | null;
  @Field(() => String, { nullable: true, description: 'Why it FAILED.' })
  error: string | null;
  @Field({ description: 'When it was requested.' })
  createdAt: Date;
  @Field(() => Date, { nullable: true, description: 'When it finished.' })
  finishedAt: Date | null;
  @Field(() => BacktestStrategy, { description: 'Requested strategy.' })
  strategy: BacktestStrategy;
  @Field(() => [String], { description: 'Requested symbols.' })
  symbols: string[];
}
export const BacktestConnection = ConnectionType(BacktestType, 'Backtest');
