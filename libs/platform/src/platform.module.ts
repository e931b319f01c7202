import { DynamicModule, Global, Inject, Logger, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import type { z } from 'zod';
import { AuditController } from './audit/audit.controller';
import { AuditService } from './audit/audit.service';
import { AdminController, AuthController } from './auth/auth.controller';
import { AuthGuard } from './auth/auth.guard';
import { AuthService } from './auth/auth.service';
import { loadServiceConfig, type ServiceConfig } from './config/service-config';
import { defaultDataDir, openDatabase, type Database } from './database/open-database';
import { DomainErrorFilter } from './errors/error-filter';
import { HealthController } from './health/health.controller';
import { JobQueue } from './jobs/job-queue';
import { JobsController } from './jobs/jobs.controller';
import { createLogger } from './logging/logger';
import { MetricsController } from './metrics/metrics.controller';
import { initMetrics } from './metrics/metrics';
import { DATABASE, LOGGER, SERVICE_CONFIG } from './tokens';

export interface PlatformOptions {
  service: string;
  defaultPort: number;
  /** Service-specific environment variables, validated with the base ones at start-up. */
  env?: z.ZodRawShape;
}

/**
 * Everything a service of the suite shares: validated config, JSON logs, the database (migrated at
 * start), bearer-token auth on every route, the audit chain, background jobs, /health and /metrics,
 * and the error filter. Import once in each app's root module.
 */
@Global()
@Module({})
export class PlatformModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
  ) {}

  static forRoot(options: PlatformOptions): DynamicModule {
    return {
      module: PlatformModule,
      controllers: [HealthController, MetricsController, AuthController, AdminController, AuditController, JobsController],
      providers: [
        { provide: SERVICE_CONFIG, useFactory: () => loadServiceConfig(options.service, options.defaultPort, options.env) },
        { provide: LOGGER, useFactory: (cfg: ServiceConfig) => createLogger(cfg.service, cfg.LOG_LEVEL), inject: [SERVICE_CONFIG] },
        {
          provide: DATABASE,
          useFactory: (cfg: ServiceConfig) =>
            openDatabase({ url: cfg.DATABASE_URL, dataDir: defaultDataDir(cfg.service, cfg.DATA_DIR), timeoutMs: cfg.DATABASE_TIMEOUT_MS }),
          inject: [SERVICE_CONFIG],
        },
        AuthService,
        AuditService,
        JobQueue,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: DomainErrorFilter },
      ],
      exports: [SERVICE_CONFIG, LOGGER, DATABASE, AuthService, AuditService, JobQueue],
    };
  }

  async onModuleInit() {
    initMetrics(this.config.service);
    if (this.config.AUDIT_VERIFY_ON_START !== 'off') {
      const chain = await this.audit.verify();
      const log = new Logger('audit');
      if (!chain.ok) {
        const msg = `Audit chain does NOT verify: entry ${chain.brokenAt}: ${chain.problem}`;
        if (this.config.AUDIT_VERIFY_ON_START === 'strict') throw new Error(msg);
        log.error(msg);
      } else {
        log.log(`Audit chain verified (${chain.entries} entries)`);
      }
    }
    if (this.config.DEMO_API_KEY) await this.auth.ensureApiKey(this.config.DEMO_API_KEY, 'admin', 'demo admin key');
  }

  async onApplicationShutdown() {
    await this.db.close();
  }
}
