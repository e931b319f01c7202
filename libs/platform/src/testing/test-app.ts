import type { Type } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import { AuthService } from '../auth/auth.service';
import type { Role } from '../auth/principal';
import { configureApp, type BootstrapOptions } from '../bootstrap';
import { DATABASE } from '../tokens';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface TestApp {
  app: NestExpressApplication;
  db: TestDatabase;
  /** A bearer header for a new API key with this role. */
  bearer(role?: Role): Promise<{ Authorization: string }>;
  close(): Promise<void>;
}

/**
 * Boots a service's root module on a fresh test database (real PostgreSQL when DATABASE_URL is set,
 * else PGlite) and listens on an ephemeral port, so tests speak real HTTP.
 */
export async function createTestApp(
  rootModule: Type<unknown>,
  options: Partial<BootstrapOptions> & { override?: (b: TestingModuleBuilder) => TestingModuleBuilder; listen?: boolean } = {},
): Promise<TestApp> {
  // Tests drive many requests through one key; rate limiting has its own unit test.
  process.env.RATE_LIMIT_RPS ??= '0';
  const db = await createTestDatabase();
  let builder = Test.createTestingModule({ imports: [rootModule] }).overrideProvider(DATABASE).useValue(db);
  if (options.override) builder = options.override(builder);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: ['error'] });
  await configureApp(app, { title: options.title ?? 'test', configure: options.configure });
  await app.init();
  if (options.listen !== false) await app.listen(0, '127.0.0.1');
  const auth = app.get(AuthService);
  return {
    app,
    db,
    async bearer(role: Role = 'admin') {
      const { key } = await auth.createApiKey(`test-${role}`, role);
      return { Authorization: `Bearer ${key}` };
    },
    async close() {
      await app.close();
      await db.destroy().catch(() => undefined);
    },
  };
}
