import { RetentionService } from '@suite/platform';
import { startAml, tx } from '../testing/aml-test-app';

type App = Awaited<ReturnType<typeof startAml>>;
const DAY = 86_400_000;
const yearsAgo = (n: number) => new Date(Date.now() - n * 365 * DAY);

describe('AML retention: RETENTION_AML_TRANSACTIONS_DAYS and RETENTION_AML_CASES_DAYS with legal holds', () => {
  let t: App;
  let analyst: Record<string, string>;
  const caseOf: Record<string, string> = {};

  beforeAll(async () => {
    process.env.RETENTION_AML_TRANSACTIONS_DAYS = '365';
    process.env.RETENTION_AML_CASES_DAYS = '365';
    t = await startAml();
    analyst = await t.login('analyst');
    // three structuring patterns (cash just under 10k, one account) -> three cases; transactions of 2022
    const batch = ['OPENACCT', 'SARACCT', 'CLOSEDACCT'].flatMap((acct) =>
      [0, 1, 2, 3].map((i) => tx(600 + i * 200, acct, `${acct}-DEP${i}`, 9400 + i * 10, { paymentFormat: 'Cash', fromName: 'Ann Example' })),
    );
    // ordinary old payments (no alert) and recent ones
    batch.push(...[0, 1, 2].map((i) => tx(3000 + i, 'PLAIN', `SHOP${i}`, 40 + i)));
    const recent = [0, 1].map((i) => ({ ...tx(0, 'PLAIN', `NEW${i}`, 25), timestamp: new Date(Date.now() - (10 + i) * DAY).toISOString() }));
    batch.push(...recent);
    const res = await fetch(`${t.url}/api/transactions`, { method: 'POST', headers: analyst, body: JSON.stringify(batch) });
    expect(res.status).toBe(200);
    await t.flushCases();
    for (const acct of ['OPENACCT', 'SARACCT', 'CLOSEDACCT']) {
      const c = await t.db.prisma.amlCase.findFirstOrThrow({ where: { accounts: { has: `001:${acct}` } } });
      caseOf[acct] = c.id;
    }
    expect(new Set(Object.values(caseOf)).size).toBe(3);
    // SARACCT: a SAR was prepared, then the case was closed; CLOSEDACCT: closed as a false positive
    await t.db.prisma.amlSar.create({ data: { caseId: caseOf.SARACCT, status: 'approved', narrative: 'structuring', preparedBy: 'analyst', approvedBy: 'supervisor' } });
    for (const acct of ['SARACCT', 'CLOSEDACCT']) {
      await t.db.prisma.amlCase.update({ where: { id: caseOf[acct] }, data: { status: 'closed', closedAt: new Date(), disposition: acct === 'SARACCT' ? 'suspicious_sar_filed' : 'false_positive' } });
    }
    await t.db.prisma.amlCaseComment.create({ data: { caseId: caseOf.CLOSEDACCT, author: 'analyst', body: 'salary, not structuring' } });
    // every case was last touched two years ago (Prisma's @updatedAt would overwrite a client-side update)
    await t.db.sql.query(`UPDATE "AmlCase" SET "updatedAt" = $1::timestamp`, [yearsAgo(2).toISOString().replace('Z', '')]);
  }, 180_000);

  afterAll(async () => {
    await t?.close();
    delete process.env.RETENTION_AML_TRANSACTIONS_DAYS;
    delete process.env.RETENTION_AML_CASES_DAYS;
  });

  const txOf = async (acct: string) => t.db.prisma.amlTransaction.findMany({ where: { fromAccount: acct }, select: { id: true, alertId: true } });

  it('deletes old payments unless their case is open or has a SAR, keeps recent ones, and audits both policies', async () => {
    const before = { open: await txOf('OPENACCT'), sar: await txOf('SARACCT'), closed: await txOf('CLOSEDACCT') };
    const alerted = (rows: Array<{ alertId: string | null }>) => rows.filter((r) => r.alertId).length;
    // the holds only mean something if the cases hold alerted payments
    expect(alerted(before.open)).toBeGreaterThanOrEqual(2);
    expect(alerted(before.sar)).toBeGreaterThanOrEqual(2);
    expect(alerted(before.closed)).toBeGreaterThanOrEqual(2);

    const results = await t.app.get(RetentionService).sweep();
    const txSweep = results.find((r) => r.policy === 'aml.transactions')!;
    const caseSweep = results.find((r) => r.policy === 'aml.cases')!;

    // held: the alerted payments of the open case and of the case with a SAR
    expect(txSweep.held).toBe(alerted(before.open) + alerted(before.sar));
    expect(txSweep.error).toBeUndefined();
    const open = await txOf('OPENACCT');
    const sar = await txOf('SARACCT');
    expect(open.map((r) => r.id).sort()).toEqual(before.open.filter((r) => r.alertId).map((r) => r.id).sort());
    expect(sar.map((r) => r.id).sort()).toEqual(before.sar.filter((r) => r.alertId).map((r) => r.id).sort());
    // the closed case's payments, the unalerted ones and the ordinary old payments are gone
    expect(await txOf('CLOSEDACCT')).toEqual([]);
    const plain = await t.db.prisma.amlTransaction.findMany({ where: { fromAccount: 'PLAIN' }, select: { toAccount: true } });
    expect(plain.map((r) => r.toAccount).sort()).toEqual(['NEW0', 'NEW1']);
    expect(txSweep.deleted).toBe(before.open.length + before.sar.length + before.closed.length + 3 - open.length - sar.length);
    expect(txSweep.children.AmlAlert).toBe(alerted(before.closed));

    // cases: the closed one without a SAR goes with its comment; the open one and the SAR one stay
    expect(caseSweep).toMatchObject({ deleted: 1, held: 2 });
    expect(await t.db.prisma.amlCase.findUnique({ where: { id: caseOf.CLOSEDACCT } })).toBeNull();
    expect(await t.db.prisma.amlCaseComment.count({ where: { caseId: caseOf.CLOSEDACCT } })).toBe(0);
    expect(await t.db.prisma.amlCase.count({ where: { id: { in: [caseOf.OPENACCT, caseOf.SARACCT] } } })).toBe(2);
    expect(await t.db.prisma.amlSar.count({ where: { caseId: caseOf.SARACCT } })).toBe(1);

    for (const policy of ['aml.transactions', 'aml.cases']) {
      const entry = await t.db.prisma.auditEntry.findFirst({ where: { subject: `retention:${policy}`, action: 'retention.sweep' }, orderBy: { seq: 'desc' } });
      expect(entry?.actor).toBe('system:retention');
      expect(entry?.detail).toMatchObject({ periodDays: 365, held: policy === 'aml.cases' ? 2 : txSweep.held });
    }
    // retention never touches the audit chain
    const chain = await fetch(`${t.url}/api/audit/verify`, { headers: await t.bearer('admin') });
    expect(((await chain.json()) as { ok: boolean }).ok).toBe(true);
  });

  it('releases the payments once the open case is closed without a SAR and has itself expired', async () => {
    await t.db.prisma.amlCase.update({ where: { id: caseOf.OPENACCT }, data: { status: 'closed', closedAt: new Date(), disposition: 'false_positive' } });
    await t.db.sql.query(`UPDATE "AmlCase" SET "updatedAt" = $1::timestamp WHERE id = $2`, [yearsAgo(2).toISOString().replace('Z', ''), caseOf.OPENACCT]);
    const results = await t.app.get(RetentionService).sweep();
    expect(await txOf('OPENACCT')).toEqual([]);
    expect(results.find((r) => r.policy === 'aml.cases')).toMatchObject({ deleted: 1, held: 1 });
    expect((await txOf('SARACCT')).length).toBeGreaterThanOrEqual(2);
  });
});
