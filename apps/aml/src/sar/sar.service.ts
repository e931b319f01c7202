import { Inject, Injectable } from '@nestjs/common';
import { type SarReport, toGoAmlXml, toSarJson, type Transaction } from '@suite/aml';
import { AuditService, ConflictError, DATABASE, ForbiddenError, NotFoundError, SERVICE_CONFIG, type Database, type Principal } from '@suite/platform';
import type { AmlConfig } from '../app/aml-config';

/**
 * Suspicious activity reports under four eyes: one user prepares, a different supervisor approves
 * (or rejects); only an approved SAR can be exported, as goAML-style XML or JSON.
 */
@Injectable()
export class SarService {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(SERVICE_CONFIG) private readonly config: AmlConfig,
    private readonly audit: AuditService,
  ) {}

  async prepare(caseId: string, narrative: string, who: Principal) {
    const c = await this.db.prisma.amlCase.findUnique({ where: { id: caseId } }).catch(() => null);
    if (!c) throw new NotFoundError(`No case ${caseId}`);
    if (c.status === 'closed' && c.disposition !== 'suspicious_sar_filed') throw new ConflictError(`case ${caseId} is closed as ${c.disposition}; reopen it to file a SAR`);
    const pending = await this.db.prisma.amlSar.count({ where: { caseId, status: 'pending_approval' } });
    if (pending) throw new ConflictError(`case ${caseId} already has a SAR waiting for approval`);
    const sar = await this.db.prisma.amlSar.create({ data: { caseId, narrative, status: 'pending_approval', preparedBy: who.name } });
    await this.audit.append({ actor: who.name, action: 'sar.prepared', subject: `case:${caseId}`, detail: { sarId: sar.id } });
    return sar;
  }

  async get(id: string) {
    const sar = await this.db.prisma.amlSar.findUnique({ where: { id } }).catch(() => null);
    if (!sar) throw new NotFoundError(`No SAR ${id}`);
    return sar;
  }

  /** Four eyes: the approver must be another person than the preparer. */
  async decide(id: string, approve: boolean, who: Principal, reason?: string) {
    const sar = await this.get(id);
    if (sar.status !== 'pending_approval') throw new ConflictError(`SAR ${id} is already ${sar.status}`);
    if (sar.preparedBy === who.name) {
      await this.audit.append({ actor: who.name, action: 'sar.self_approval_refused', subject: `case:${sar.caseId}`, detail: { sarId: id } });
      throw new ForbiddenError('four eyes: a SAR must be approved by someone other than its preparer');
    }
    const updated = await this.db.prisma.amlSar.updateMany({
      where: { id, status: 'pending_approval' },
      data: approve ? { status: 'approved', approvedBy: who.name, decidedAt: new Date() } : { status: 'rejected', approvedBy: who.name, decidedAt: new Date(), rejectionReason: reason ?? null },
    });
    if (!updated.count) throw new ConflictError(`SAR ${id} was decided concurrently`);
    await this.audit.append({ actor: who.name, action: approve ? 'sar.approved' : 'sar.rejected', subject: `case:${sar.caseId}`, reason, detail: { sarId: id } });
    return this.get(id);
  }

  private async report(id: string): Promise<SarReport> {
    const sar = await this.get(id);
    if (sar.status !== 'approved' || !sar.approvedBy) throw new ConflictError(`SAR ${id} is ${sar.status}: only an approved SAR can be exported (four eyes)`);
    const c = await this.db.prisma.amlCase.findUniqueOrThrow({ where: { id: sar.caseId } });
    const alerts = await this.db.prisma.amlAlert.findMany({ where: { caseId: c.id }, select: { transactionId: true } });
    const rows = await this.db.prisma.amlTransaction.findMany({ where: { id: { in: alerts.map((a) => a.transactionId) } }, orderBy: { timestamp: 'asc' } });
    const transactions: Transaction[] = rows.map((r) => ({
      id: r.id, timestamp: r.timestamp.getTime(), fromBank: r.fromBank, fromAccount: r.fromAccount, toBank: r.toBank, toAccount: r.toAccount,
      amountPaid: r.amountPaid, paymentCurrency: r.paymentCurrency, amountReceived: r.amountReceived, receivingCurrency: r.receivingCurrency,
      paymentFormat: r.paymentFormat, fromName: r.fromName ?? undefined, toName: r.toName ?? undefined, fromCountry: r.fromCountry ?? undefined, toCountry: r.toCountry ?? undefined,
    }));
    return {
      reportId: sar.id, caseId: `CASE-${c.number}`, reportingEntityId: this.config.AML_REPORTING_ENTITY, preparedBy: sar.preparedBy,
      approvedBy: sar.approvedBy, submittedAt: sar.decidedAt ?? new Date(), narrative: sar.narrative, typologies: c.typologies, transactions,
    };
  }

  async export(id: string, format: 'xml' | 'json', who: Principal): Promise<string | Record<string, unknown>> {
    const r = await this.report(id);
    await this.audit.append({ actor: who.name, action: 'sar.exported', subject: `case:${(await this.get(id)).caseId}`, detail: { sarId: id, format } });
    return format === 'xml' ? toGoAmlXml(r) : toSarJson(r);
  }
}
