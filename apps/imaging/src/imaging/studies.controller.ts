import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { writeMeasurementReport } from '@suite/dicom';
import { matchesQuery, measureNodule, parseNoduleQuery, renderNoduleImage, renderStudySummary, LUNG_RADS_COLOURS, type LungRadsCategory, type NoduleType, type Lobe } from '@suite/imaging';
import { DATABASE, type Database, NotFoundError, Roles, ValidationError } from '@suite/platform';
import { Inject } from '@nestjs/common';
import type { HttpResponse as Response } from './http-types';
import { AnalysisService, noduleView } from './analysis.service';
import { StudyFiles } from './study-files';

/** The radiologist's side: analyses, nodules, pictures, the SR, and questions in words. */
@ApiTags('studies')
@Controller('api')
export class StudiesController {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    private readonly analysis: AnalysisService,
    private readonly files: StudyFiles,
  ) {}

  @Get('studies')
  @Roles('clinician', 'researcher', 'integration', 'service')
  async list(@Query('patientId') patientId?: string) {
    const studies = await this.db.prisma.imagingStudy.findMany({
      where: patientId ? { patientId } : {},
      orderBy: [{ studyDate: 'desc' }],
      include: { series: { select: { seriesInstanceUid: true, modality: true, _count: { select: { instances: true } } } } },
      take: 200,
    });
    const analyses = await this.db.prisma.imagingAnalysis.findMany({ where: { studyInstanceUid: { in: studies.map((s) => s.studyInstanceUid) }, status: 'done' }, orderBy: { createdAt: 'desc' } });
    return studies.map((s) => {
      const a = analyses.find((x) => x.studyInstanceUid === s.studyInstanceUid);
      return {
        studyInstanceUid: s.studyInstanceUid,
        patientId: s.patientId,
        patientName: s.patientName,
        studyDate: s.studyDate,
        description: s.description,
        series: s.series.map((x) => ({ seriesInstanceUid: x.seriesInstanceUid, modality: x.modality, instances: x._count.instances })),
        analysis: a ? { id: a.id, lungRads: a.lungRads, finishedAt: a.finishedAt } : null,
      };
    });
  }

  @Post('studies/:studyUid/analyze')
  @HttpCode(202)
  @Roles('clinician', 'integration', 'service')
  analyze(@Param('studyUid') studyUid: string, @Body() body: { seriesInstanceUid?: string } = {}) {
    return this.analysis.enqueue({ studyInstanceUid: studyUid, seriesInstanceUid: body?.seriesInstanceUid });
  }

  @Get('studies/:studyUid/nodules')
  @Roles('clinician', 'researcher', 'integration', 'service')
  async nodules(@Param('studyUid') studyUid: string) {
    const a = await this.analysis.latest(studyUid);
    return a.nodules.map(noduleView);
  }

  /** The analysis summary: Lung-RADS for the study, geometry warnings, stage timings. */
  @Get('studies/:studyUid/analysis')
  @Roles('clinician', 'researcher', 'integration', 'service')
  async summary(@Param('studyUid') studyUid: string) {
    const a = await this.analysis.latest(studyUid);
    return {
      id: a.id,
      studyInstanceUid: a.studyInstanceUid,
      seriesInstanceUid: a.seriesInstanceUid,
      lungRads: a.lungRads,
      nodules: a.nodules.length,
      candidates: a.candidates,
      modelVersion: a.modelVersion,
      threshold: a.threshold,
      geometry: a.geometry,
      warnings: a.warnings,
      timings: a.timings,
      finishedAt: a.finishedAt,
      image: `/api/studies/${studyUid}/image.png`,
      sr: `/api/studies/${studyUid}/sr`,
    };
  }

  @Get('studies/:studyUid/sr')
  @Roles('clinician', 'researcher', 'integration', 'service')
  async sr(@Param('studyUid') studyUid: string, @Res() res: Response) {
    const a = await this.analysis.latest(studyUid);
    const study = await this.db.prisma.imagingStudy.findUniqueOrThrow({ where: { studyInstanceUid: studyUid } });
    const instances = await this.db.prisma.imagingInstance.findMany({ where: { seriesInstanceUid: a.seriesInstanceUid ?? undefined }, select: { sopClassUid: true, sopInstanceUid: true } });
    const geometry = (a.geometry ?? {}) as { frameOfReferenceUid?: string };
    const sr = writeMeasurementReport({
      patientId: study.patientId,
      patientName: study.patientName,
      patientBirthDate: study.patientBirthDate ?? undefined,
      patientSex: study.patientSex ?? undefined,
      studyInstanceUid: study.studyInstanceUid,
      studyDate: study.studyDate ?? undefined,
      studyTime: study.studyTime ?? undefined,
      accessionNumber: study.accessionNumber ?? undefined,
      studyId: study.studyId ?? undefined,
      frameOfReferenceUid: geometry.frameOfReferenceUid ?? '',
      referencedSeriesUid: a.seriesInstanceUid ?? '',
      referencedInstances: instances,
      analysisId: a.id,
      summary: `Lung-RADS v2022 category ${a.lungRads} (study); ${a.nodules.length} nodule(s); model nodule ${a.modelVersion}`,
      findings: a.nodules.map((n) => ({
        trackingId: `Nodule ${n.index}`,
        centerMm: [n.centerX, n.centerY, n.centerZ],
        longAxisMm: n.longAxisMm,
        shortAxisMm: n.shortAxisMm,
        diameterMm: n.diameterMm,
        volumeMm3: n.volumeMm3,
        meanHu: n.meanHu,
        lobe: n.lobe,
        comment: [
          `type ${n.type}`,
          n.solidComponentMm !== null ? `solid component ${n.solidComponentMm} mm` : null,
          `Lung-RADS ${n.lungRads}`,
          n.juxtapleural ? 'juxtapleural' : null,
          n.growth ? `follow-up: ${n.growth}${n.doublingTimeDays ? `, VDT ${n.doublingTimeDays} days` : ''}` : null,
          `P(nodule) ${n.probability}`,
        ]
          .filter(Boolean)
          .join('; '),
      })),
    });
    res.status(200).type('application/dicom').setHeader('Content-Disposition', `attachment; filename="sr-${a.id}.dcm"`);
    res.send(Buffer.from(sr.bytes));
  }

  @Get('studies/:studyUid/image.png')
  @Roles('clinician', 'researcher', 'integration', 'service')
  async studyImage(@Param('studyUid') studyUid: string, @Res() res: Response) {
    const a = await this.analysis.latest(studyUid);
    const { volume } = await this.files.loadSeries(a.seriesInstanceUid ?? '');
    const png = renderStudySummary(
      volume,
      a.nodules.map((n) => ({ centerMm: [n.centerX, n.centerY, n.centerZ] as [number, number, number], diameterMm: n.diameterMm, lungRads: n.lungRads as LungRadsCategory })),
    );
    res.status(200).type('image/png').send(png);
  }

  @Get('nodules/:id/image.png')
  @Roles('clinician', 'researcher', 'integration', 'service')
  async noduleImage(@Param('id') id: string, @Res() res: Response) {
    const n = await this.db.prisma.imagingNodule.findUnique({ where: { id } });
    if (!n) throw new NotFoundError(`no nodule ${id}`);
    const { volume } = await this.files.loadSeries(n.seriesInstanceUid);
    const center: [number, number, number] = [n.centerX, n.centerY, n.centerZ];
    const m = measureNodule(volume, center, { radiusHintMm: n.radiusHintMm });
    const png = renderNoduleImage(volume, center, m?.outline ?? null, { fovMm: Math.max(40, n.diameterMm * 3), colour: LUNG_RADS_COLOURS[n.lungRads as LungRadsCategory] });
    res.status(200).type('image/png').send(png);
  }

  /** `POST /api/query { text }`: the parsed filter and the matching nodules (latest analysis of each study). */
  @Post('query')
  @HttpCode(200)
  @Roles('clinician', 'researcher', 'integration', 'service')
  async query(@Body() body: { text?: unknown }) {
    if (!body || typeof body.text !== 'string' || !body.text.trim()) throw new ValidationError('send { "text": "your question" }');
    if (body.text.length > 500) throw new ValidationError('the question is longer than 500 characters');
    const filter = parseNoduleQuery(body.text);
    // latest finished analysis per study
    const analyses = await this.db.prisma.imagingAnalysis.findMany({ where: { status: 'done' }, orderBy: { createdAt: 'desc' }, select: { id: true, studyInstanceUid: true } });
    const latest = new Map<string, string>();
    for (const a of analyses) if (!latest.has(a.studyInstanceUid)) latest.set(a.studyInstanceUid, a.id);
    const nodules = await this.db.prisma.imagingNodule.findMany({ where: { analysisId: { in: [...latest.values()] } }, orderBy: [{ studyDate: 'desc' }, { index: 'asc' }] });
    const matches = nodules.filter((n) =>
      matchesQuery(
        {
          type: n.type as NoduleType,
          diameterMm: n.diameterMm,
          lobe: n.lobe as Lobe,
          lungRads: n.lungRads as LungRadsCategory,
          juxtapleural: n.juxtapleural,
          patientId: n.patientId,
          studyDate: n.studyDate ?? undefined,
          growth: (n.growth ?? undefined) as 'growing' | 'new' | 'stable' | undefined,
          doublingTimeDays: n.doublingTimeDays,
        },
        filter,
      ),
    );
    return { text: body.text, filter, understood: filter.understood, unknownWords: filter.unknownWords, count: matches.length, nodules: matches.map(noduleView) };
  }
}
