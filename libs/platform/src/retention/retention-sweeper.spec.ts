import { AuditService } from '../audit/audit.service';
import { ConfigError } from '../config/service-config';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { loadRetentionSettings } from './retention-config';
import { validatePolicies, type RetentionPolicy } from './retention-policy';
import { RetentionSweeper, type PolicySweep } from './retention-sweeper';

const DAY = 86_400_000;
const now = new Date('2026-11-28T12:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * DAY);

/**
 * Tables made for this test in its own database: a record with a hold flag, a child without a
 * foreign key (the policy deletes it), a child with ON DELETE CASCADE (the database does), and a
 * timestamptz-keyed table.
 */
const SCHEMA = `
  CREATE TABLE "ProbeRecord" (id text PRIMARY KEY, "createdAt" timestamp(3) NOT NULL, "onHold" boolean NOT NULL DEFAULT false);
  CREATE TABLE "ProbeLoose" (id serial PRIMARY KEY, "recordId" text NOT NULL);
  CREATE TABLE "ProbeCascade" (id serial PRIMARY KEY, "recordId" text NOT NULL REFERENCES "ProbeRecord"(id) ON DELETE CASCADE);
  CREATE TABLE "ProbeTz" (id text PRIMARY KEY, "publishedAt" timestamptz(3) NOT NULL);
  CREATE TABLE "ProbeNoTimestamp" (id text PRIMARY KEY, "createdAt" text NOT NULL);
`;

const records: RetentionPolicy<string[]> = {
  name: 'probe.records',
  description: 'probe records',
  periodVariable: 'RETENTION_PROBE_RECORDS_DAYS',
  table: 'ProbeRecord',
  key: 'id',
  timestampColumn: 'createdAt',
  hold: { description: 'flagged on hold', sql: 'r."onHold"' },
  children: [{ table: 'ProbeLoose', column: 'recordId' }],
  cascades: ['ProbeCascade'],
  beforeDelete: async (_tx, keys) => keys,
  afterCommit: async (keys) => {
    removedOutside.push(...keys);
    return { files: keys.length };
  },
};
const tz: RetentionPolicy = { name: 'probe.tz', description: 'tz rows', periodVariable: 'RETENTION_PROBE_TZ_DAYS', table: 'ProbeTz', key: 'id', timestampColumn: 'publishedAt' };
const removedOutside: string[] = [];

describe('RetentionSweeper on a real database', () => {
  let db: TestDatabase;
  let audit: AuditService;

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql.exec(SCHEMA);
    audit = new AuditService(db);
  });
  afterAll(() => db.destroy());

  const count = async (table: string, where = 'true') => Number((await db.sql.query<{ n: string }>(`SELECT count(*) AS n FROM "${table}" WHERE ${where}`))[0].n);

  it('deletes expired records with their children in batches, keeps young and held ones, and audits the sweep', async () => {
    // 23 expired (5 of them on hold), 4 young; each with one loose and one cascading child
    const rows: Array<[string, Date, boolean]> = [];
    for (let i = 0; i < 18; i++) rows.push([`old-${i}`, daysAgo(31 + i), false]);
    for (let i = 0; i < 5; i++) rows.push([`held-${i}`, daysAgo(400), true]);
    for (let i = 0; i < 4; i++) rows.push([`young-${i}`, daysAgo(29 - i), false]);
    for (const [id, at, hold] of rows) {
      await db.sql.query(`INSERT INTO "ProbeRecord" (id, "createdAt", "onHold") VALUES ($1, $2::timestamp, $3)`, [id, at.toISOString().replace('Z', ''), hold]);
      await db.sql.query(`INSERT INTO "ProbeLoose" ("recordId") VALUES ($1)`, [id]);
      await db.sql.query(`INSERT INTO "ProbeCascade" ("recordId") VALUES ($1)`, [id]);
    }
    const sweeper = new RetentionSweeper(db, audit, [records], { batchSize: 5, periods: new Map([['probe.records', 30]]) });
    const [result] = await sweeper.sweep(now);

    expect(result).toMatchObject<Partial<PolicySweep>>({ policy: 'probe.records', periodDays: 30, deleted: 18, held: 5, cutoff: daysAgo(30).toISOString() });
    expect(result.children).toEqual({ ProbeLoose: 18 });
    expect(result.outside).toEqual({ files: 18 });
    expect(result.batches).toBe(4); // 5 + 5 + 5 + 3
    expect(result.error).toBeUndefined();
    expect(await count('ProbeRecord', `id LIKE 'old-%'`)).toBe(0);
    expect(await count('ProbeRecord', `id LIKE 'held-%'`)).toBe(5);
    expect(await count('ProbeRecord', `id LIKE 'young-%'`)).toBe(4);
    expect(await count('ProbeLoose')).toBe(9);
    expect(await count('ProbeCascade')).toBe(9);
    expect(removedOutside.sort()).toEqual(rows.filter(([id]) => id.startsWith('old-')).map(([id]) => id).sort());

    const entries = await db.prisma.auditEntry.findMany({ where: { subject: 'retention:probe.records' } });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor: 'system:retention', action: 'retention.sweep' });
    expect(entries[0].detail).toMatchObject({ deleted: 18, held: 5, cutoff: daysAgo(30).toISOString(), hold: 'flagged on hold' });
    expect((await audit.verify()).ok).toBe(true);
  });

  it('a second sweep finds nothing new, still audits, and a lifted hold lets the record go', async () => {
    const sweeper = new RetentionSweeper(db, audit, [records], { batchSize: 5, periods: new Map([['probe.records', 30]]) });
    expect((await sweeper.sweep(now))[0]).toMatchObject({ deleted: 0, held: 5, batches: 0 });
    await db.sql.query(`UPDATE "ProbeRecord" SET "onHold" = false WHERE id = 'held-0'`);
    expect((await sweeper.sweep(now))[0]).toMatchObject({ deleted: 1, held: 4 });
    expect(await db.prisma.auditEntry.count({ where: { subject: 'retention:probe.records' } })).toBe(3);
  });

  it('compares timestamptz columns without depending on the session time zone', async () => {
    await db.sql.query(`INSERT INTO "ProbeTz" VALUES ('just-old', $1::timestamptz), ('just-young', $2::timestamptz)`, [
      new Date(daysAgo(7).getTime() - 60_000).toISOString(),
      new Date(daysAgo(7).getTime() + 60_000).toISOString(),
    ]);
    const sweeper = new RetentionSweeper(db, audit, [tz], { batchSize: 100, periods: new Map([['probe.tz', 7]]) });
    expect((await sweeper.sweep(now))[0]).toMatchObject({ deleted: 1, held: 0 });
    expect((await db.sql.query<{ id: string }>(`SELECT id FROM "ProbeTz"`)).map((r) => r.id)).toEqual(['just-young']);
  });

  it('keeps everything when the period is 0 or unset, and writes no audit entry for it', async () => {
    const before = await db.prisma.auditEntry.count();
    const sweeper = new RetentionSweeper(db, audit, [records, tz], { batchSize: 5, periods: new Map([['probe.records', 0]]) });
    expect(sweeper.enabled()).toEqual([]);
    expect(await sweeper.sweep(new Date(now.getTime() + 10_000 * DAY))).toEqual([]);
    expect(await db.prisma.auditEntry.count()).toBe(before);
    expect(await count('ProbeRecord')).toBe(8);
  });

  it('reports a policy on a non-timestamp column as a failed sweep in the audit log, and goes on with the next', async () => {
    const broken: RetentionPolicy = { ...tz, name: 'probe.broken', periodVariable: 'RETENTION_PROBE_BROKEN_DAYS', table: 'ProbeNoTimestamp', timestampColumn: 'createdAt' };
    const sweeper = new RetentionSweeper(db, audit, [broken, tz], { batchSize: 5, periods: new Map([['probe.broken', 1], ['probe.tz', 7]]) });
    const [bad, good] = await sweeper.sweep(now);
    expect(bad.error).toMatch(/ProbeNoTimestamp.createdAt is a text column, not a timestamp/);
    expect(good.error).toBeUndefined();
    const entry = await db.prisma.auditEntry.findFirst({ where: { subject: 'retention:probe.broken' } });
    expect(entry?.action).toBe('retention.sweep_failed');
  });
});

