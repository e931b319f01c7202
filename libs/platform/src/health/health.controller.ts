import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/decorators';
import type { Database } from '../database/open-database';
import type { ServiceConfig } from '../config/service-config';
import { DATABASE, SERVICE_CONFIG } from '../tokens';

const startedAt = Date.now();

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  /** Liveness: the process answers. */
  @Get()
  @HttpCode(200)
  live() {
    return { status: 'ok', service: this.config.service, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) };
  }

  /** Readiness: the database answers within a second. */
  @Get('ready')
  async ready(@Res({ passthrough: true }) res: { status(code: number): void }) {
    try {
      await Promise.race([
        this.db.sql.query('SELECT 1'),
        new Promise((_, reject) => setTimeout(() => reject(new Error('database did not answer within 1s')), 1000).unref()),
      ]);
      return { status: 'ready', service: this.config.service, database: this.db.kind };
    } catch (err) {
      res.status(503);
      return { status: 'unavailable', service: this.config.service, database: this.db.kind, error: (err as Error).message };
    }
  }
}
