/**
 * `npm run worker -- <service>`: a job worker for a service, without its HTTP API or listeners.
 * Needs REDIS_URL and DATABASE_URL (the queue and the job state are shared with the API replicas).
 */
import { NestFactory } from '@nestjs/core';
import { join } from 'node:path';

async function main() {
  const service = process.argv[2];
  if (!service || !['aml', 'trading', 'emr', 'imaging'].includes(service)) {
    console.error('usage: npm run worker -- <aml|trading|emr|imaging>');
    process.exit(2);
  }
  if (!process.env.REDIS_URL || !process.env.DATABASE_URL) {
    console.error('A worker shares its queue and job state with the API: set REDIS_URL and DATABASE_URL.');
    process.exit(2);
  }
  process.env.SUITE_ROLE = 'worker'; // listeners (MLLP) and demo seeding stay off in workers
  const { AppModule } = require(join(__dirname, '..', 'apps', service, 'src', 'app', 'app.module.ts'));
  const app = await NestFactory.createApplicationContext(AppModule);
  app.enableShutdownHooks();
  await app.init();
  console.log(JSON.stringify({ service, role: 'worker', msg: 'worker started' }));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
