import { Args, Context, Int, Parent, Query, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import type { Signal } from '@suite/trading';
import { invalid } from '../graphql/field-error';
import type { TradingContext } from '../graphql/loaders';
import { decodeCursor, pageSize, toConnection } from '../graphql/relay';
import { InstrumentType } from '../market/market.types';
import { SIGNAL_GENERATED, SignalEvents } from './signal-events';
import { SignalService } from './signal.service';
import { SignalConnection, SignalType } from './signal.types';

export function toSignalType(s: Signal): SignalType {
  return {
    symbol: s.symbol, time: new Date(s.timeMs), horizon: s.horizon, pUp: s.pUp, expectedReturn: s.expectedReturn, contributions: s.contributions,
    features: Object.entries(s.features).map(([name, value]) => ({ name, value })), model: s.model,
  };
}

@Resolver(() => SignalType)
export class SignalsResolver {
  constructor(
    private readonly service: SignalService,
    private readonly events: SignalEvents,
  ) {}

  @Query(() => SignalConnection, {
    description: 'Signals of one symbol at each bar in [from, to] with price vs sentiment contributions. Each uses only bars and news known at its bar close.',
    complexity: (o) => 10 + (o.args.first ?? 100) * o.childComplexity,
  })
  async signals(
    @Args('symbol', { description: 'Instrument symbol.' }) symbol: string,
    @Args('horizon', { type: () => Int, defaultValue: 5, description: 'Horizon in bars: 1, 5 or 20.' }) horizon: number,
    @Args('from', { nullable: true, description: 'First bar time (default: the start).' }) from?: Date,
    @Args('to', { nullable: true, description: 'Last bar time (default: now).' }) to?: Date,
    @Args('first', { type: () => Int, nullable: true, description: 'Page size (1-1000, default 100).' }) first?: number,
    @Args('after', { nullable: true, description: 'Cursor from a previous page.' }) after?: string,
  ) {
    const n = pageSize(first, 100);
    const cursor = decodeCursor(after, (v): v is number => typeof v === 'number');
    if (from && Number.isNaN(from.getTime())) throw invalid('from', 'is not a date-time');
    const fromMs = Math.max(from?.getTime() ?? 0, cursor !== undefined ? cursor + 1 : -Infinity);
    const list = await this.service.signals(symbol, fromMs, to?.getTime() ?? Date.now(), horizon);
    return toConnection(list.slice(0, n + 1).map(toSignalType), n, (s) => s.time.getTime());
  }

  @ResolveField(() => InstrumentType, { nullable: true, description: 'The instrument (batched lookup).' })
  instrument(@Parent() s: SignalType, @Context() ctx: TradingContext) {
    return ctx.loaders.instrument.load(s.symbol);
  }

  @Subscription(() => SignalType, {
    description: 'Pushes the latest signal of the given symbols whenever bars or news for them arrive (graphql-ws protocol on /graphql).',
    filter: (payload: { signalGenerated: Signal }, vars: { symbols: string[]; horizon?: number | null }) =>
      vars.symbols.includes(payload.signalGenerated.symbol) && (vars.horizon == null || vars.horizon === payload.signalGenerated.horizon),
    resolve: (payload: { signalGenerated: Signal }) => toSignalType(payload.signalGenerated),
  })
  signalGenerated(
    @Args('symbols', { type: () => [String], description: 'Symbols to follow.' }) symbols: string[],
    @Args('horizon', { type: () => Int, nullable: true, description: 'Only this horizon (default: all).' }) _horizon?: number,
  ) {
    if (!symbols.length) throw invalid('symbols', 'needs at least one symbol');
    return this.events.iterator();
  }
}
export { SIGNAL_GENERATED };
