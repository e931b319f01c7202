import { Body, Controller, Get, Param, Patch, Post, Query, Res, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditService, CurrentPrincipal, DATABASE, Roles, type Database, type Prisma, type Principal } from '@suite/platform';
import type { HttpResponse as Response } from '../http/express-types';
import { z } from 'zod';
import { PageQuery, pageArgs, parseOr400 } from '../http/validation';
import { CasesService } from './cases.service';

const CaseQuery = PageQuery.extend({
  status: z.enum(['open', 'in_review', 'escalated', 'closed']).optional(),
  priority: z.enum(['low', 'medium', 'high', 'critical']).optional(),
  assignee: z.string().optional(),
  unassigned: z.enum(['true', 'false']).optional(),
  account: z.string().optional(),
  typology: z.string().optional(),
  disposition: z.enum(['false_positive', 'suspicious_sar_filed', 'not_suspicious_monitored']).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  sort: z.enum(['sla', 'newest', 'updated']).default('sla'),
});

const CasePatchBody = z
  .object({
    status: z.enum(['open', 'in_review', 'escalated', 'closed']).optional(),
    assignee: z.string().min(1).nullable().optional(),
    priority: z.enum(['low', 'medium', 'high', 'critical']).optional(),
    disposition: z.enum(['false_positive', 'suspicious_sar_filed', 'not_suspicious_monitored']).optional(),
    dispositionNote: z.string().max(5000).optional(),
  })
  .strict();

const CommentBody = z.object({ body: z.string().min(1).max(10_000) }).strict();
const AttachmentBody = z
  .object({
    filename: z.string().min(1).max(255),
    contentType: z.string().min(1).max(100).default('application/octet-stream'),
    contentBase64: z.string().min(1).max(14_000_000).regex(/^[A-Za-z0-9+/=\s]+$/, 'must be base64'),
  })
  .strict();

@ApiTags('cases')
@ApiBearerAuth()
@Controller('api/cases')
export class CasesController {
  constructor(
    private readonly cases: CasesService,
    private readonly audit: AuditService,
    @Inject(DATABASE) private readonly db: Database,
  ) {}

  @Get()
  @Roles('analyst', 'supervisor')
  @ApiOperation({ summary: 'Cases, paginated; filter by status, priority, assignee, account, typology, disposition, overdue; sort by SLA due date (default), newest, updated' })
  async list(@Query() query: Record<string, string>) {
    const q = parseOr400(CaseQuery, query, 'query');
    const where: Prisma.AmlCaseWhereInput = {
      status: q.status,
      priority: q.priority,
      assignee: q.unassigned === 'true' ? null : q.assignee,
      accounts: q.account ? { has: q.account } : undefined,
      typologies: q.typology ? { has: q.typology } : undefined,
      disposition: q.disposition,
      ...(q.overdue === 'true' ? { status: q.status ?? { not: 'closed' }, slaDueAt: { lt: new Date() } } : {}),
    };
    const orderBy: Prisma.AmlCaseOrderByWithRelationInput[] =
      q.sort === 'newest' ? [{ createdAt: 'desc' }] : q.sort === 'updated' ? [{ updatedAt: 'desc' }] : [{ slaDueAt: 'asc' }];
    const [items, total] = await Promise.all([this.db.prisma.amlCase.findMany({ where, orderBy: [...orderBy, { number: 'asc' }], ...pageArgs(q) }), this.db.prisma.amlCase.count({ where })]);
    const now = new Date();
    return { items: items.map((c) => ({ ...c, overdue: c.status !== 'closed' && c.slaDueAt < now })), total, page: q.page, pageSize: q.pageSize };
  }

  @Get(':id')
  @Roles('analyst', 'supervisor')
  @ApiOperation({ summary: 'The case file: alerts, transactions, comments, attachments, SARs (the view is audited)' })
  view(@Param('id') id: string, @CurrentPrincipal() who: Principal) {
    return this.cases.view(id, who);
  }

  @Patch(':id')
  @Roles('analyst', 'supervisor')
  @ApiOperation({ summary: 'Move, assign, prioritise or disposition a case (closing needs a disposition; suspicious_sar_filed needs an approved SAR)' })
  @ApiBody({ schema: { type: 'object', properties: { status: { type: 'string', enum: ['open', 'in_review', 'escalated', 'closed'] }, assignee: { type: 'string', nullable: true }, priority: { type: 'string', enum: ['low', 'medium', 'high', 'critical'] }, disposition: { type: 'string', enum: ['false_positive', 'suspicious_sar_filed', 'not_suspicious_monitored'] }, dispositionNote: { type: 'string' } } } })
  update(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() who: Principal) {
    return this.cases.update(id, parseOr400(CasePatchBody, body), who);
  }

  @Post(':id/comments')
  @Roles('analyst', 'supervisor')
  @ApiBody({ schema: { type: 'object', required: ['body'], properties: { body: { type: 'string' } } } })
  comment(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() who: Principal) {
    return this.cases.comment(id, parseOr400(CommentBody, body).body, who);
  }

  @Post(':id/attachments')
  @Roles('analyst', 'supervisor')
  @ApiOperation({ summary: 'Attach a file (JSON with base64 content, up to ~10 MB)' })
  @ApiBody({ schema: { type: 'object', required: ['filename', 'contentBase64'], properties: { filename: { type: 'string' }, contentType: { type: 'string' }, contentBase64: { type: 'string', format: 'byte' } } } })
  attach(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() who: Principal) {
    const b = parseOr400(AttachmentBody, body);
    return this.cases.attach(id, { filename: b.filename, contentType: b.contentType, content: Buffer.from(b.contentBase64, 'base64') }, who);
  }

  @Get(':id/attachments/:attachmentId')
  @Roles('analyst', 'supervisor')
  @ApiOperation({ summary: 'Download an attachment (audited)' })
  async download(@Param('id') id: string, @Param('attachmentId') attachmentId: string, @CurrentPrincipal() who: Principal, @Res() res: Response) {
    const a = await this.cases.attachment(id, attachmentId, who);
    res.setHeader('Content-Type', a.contentType);
    res.setHeader('Content-Disposition', `attachment; filename="${a.filename.replace(/["\r\n]/g, '_')}"`);
    res.send(Buffer.from(a.content));
  }

  @Get(':id/audit')
  @Roles('analyst', 'supervisor')
  @ApiOperation({ summary: 'The audit trail of one case' })
  async trail(@Param('id') id: string, @Query() query: Record<string, string>) {
    const q = parseOr400(PageQuery, query, 'query');
    const r = await this.audit.list({ subject: `case:${id}`, ...pageArgs(q) });
    return { ...r, page: q.page, pageSize: q.pageSize };
  }
}
