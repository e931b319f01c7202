import { Controller, Get, Header, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '@suite/platform';
import { Readable } from 'node:stream';
import { BacktestService } from '../backtests/backtest.service';
import { MarketService } from './market.service';

@ApiTags('trading')
@ApiBearerAuth()
@Controller('api/trading')
export class TradingHttpController {
  constructor(
    private readonly market: MarketService,
    private readonly backtests: BacktestService,
  ) {}

  /**
   * Streams a bar CSV of any size from the request body (send it as application/octet-stream or
   * text/csv). Answers like the importBars mutation, after the accepted bars are committed.
   */
  @Roles('researcher', 'integration')
  @Post('bars/import')
  importBars(@Req() req: Readable & { body?: unknown }, @Query('symbol') symbol?: string) {
    // text/* bodies up to BODY_LIMIT were already read by the body parser; larger uploads stream
    const body = typeof req.body === 'string' ? Readable.from([req.body]) : req;
    return this.market.importCsv(body, symbol ?? null, 'http-csv');
  }

  /** The equity chart of a finished backtest. */
  @Get('backtests/:id/chart.svg')
  @Header('Content-Type', 'image/svg+xml')
  @Header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'")
  chart(@Param('id') id: string) {
    return this.backtests.chartSvg(id);
  }
}
