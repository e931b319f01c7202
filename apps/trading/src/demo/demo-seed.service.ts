import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DATABASE, findSuiteRoot, SERVICE_CONFIG, type Database, type ServiceConfig } from '@suite/platform';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MarketService } from '../market/market.service';
import { NewsService } from '../news/news.service';

/** Files under data/trading/ seeded into an empty database (see data/trading/README.md). */
export const DEMO_BAR_FILES = ['eu-stock-markets.csv', 'msft.csv', 'usdchf-30min.csv', 'synthetic-bars.csv'];
export const DEMO_NEWS_FILE = 'synthetic-news.jsonl';
const NAMES: Record<string, [string, string]> = {
  DAX: ['DAX (Germany, Ibis)', 'EUR'], SMI: ['Swiss Market Index', 'CHF'], CAC: ['CAC 40 (France)', 'EUR'], FTSE: ['FTSE 100 (UK)', 'GBP'],
  MSFT: ['Microsoft Corp.', 'USD'], USDCHF: ['US dollar / Swiss franc (30-minute)', 'CHF'],
};

/**
 * `npm start` on an empty database: real index and stock series from R's datasets and a synthetic
 * market whose news moves prices, so the first query returns signals and a backtest runs at once.
 * Runs unless NODE_ENV is production or test, or TRADING_DEMO=off; never touches a non-empty database.
 */
@Injectable()
export class DemoSeedService implements OnApplicationBootstrap {
  private readonly logger = new Logger('demo');

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig & { TRADING_DEMO: 'auto' | 'on' | 'off' },
    private readonly market: MarketService,
    private readonly news: NewsService,
  ) {}

  async onApplicationBootstrap() {
    const mode = this.config.TRADING_DEMO;
    if (mode === 'off' || (mode === 'auto' && ['production', 'test'].includes(this.config.NODE_ENV))) return;
    if ((await this.db.prisma.tradingBar.count({ take: 1 })) > 0) return;
    await this.seed();
  }

  async seed(dir = join(findSuiteRoot(), 'data', 'trading')): Promise<void> {
    const started = Date.now();
    for (const file of DEMO_BAR_FILES) {
      const path = join(dir, file);
      if (!existsSync(path)) continue;
      // nobody is subscribed yet: skip pushing signals while seeding
      const r = await this.market.importCsv(createReadStream(path), null, `demo:${file}`, { publish: false });
      this.logger.log(`seeded ${r.inserted} bars from ${file} (${r.symbols.join(', ')})`);
    }
    for (const [symbol, [name, currency]] of Object.entries(NAMES)) {
      await this.db.prisma.tradingInstrument.updateMany({ where: { symbol }, data: { name, currency } });
    }
    const newsPath = join(dir, DEMO_NEWS_FILE);
    if (existsSync(newsPath)) {
      const lines = readFileSync(newsPath, 'utf8').split('\n').filter(Boolean);
      for (const line of lines) {
        const n = JSON.parse(line) as { headline: string; body?: string; source: string; publishedAt: string; symbols: string[] };
        await this.news.ingest({ ...n, publishedAt: new Date(n.publishedAt) }, { publish: false });
      }
      this.logger.log(`seeded ${lines.length} news items`);
    }
    this.logger.log(`demo data ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}
