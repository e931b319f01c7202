import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type AmlRule, KNOWN_FACTS } from '@suite/aml';
import { CurrentPrincipal, JobQueue, Roles, type Principal } from '@suite/platform';
import type { HttpResponse as Response } from '../http/express-types';
import { z } from 'zod';
import { isoDate, PageQuery, pageArgs, parseOr400 } from '../http/validation';
import { RulesService } from './rules.service';

export const BACKTEST_JOB = 'aml.rule-backtest';

const Condition: z.ZodType<unknown> = z.lazy(() =>
  z.union([
    z.object({ all: z.array(Condition).min(1) }).strict(),
    z.object({ any: z.array(Condition).min(1) }).strict(),
    z.object({ not: Condition }).strict(),
    z.object({ fact: z.string(), operator: z.string(), value: z.unknown() }).strict(),
  ]),
);
const RuleBody = z
  .object({
    id: z.string().min(1).max(100),
    name: z.string().min(1).max(200),
    typology: z.string().min(1).max(50),
    severity: z.enum(['review', 'block']),
    description: z.string().max(2000).default(''),
    enabled: z.boolean().default(true),
    conditions: Condition,
  })
  .strict();
const Comment = z.object({ comment: z.string().max(500).optional() });
const RuleQuery = PageQuery.extend({ typology: z.string().optional(), severity: z.enum(['review', 'block']).optional(), enabled: z.enum(['true', 'false']).optional() });
const BacktestBody = z
  .object({
    rules: z.array(RuleBody).optional(),
    version: z.number().int().positive().optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    limit: z.number().int().min(1).max(1_000_000).default(200_000),
  })
  .strict()
  .refine((b) => b.rules || b.version, 'give a candidate rule set (rules) or a stored version');

const RULE_OPENAPI = {
  type: 'object',
  required: ['id', 'name', 'typology', 'severity', 'conditions'],
  properties: {
    id: { type: 'string', example: 'structuring.below-threshold' },
    name: { type: 'string' },
    typology: { type: 'string' },
    severity: { type: 'string', enum: ['review', 'block'] },
    description: { type: 'string' },
    enabled: { type: 'boolean' },
    conditions: { type: 'object', description: `json-rules-engine conditions (all/any/not) over facts: ${KNOWN_FACTS.join(', ')}`, example: { all: [{ fact: 'belowThreshold', operator: 'equal', value: true }, { fact: 'aBelowCount7d', operator: 'greaterThanInclusive', value: 2 }] } },
  },
};

@ApiTags('rules')
@ApiBearerAuth()
@Controller('api/rules')
export class RulesController {
  constructor(
    private readonly rules: RulesService,
    private readonly jobs: JobQueue,
  ) {
    this.jobs.register<{ rules: AmlRule[]; version: number; from?: string; to?: string; limit: number }, unknown>(BACKTEST_JOB, (input) =>
      this.rules.backtest({ version: input.version, rules: input.rules }, { from: input.from ? new Date(input.from) : undefined, to: input.to ? new Date(input.to) : undefined, limit: input.limit }),
    );
  }

  @Get()
  @Roles('analyst', 'supervisor')
  @ApiOperation({ summary: 'Rules of the active version, paginated; filter by typology, severity, enabled' })
  async list(@Query() query: Record<string, string>) {
    const q = parseOr400(RuleQuery, query, 'query');
    const set = await this.rules.activeSet();
    const all = set.rules.filter((r) => (!q.typology || r.typology === q.typology) && (!q.severity || r.severity === q.severity) && (!q.enabled || String(r.enabled) === q.enabled));
    const { skip, take } = pageArgs(q);
    return { version: set.version, items: all.slice(skip, skip + take), total: all.length, page: q.page, pageSize: q.pageSize };
  }

  @Get('facts')
  @Roles('analyst', 'supervisor')
  @ApiOperation({ summary: 'The facts rules may use' })
  facts() {
    return { facts: KNOWN_FACTS };
  }

