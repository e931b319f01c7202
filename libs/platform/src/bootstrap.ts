import type { INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { ServiceConfig } from './config/service-config';
import { createLogger, PinoNestLogger } from './logging/logger';
import { httpMetricsMiddleware } from './metrics/http-metrics.middleware';
import { RateLimiter, rateLimitMiddleware } from './http/rate-limit';
import { SERVICE_CONFIG } from './tokens';

export interface BootstrapOptions {
  /** Title of the OpenAPI document served at /api/docs. */
  title: string;
  /** Called before listen: extra middleware, static files, listeners. */
  configure?: (app: NestExpressApplication, config: ServiceConfig) => void | Promise<void>;
}

/** Applies the suite's HTTP conventions to an app (also used by tests through createTestApp). */
export async function configureApp(app: NestExpressApplication, options: BootstrapOptions): Promise<ServiceConfig> {
  const config = app.get<ServiceConfig>(SERVICE_CONFIG);
  app.useBodyParser('json', { limit: config.BODY_LIMIT });
  app.useBodyParser('text', { limit: config.BODY_LIMIT, type: ['text/*', 'application/xml', 'application/hl7-v2'] });
  app.use(httpMetricsMiddleware);
  app.use(rateLimitMiddleware(new RateLimiter(config.RATE_LIMIT_RPS, config.RATE_LIMIT_BURST)));
  app.disable('x-powered-by');
  app.use((_req: unknown, res: { setHeader(k: string, v: string): void }, next: () => void) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    next();
  });
  const doc = SwaggerModule.createDocument(app, new DocumentBuilder().setTitle(options.title).addBearerAuth().build());
  SwaggerModule.setup('api/docs', app, doc, { jsonDocumentUrl: 'api/docs-json' });
  await options.configure?.(app, config);
  return config;
}

/** Starts a service: validated config (exits naming the bad variable), JSON logs, migrations, listen. */
export async function bootstrapService(rootModule: Type<unknown>, options: BootstrapOptions): Promise<INestApplication> {
  const bootLogger = createLogger('boot');
  let app: NestExpressApplication;
  try {
    app = await NestFactory.create<NestExpressApplication>(rootModule, { bufferLogs: true, bodyParser: false });
  } catch (err) {
    bootLogger.fatal({ err: (err as Error).message }, 'service failed to start');
    process.exit(1);
  }
  const config = app.get<ServiceConfig>(SERVICE_CONFIG);
  app.useLogger(new PinoNestLogger(createLogger(config.service, config.LOG_LEVEL)));
  app.enableShutdownHooks();
  await configureApp(app, options);
  await app.listen(config.port, '0.0.0.0');
  createLogger(config.service, config.LOG_LEVEL).info({ url: `http://localhost:${config.port}`, port: config.port }, `${config.service} listening`);
  return app;
}
