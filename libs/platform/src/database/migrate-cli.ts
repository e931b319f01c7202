/** `npm run db:migrate [-- <service>]`: applies pending migrations to DATABASE_URL, or to .data/<service>. */
import { defaultDataDir, openDatabase } from './open-database';

async function main() {
  const service = process.argv[2];
  const url = process.env.DATABASE_URL;
  if (!url && !service) {
    console.error('Set DATABASE_URL, or name the service whose embedded database to migrate (aml, trading, emr, imaging).');
    process.exit(2);
  }
  const db = await openDatabase({ url, dataDir: url ? undefined : defaultDataDir(service) });
  console.log(JSON.stringify({ database: db.kind, applied: db.migrations.applied, alreadyApplied: db.migrations.alreadyApplied }));
  await db.close();
}

main().catch((err) => {
  console.error(err.message ?? err);
  process.exit(1);
});
