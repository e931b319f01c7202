import { Inject, Injectable } from '@nestjs/common';
import { canTransition, type CaseStatus, type Disposition } from '@suite/aml';
import { AuditService, ConflictError, DATABASE, NotFoundError, ValidationError, type Database, type Principal } from '@suite/platform';
import { createHash } from 'node:crypto';
import { ModelTrack } from '../scoring/model-track.service';
import { view } from '../transactions/transactions.controller';

export interface CasePatch {
  status?: CaseStatus;
  assignee?: string | null;
  priority?: 'low' | 'medium' | 'high' | 'critical';
  disposition?: Disposition;
  dispositionNote?: string;
}

/** Case work: views, workflow moves, comments, attachments; every change and view is audited. */
@Injectable()
export class CasesService {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    private readonly audit: AuditService,
    private readonly model: ModelTrack,
  ) {}

  private async find(id: string) {
    const c = await this.db.prisma.amlCase.findUnique({ where: { id } }).catch(() => null);
    if (!c) throw new NotFoundError(`No case ${id}`);
    return c;
  }

  /** The whole case file; the view itself is audited. */
  async view(id: string, who: Principal) {
    const c = await this.find(id);
    const [alerts, comments, attachments, sars] = await Promise.all([
      this.db.prisma.amlAlert.findMany({ where: { caseId: id }, orderBy: { createdAt: 'asc' } }),
      this.db.prisma.amlCaseComment.findMany({ where: { caseId: id }, orderBy: { createdAt: 'asc' } }),
      this.db.prisma.amlCaseAttachment.findMany({ where: { caseId: id }, orderBy: { createdAt: 'asc' }, omit: { content: true } }),
      this.db.prisma.amlSar.findMany({ where: { caseId: id }, orderBy: { createdAt: 'asc' } }),
    ]);
    const transactions = await this.db.prisma.amlTransaction.findMany({ where: { id: { in: alerts.map((a) => a.transactionId) } }, orderBy: { timestamp: 'asc' }, omit: { facts: true } });
    await this.audit.append({ actor: who.name, action: 'case.viewed', subject: `case:${id}` });
    return { ...c, overdue: c.status !== 'closed' && c.slaDueAt < new Date(), alerts, transactions: transactions.map(view), comments, attachments, sars };
  }

  async update(id: string, patch: CasePatch, who: Principal) {
    const c = await this.find(id);
    const data: Record<string, unknown> = {};
    if (patch.status && patch.status !== c.status) {
      if (!canTransition(c.status as CaseStatus, patch.status)) throw new ConflictError(`a case cannot go from ${c.status} to ${patch.status}`);
      if (patch.status === 'closed') {
        const disposition = patch.disposition ?? (c.disposition as Disposition | null);
        if (!disposition) throw new ValidationError('closing a case needs a disposition (false_positive, suspicious_sar_filed, not_suspicious_monitored)');
        if (disposition === 'suspicious_sar_filed') {
          const approved = await this.db.prisma.amlSar.count({ where: { caseId: id, status: 'approved' } });
          if (!approved) throw new ConflictError('suspicious_sar_filed needs an approved SAR on the case');
        }
        data.closedAt = new Date();
      } else if (c.status === 'closed') {
        data.closedAt = null;
        data.disposition = null;
      }
      data.status = patch.status;
    }
    if (patch.assignee !== undefined) data.assignee = patch.assignee;
    if (patch.priority) data.priority = patch.priority;
    if (patch.disposition) data.disposition = patch.disposition;
    if (patch.dispositionNote !== undefined) data.dispositionNote = patch.dispositionNote;
    if (!Object.keys(data).length) return c;
    const updated = await this.db.prisma.amlCase.update({ where: { id }, data });
    const changes = Object.fromEntries(Object.keys(data).map((k) => [k, { from: (c as Record<string, unknown>)[k] ?? null, to: data[k] }]));
    await this.audit.append({ actor: who.name, action: 'case.updated', subject: `case:${id}`, detail: changes });
    if (data.status === 'closed' && updated.disposition) await this.labelsBack(id, updated.disposition as Disposition);
    return updated;
  }

  /**
   * The disposition is the label of the case's alerts: each alert the model raised on its own score
   * counts as a right (suspicious) or wrong prediction for the model's live precision monitor.
   */
  private async labelsBack(caseId: string, disposition: Disposition) {
    const [served, threshold] = await Promise.all([this.model.load(), this.model.threshold()]);
    const alerts = await this.db.prisma.amlAlert.findMany({ where: { caseId }, select: { score: true } });
    for (const a of alerts) if (a.score >= threshold) served.monitor.recordOutcome(disposition === 'suspicious_sar_filed');
  }

  async comment(id: string, body: string, who: Principal) {
    await this.find(id);
    const c = await this.db.prisma.amlCaseComment.create({ data: { caseId: id, author: who.name, body } });
    await this.audit.append({ actor: who.name, action: 'case.commented', subject: `case:${id}`, detail: { commentId: c.id } });
    return c;
  }

  async attach(id: string, file: { filename: string; contentType: string; content: Buffer }, who: Principal) {
    await this.find(id);
    const sha256 = createHash('sha256').update(file.content).digest('hex');
    const a = await this.db.prisma.amlCaseAttachment.create({
      data: { caseId: id, filename: file.filename, contentType: file.contentType, size: file.content.length, sha256, content: new Uint8Array(file.content), uploadedBy: who.name },
      omit: { content: true },
    });
    await this.audit.append({ actor: who.name, action: 'case.attachment_added', subject: `case:${id}`, detail: { attachmentId: a.id, filename: a.filename, sha256 } });
    return a;
  }

  async attachment(id: string, attachmentId: string, who: Principal) {
    const a = await this.db.prisma.amlCaseAttachment.findFirst({ where: { id: attachmentId, caseId: id } }).catch(() => null);
    if (!a) throw new NotFoundError(`No attachment ${attachmentId} on case ${id}`);
    await this.audit.append({ actor: who.name, action: 'case.attachment_viewed', subject: `case:${id}`, detail: { attachmentId } });
    return a;
  }
}