describe('retention configuration', () => {
  it('reads periods per policy (unset and blank = keep forever) and the sweep settings', () => {
    const s = loadRetentionSettings([records, tz], { RETENTION_PROBE_RECORDS_DAYS: '365', RETENTION_PROBE_TZ_DAYS: ' ', RETENTION_SWEEP_INTERVAL_MINUTES: '15' });
    expect(s.periods).toEqual(new Map([['probe.records', 365], ['probe.tz', 0]]));
    expect(s).toMatchObject({ intervalMinutes: 15, batchSize: 500 });
    expect(loadRetentionSettings([records], {})).toMatchObject({ intervalMinutes: 60, periods: new Map([['probe.records', 0]]) });
  });

  it('stops the service naming each bad variable', () => {
    let error: unknown;
    try {
      loadRetentionSettings([records, tz], { RETENTION_PROBE_RECORDS_DAYS: '-3', RETENTION_PROBE_TZ_DAYS: 'a year', RETENTION_SWEEP_INTERVAL_MINUTES: '0' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.variable).sort()).toEqual(['RETENTION_PROBE_RECORDS_DAYS', 'RETENTION_PROBE_TZ_DAYS', 'RETENTION_SWEEP_INTERVAL_MINUTES']);
  });

  it('refuses policies that would touch the audit log or use unsafe identifiers', () => {
    expect(() => validatePolicies([{ ...tz, table: 'AuditEntry' }])).toThrow(/audit log is never deleted/);
    expect(() => validatePolicies([{ ...records, children: [{ table: 'AuditEntry', column: 'subject' }] }])).toThrow(/audit log/);
    expect(() => validatePolicies([{ ...tz, timestampColumn: 'x"; DROP TABLE y; --' }])).toThrow(/not a plain SQL identifier/);
    expect(() => validatePolicies([tz, tz])).toThrow(/registered twice/);
    expect(() => validatePolicies([{ ...tz, periodVariable: 'KEEP_DAYS' }])).toThrow(/RETENTION_/);
  });
});
