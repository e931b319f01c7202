import { Body, Controller, Get, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, DATABASE, Roles, type Database, type Principal } from '@suite/platform';
import type { HttpResponse as Response } from '../http/express-types';
import { z } from 'zod';
import { PageQuery, pageArgs, parseOr400 } from '../http/validation';
import { SarService } from './sar.service';

const SarQuery = PageQuery.extend({
  status: z.enum(['pending_approval', 'approved', 'rejected']).optional(),
  caseId: z.string().uuid().optional(),
  preparedBy: z.string().optional(),
});

@ApiTags('sars')
@ApiBearerAuth()
@Controller('api')
export class SarController {
  constructor(
    private readonly sars: SarService,
    @Inject(DATABASE) private readonly db: Database,
  ) {}

  @Post('cases/:id/sar')
  @Roles('analyst', 'supervisor')
  @ApiOperation({ summary: 'Prepare a SAR for a case (waits for a second user\'s approval)' })
  @ApiBody({ schema: { type: 'object', required: ['narrative'], properties: { narrative: { type: 'string', minLength: 20 } } } })
  prepare(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() who: Principal) {
    const b = parseOr400(z.object({ narrative: z.string().min(20, 'describe the activity (20+ characters)').max(20_000) }).strict(), body);
    return this.sars.prepare(id, b.narrative, who);
  }

  @Get('sars')
  @Roles('analyst', 'supervisor')
  @ApiOperation({ summary: 'SARs, paginated; filter by status, case, preparer' })
  async list(@Query() query: Record<string, string>) {
    const q = parseOr400(SarQuery, query, 'query');
    const where = { status: q.status, caseId: q.caseId, preparedBy: q.preparedBy };
    const [items, total] = await Promise.all([this.db.prisma.amlSar.findMany({ where, orderBy: { createdAt: 'desc' }, ...pageArgs(q) }), this.db.prisma.amlSar.count({ where })]);
    return { items, total, page: q.page, pageSize: q.pageSize };
  }

  @Get('sars/:id')
  @Roles('analyst', 'supervisor')
  get(@Param('id') id: string) {
    return this.sars.get(id);
  }

  @Post('sars/:id/approve')
  @Roles('supervisor')
  @ApiOperation({ summary: 'Approve a SAR (supervisor; never its own preparer: four eyes)' })
  approve(@Param('id') id: string, @CurrentPrincipal() who: Principal) {
    return this.sars.decide(id, true, who);
  }

  @Post('sars/:id/reject')
  @Roles('supervisor')
  @ApiBody({ schema: { type: 'object', properties: { reason: { type: 'string' } } } })
  reject(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() who: Principal) {
    const b = parseOr400(z.object({ reason: z.string().max(5000).optional() }).strict(), body ?? {});
    return this.sars.decide(id, false, who, b.reason);
  }

  @Get('sars/:id/export')
  @Roles('analyst', 'supervisor')
  @ApiOperation({ summary: 'Export an approved SAR as goAML-style XML (default) or JSON' })
  @ApiQuery({ name: 'format', enum: ['xml', 'json'], required: false })
  async export(@Param('id') id: string, @Query('format') format: string | undefined, @CurrentPrincipal() who: Principal, @Res() res: Response) {
    const f = parseOr400(z.enum(['xml', 'json']).default('xml'), format, 'format');
    const out = await this.sars.export(id, f, who);
    if (f === 'xml') {
      res.setHeader('Content-Type', 'application/xml');
      res.setHeader('Content-Disposition', `attachment; filename="sar-${id}.xml"`);
      res.send(out);
    } else res.json(out);
  }
}
