import { Logger, type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { repoPath } from '../app/repo-path';
import { consoleBuilt, consoleMiddleware } from './console-files';

/** Where `npx vite build --config apps/aml-console/vite.config.ts` writes the console. */
export const CONSOLE_DIST = repoPath('apps/aml-console/dist');

/**
 * Serves the analysts' console (apps/aml-console/dist) at `/` with a fallback to index.html for
 * its routes and strict security headers. Without a build the service runs API-only and says so.
 */
@Module({})
export class ConsoleModule implements NestModule {
  private readonly log = new Logger('console');

  configure(consumer: MiddlewareConsumer) {
    if (!consoleBuilt(CONSOLE_DIST)) {
      this.log.warn(`no console build at ${CONSOLE_DIST}: serving the API only (build it with npx vite build --config apps/aml-console/vite.config.ts)`);
      return;
    }
    consumer.apply(consoleMiddleware(CONSOLE_DIST)).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
