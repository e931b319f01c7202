import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DATABASE, NotFoundError, Roles, type Database, type Prisma } from '@suite/platform';
import { z } from 'zod';
import { isoDate, PageQuery, pageArgs, parseOr400 } from '../http/validation';
import { view } from '../transactions/transactions.controller';

const AlertQuery = PageQuery.extend({
  decision: z.enum(['REVIEW', 'BLOCK']).optional(),
  caseId: z.string().uuid().optional(),
  typology: z.string().optional(),
  account: z.string().optional(),
  disagreement: z.enum(['MODEL_ONLY', 'RULES_ONLY']).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  /** Score band on the model's probability, inclusive. */
  minScore: z.coerce.number().min(0).max(1).optional(),
  maxScore: z.coerce.number().min(0).max(1).optional(),
  sort: z.enum(['newest', 'oldest', 'score']).default('newest'),
}).refine((q) => q.minScore === undefined || q.maxScore === undefined || q.minScore <= q.maxScore, { message: 'minScore must not exceed maxScore', path: ['minScore'] });

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('api/alerts')
export class AlertsController {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  @Get()
  @Roles('analyst', 'supervisor')
  @ApiOperation({ summary: 'Alerts (REVIEW/BLOCK decisions), paginated; filter by decision, case, typology, account (bank:account), disagreement, time, score band (minScore/maxScore)' })
  async list(@Query() query: Record<string, string>) {
    const q = parseOr400(AlertQuery, query, 'query');
    const where: Prisma.AmlAlertWhereInput = {
      decision: q.decision,
      caseId: q.caseId,
      disagreement: q.disagreement,
      typologies: q.typology ? { has: q.typology } : undefined,
      accounts: q.account ? { has: q.account } : undefined,
      createdAt: q.from || q.to ? { gte: q.from, lte: q.to } : undefined,
      score: q.minScore !== undefined || q.maxScore !== undefined ? { gte: q.minScore, lte: q.maxScore } : undefined,
    };
    const orderBy: Prisma.AmlAlertOrderByWithRelationInput = q.sort === 'score' ? { score: 'desc' } : { createdAt: q.sort === 'oldest' ? 'asc' : 'desc' };
    const [items, total] = await Promise.all([this.db.prisma.amlAlert.findMany({ where, orderBy: [orderBy, { id: 'asc' }], ...pageArgs(q) }), this.db.prisma.amlAlert.count({ where })]);
    return { items, total, page: q.page, pageSize: q.pageSize };
  }

  @Get(':id')
  @Roles('analyst', 'supervisor')
  @ApiOperation({ summary: 'One alert with its transaction' })
  async get(@Param('id') id: string) {
    const alert = await this.db.prisma.amlAlert.findUnique({ where: { id } }).catch(() => null);
    if (!alert) throw new NotFoundError(`No alert ${id}`);
    const transaction = await this.db.prisma.amlTransaction.findUnique({ where: { id: alert.transactionId } });
    return { ...alert, transaction: transaction ? view(transaction) : null };
  }
}
