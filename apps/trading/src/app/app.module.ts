import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { InferenceModule } from '@suite/inference';
import { AuthService, PlatformModule, RetentionModule } from '@suite/platform';
import { tradingRetentionPolicies } from '@suite/trading';
import { z } from 'zod';
import { BacktestResolver } from '../backtests/backtest.resolver';
import { BacktestService } from '../backtests/backtest.service';
import { DemoSeedService } from '../demo/demo-seed.service';
import { graphqlConfig } from '../graphql/graphql-config';
import { LoaderFactory } from '../graphql/loaders';
import { graphqlMultipart } from '../graphql/multipart-upload';
import { TradingHttpController } from '../market/bars-import.controller';
import { MarketResolver } from '../market/market.resolver';
import { MarketService } from '../market/market.service';
import { NewsResolver } from '../news/news.resolver';
import { NewsService } from '../news/news.service';
import { SignalEvents } from '../signals/signal-events';
import { SignalService } from '../signals/signal.service';
import { SignalsResolver } from '../signals/signals.resolver';
import { TradingModels } from '../trading-models';

@Module({
  controllers: [TradingHttpController],
  providers: [
    LoaderFactory,
    TradingModels,
    SignalEvents,
    SignalService,
    MarketService,
    NewsService,
    BacktestService,
    DemoSeedService,
    MarketResolver,
    NewsResolver,
    SignalsResolver,
    BacktestResolver,
  ],
  exports: [LoaderFactory],
})
export class TradingModule implements NestModule {
  configure(consumer: MiddlewareConsumer) {
    // before Apollo: multipart requests become operations with streaming file uploads
    consumer.apply(graphqlMultipart()).forRoutes({ path: 'graphql', method: RequestMethod.POST });
  }
}

/** Quant researchers' GraphQL service: market data, news sentiment, signals and backtests. */
@Module({
  imports: [
    PlatformModule.forRoot({
      service: 'trading',
      defaultPort: 3001,
      env: { TRADING_DEMO: z.enum(['auto', 'on', 'off']).default('auto') },
    }),
    RetentionModule.forRoot({ policies: tradingRetentionPolicies }),
    InferenceModule.forRoot(),
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      imports: [TradingModule],
      inject: [AuthService, LoaderFactory],
      useFactory: graphqlConfig,
    }),
    TradingModule,
  ],
})
export class AppModule {}
