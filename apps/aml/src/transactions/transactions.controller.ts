import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Iso20022Error, parseIso20022, type Transaction } from '@suite/aml';
import { DATABASE, NotFoundError, Roles, ValidationError, type Database, type Prisma } from '@suite/platform';
import type { HttpRequest as Request } from '../http/express-types';
import { z } from 'zod';
import { isoDate, PageQuery, pageArgs, parseOr400 } from '../http/validation';
import { DecisionService } from '../scoring/decision.service';
import { CsvImportService } from './csv-import.service';
import { DECISION_OPENAPI, TRANSACTION_OPENAPI, TransactionArray, TransactionBody } from './transaction-schema';

const ListQuery = PageQuery.extend({
  account: z.string().optional().describe('bank:account on either side'),
  decision: z.enum(['ALLOW', 'REVIEW', 'BLOCK']).optional(),
  source: z.enum(['api', 'csv', 'iso20022', 'demo']).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  minScore: z.coerce.number().min(0).max(1).optional(),
  disagreement: z.enum(['MODEL_ONLY', 'RULES_ONLY']).optional(),
});

@ApiTags('transactions')
@ApiBearerAuth()
@Controller('api/transactions')
export class TransactionsController {
  constructor(
    private readonly decisions: DecisionService,
    private readonly imports: CsvImportService,
    @Inject(DATABASE) private readonly db: Database,
  ) {}

  @Post()
  @HttpCode(200)
  @Roles('analyst', 'supervisor', 'integration', 'service')
  @ApiOperation({ summary: 'Decide one transaction or an array (processed in the order given)', description: 'Answers, in input order, ALLOW/REVIEW/BLOCK with score, rule hits, reasons and the alert id. Resubmitting an id returns the stored decision and changes nothing.' })
  @ApiBody({ schema: { oneOf: [TRANSACTION_OPENAPI, { type: 'array', items: TRANSACTION_OPENAPI }] } })
  @ApiOkResponse({ schema: { type: 'array', items: DECISION_OPENAPI } })
  async submit(@Body() body: unknown) {
    // validate array and single forms separately so errors name the element and field
    const txns = (Array.isArray(body) ? parseOr400(TransactionArray, body) : [parseOr400(TransactionBody, body)]) as Transaction[];
    return this.decisions.decide(txns, 'api');
  }

  @Post('import')
  @HttpCode(202)
  @Roles('analyst', 'supervisor', 'integration', 'service')
  @ApiOperation({
    summary: 'Import an AMLworld CSV as a background job',
    description:
      'Body: the CSV itself (header `Timestamp,From Bank,Account,To Bank,Account,Amount Received,Receiving Currency,Amount Paid,Payment Currency,Payment Format[,Is Laundering]`). Send it as application/octet-stream (or text/csv) to stream a file of any size. Answers 202 with a job id; poll GET /api/jobs/{id} for progress and the summary with bad lines by number.',
  })
  @ApiConsumes('application/octet-stream', 'text/csv')
  @ApiQuery({ name: 'filename', required: false })
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  async importCsv(@Req() req: Request, @Query('filename') filename?: string) {
    // text/* bodies were already read by the platform's text parser; anything else is streamed
    const body = typeof req.body === 'string' ? req.body : req.readableEnded ? '' : req;
    if (body === '' || (typeof body === 'string' && !body.trim())) throw new ValidationError('empty upload: send the CSV as the request body');
    return this.imports.accept(body, filename ?? 'upload.csv');
  }

  @Post('iso20022')
  @HttpCode(200)
  @Roles('analyst', 'supervisor', 'integration', 'service')
  @ApiOperation({ summary: 'Decide the credit transfers of a pacs.008 or pain.001 message', description: 'DTDs and entities are refused (no XXE); malformed XML answers 400 naming the problem.' })
  @ApiConsumes('application/xml', 'text/xml')
  @ApiBody({ schema: { type: 'string', example: '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08">...</Document>' } })
  @ApiOkResponse({ schema: { type: 'array', items: DECISION_OPENAPI } })
  async iso20022(@Body() body: unknown) {
    if (typeof body !== 'string' || !body.trim()) throw new ValidationError('send the ISO 20022 XML as the body with Content-Type application/xml');
    let txns: Transaction[];
    try {
      txns = parseIso20022(body);
    } catch (e) {
      if (e instanceof Iso20022Error) throw new ValidationError(`ISO 20022: ${e.message}`);
      throw e;
    }
    return this.decisions.decide(txns, 'iso20022');
  }

  @Get()
  @Roles('analyst', 'supervisor')
  @ApiOperation({ summary: 'Stored transactions with their decisions, newest first (paginated, filterable)' })
  async list(@Query() query: Record<string, string>) {
    const q = parseOr400(ListQuery, query, 'query');
    const where: Prisma.AmlTransactionWhereInput = {
      decision: q.decision,
      source: q.source,
      disagreement: q.disagreement,
      timestamp: q.from || q.to ? { gte: q.from, lte: q.to } : undefined,
      score: q.minScore !== undefined ? { gte: q.minScore } : undefined,
    };
    if (q.account) {
      const [bank, ...rest] = q.account.split(':');
      const account = rest.join(':');
      if (!account) throw new ValidationError('account must be bank:account');
      where.OR = [{ fromBank: bank, fromAccount: account }, { toBank: bank, toAccount: account }];
    }
    const [items, total] = await Promise.all([
      this.db.prisma.amlTransaction.findMany({ where, orderBy: { seq: 'desc' }, ...pageArgs(q), omit: { facts: true } }),
      this.db.prisma.amlTransaction.count({ where }),
    ]);
    return { items: items.map(view), total, page: q.page, pageSize: q.pageSize };
  }

  @Get(':id')
  @Roles('analyst', 'supervisor')
  @ApiOperation({ summary: 'One transaction with its decision, facts, rule hits and top features' })
  async get(@Param('id') id: string) {
    const t = await this.db.prisma.amlTransaction.findUnique({ where: { id } });
    if (!t) throw new NotFoundError(`No transaction ${id}`);
    return view(t);
  }
}

export function view<T extends { seq: bigint }>(t: T) {
  return { ...t, seq: t.seq.toString() };
}
