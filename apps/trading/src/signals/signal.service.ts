import { Inject, Injectable, Logger } from '@nestjs/common';
import { DATABASE, type Database } from '@suite/platform';
import { adjustForCorporateActions, BarStore, generateSignals, NewsStore, Signal } from '@suite/trading';
import { invalid } from '../graphql/field-error';
import { TradingModels } from '../trading-models';
import { SignalEvents } from './signal-events';

/** Signals on demand, and the latest signal per horizon pushed to subscribers when data arrives. */
@Injectable()
export class SignalService {
  private readonly bars: BarStore;
  private readonly news: NewsStore;
  private readonly logger = new Logger('signals');

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    private readonly models: TradingModels,
    private readonly events: SignalEvents,
  ) {
    this.bars = new BarStore(db);
    this.news = new NewsStore(db);
  }

  /** Signals of one symbol for bars in [fromMs, toMs]; bars and news after toMs are never read. */
  async signals(symbol: string, fromMs: number, toMs: number, horizon: number): Promise<Signal[]> {
    const model = await this.models.signal();
    if (!model.horizons.includes(horizon)) throw invalid('horizon', `must be one of ${model.horizons.join(', ')} bars, got ${horizon}`);
    if (fromMs > toMs) throw invalid('from', 'must not be after to');
    const raw = await this.bars.bars(symbol, { toMs });
    if (!raw.length && !(await this.db.prisma.tradingInstrument.findUnique({ where: { symbol } }))) {
      throw invalid('symbol', `unknown symbol ${JSON.stringify(symbol)}`);
    }
    const news = (await this.news.scoredFor([symbol], toMs)).get(symbol) ?? [];
    return generateSignals(model, symbol, adjustForCorporateActions(raw), news, { fromMs, toMs, horizon });
  }

  /** Computes and publishes the latest signal of each symbol for every horizon. */
  async publishLatest(symbols: readonly string[]): Promise<void> {
    try {
      const model = await this.models.signal();
      for (const symbol of symbols) {
        const raw = await this.bars.bars(symbol);
        if (!raw.length) continue;
        const last = raw[raw.length - 1].timeMs;
        const news = (await this.news.scoredFor([symbol], last)).get(symbol) ?? [];
        const adjusted = adjustForCorporateActions(raw);
        for (const horizon of model.horizons) {
          await this.events.publish(await generateSignals(model, symbol, adjusted, news, { fromMs: last, toMs: last, horizon }));
        }
      }
    } catch (err) {
      // data is already committed; a failed push must not fail the ingest
      this.logger.warn(`could not publish signals for ${symbols.join(',')}: ${(err as Error).message}`);
    }
  }
}