  @Get('versions')
  @Roles('analyst', 'supervisor')
  @ApiOperation({ summary: 'Rule set versions, newest first (paginated)' })
  async versions(@Query() query: Record<string, string>) {
    const q = parseOr400(PageQuery, query, 'query');
    return { ...(await this.rules.versions(pageArgs(q).skip, pageArgs(q).take)), page: q.page, pageSize: q.pageSize };
  }

  @Get('versions/:version')
  @Roles('analyst', 'supervisor')
  version(@Param('version', ParseIntPipe) version: number) {
    return this.rules.version(version);
  }

  @Post('versions/:version/restore')
  @Roles('supervisor')
  @ApiOperation({ summary: 'Make an old version active again (as a new version)' })
  restore(@Param('version', ParseIntPipe) version: number, @CurrentPrincipal() who: Principal) {
    return this.rules.restore(version, who.name);
  }

  @Post('backtest')
  @Roles('analyst', 'supervisor')
  @ApiOperation({
    summary: 'Backtest a candidate rule set against the active one over stored labelled history',
    description: 'Runs as a background job; answers 200 with the result when it finishes within 20 s, else 202 with the job id (GET /api/jobs/{id}). Result: alert volume, precision, recall of candidate and active, and the change.',
  })
  @ApiBody({ schema: { type: 'object', properties: { rules: { type: 'array', items: RULE_OPENAPI }, version: { type: 'integer' }, from: { type: 'string', format: 'date-time' }, to: { type: 'string', format: 'date-time' }, limit: { type: 'integer' } } } })
  async backtest(@Body() body: unknown, @Res() res: Response) {
    const b = parseOr400(BacktestBody, body);
    const candidate = b.rules ? { version: 0, rules: b.rules as AmlRule[] } : await this.rules.version(b.version as number);
    const job = await this.jobs.enqueue(BACKTEST_JOB, { rules: candidate.rules, version: candidate.version, from: b.from?.toISOString(), to: b.to?.toISOString(), limit: b.limit });
    const until = Date.now() + 20_000;
    for (;;) {
      const j = await this.jobs.get(job.id);
      if (j.status === 'done') return res.status(200).json({ jobId: j.id, ...(j.result as object) });
      if (j.status === 'failed') return res.status(422).json({ status: 422, title: 'backtest failed', detail: j.error, jobId: j.id });
      if (Date.now() > until) return res.status(202).json({ jobId: j.id, status: j.status });
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  @Get(':id')
  @Roles('analyst', 'supervisor')
  get(@Param('id') id: string) {
    return this.rules.get(id);
  }

  @Post()
  @Roles('supervisor')
  @ApiOperation({ summary: 'Add a rule (writes a new version)' })
  @ApiBody({ schema: { allOf: [RULE_OPENAPI, { type: 'object', properties: { comment: { type: 'string' } } }] } })
  async create(@Body() body: Record<string, unknown>, @CurrentPrincipal() who: Principal) {
    const { comment, ...rest } = (body ?? {}) as Record<string, unknown>;
    parseOr400(Comment, { comment });
    const rule = parseOr400(RuleBody, rest) as AmlRule;
    return this.rules.create(rule, who.name, comment as string | undefined);
  }

  @Put(':id')
  @Roles('supervisor')
  @ApiOperation({ summary: 'Replace a rule (writes a new version)' })
  @ApiBody({ schema: RULE_OPENAPI })
  async update(@Param('id') id: string, @Body() body: Record<string, unknown>, @CurrentPrincipal() who: Principal) {
    const { comment, ...rest } = (body ?? {}) as Record<string, unknown>;
    parseOr400(Comment, { comment });
    const rule = parseOr400(RuleBody, rest) as AmlRule;
    return this.rules.update(id, rule, who.name, comment as string | undefined);
  }

  @Delete(':id')
  @HttpCode(200)
  @Roles('supervisor')
  @ApiOperation({ summary: 'Remove a rule (writes a new version)' })
  remove(@Param('id') id: string, @CurrentPrincipal() who: Principal) {
    return this.rules.remove(id, who.name);
  }
}
