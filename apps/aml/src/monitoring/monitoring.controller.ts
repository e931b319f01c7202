import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Disposition, weeklyAlertPrecision } from '@suite/aml';
import { DATABASE, Roles, type Database } from '@suite/platform';
import { ModelTrack } from '../scoring/model-track.service';
import { RulesService } from '../rules/rules.service';

@ApiTags('monitoring')
@ApiBearerAuth()
@Controller('api/monitoring')
export class MonitoringController {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    private readonly model: ModelTrack,
    private readonly rules: RulesService,
  ) {}

  @Get('summary')
  @Roles('analyst', 'supervisor')
  @ApiOperation({ summary: 'Decisions, track disagreements, alert precision by week (from case dispositions) and model drift (PSI)' })
  async summary() {
    const [decisions, disagreements, cases] = await Promise.all([
      this.db.prisma.amlTransaction.groupBy({ by: ['decision'], _count: { _all: true } }),
      this.db.prisma.amlTransaction.groupBy({ by: ['disagreement'], where: { disagreement: { not: null } }, _count: { _all: true } }),
      this.db.prisma.amlCase.groupBy({ by: ['status'], _count: { _all: true } }),
    ]);
    const served = await this.model.load();
    return {
      ruleVersion: (await this.rules.activeSet()).version,
      model: { name: served.name, version: served.version, provider: served.provider, precision: served.precision, threshold: await this.model.threshold(), cardMetrics: served.card.metrics?.heldout ?? null },
      decisions: Object.fromEntries(decisions.map((d) => [d.decision, d._count._all])),
      disagreements: Object.fromEntries(disagreements.map((d) => [d.disagreement as string, d._count._all])),
      cases: Object.fromEntries(cases.map((c) => [c.status, c._count._all])),
      alertPrecisionByWeek: await this.alertPrecision(),
      drift: served.driftReport(),
      // live precision of model-raised alerts from case dispositions, and the monitor's alerts
      liveModelPrecision: served.monitor.liveQuality() ?? null,
      modelAlerts: served.monitor.alerts(),
    };
  }

  @Get('alert-precision')
  @Roles('analyst', 'supervisor')
  @ApiOperation({ summary: 'Precision of alerts by week of creation: suspicious_sar_filed / dispositioned (labels from case dispositions)' })
  alertPrecisionRoute() {
    return this.alertPrecision();
  }

  private async alertPrecision() {
    const rows = await this.db.prisma.$queryRawUnsafe<Array<{ createdAt: Date; disposition: string | null }>>(
      'SELECT a."createdAt" AS "createdAt", c."disposition" AS "disposition" FROM "AmlAlert" a LEFT JOIN "AmlCase" c ON c."id" = a."caseId" AND c."status" = \'closed\'',
    );
    return weeklyAlertPrecision(rows.map((r) => ({ createdAt: new Date(r.createdAt), disposition: r.disposition as Disposition | null })));
  }
}
