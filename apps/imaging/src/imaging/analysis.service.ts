import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { type DicomVolume } from '@suite/dicom';
import {
  analyzeVolume,
  daysBetween,
  lungRadsCategory,
  matchFollowUp,
  modelClassifier,
  type NoduleFinding,
  operatingThreshold,
  studyLungRads,
  type LungRadsCategory,
  type NoduleType,
} from '@suite/imaging';
import { ModelRegistry } from '@suite/inference';
import { DATABASE, type Database, JobQueue, NotFoundError, SERVICE_CONFIG } from '@suite/platform';
import type { ImagingConfig } from './imaging-config';
import { StudyFiles } from './study-files';

export const ANALYZE_JOB = 'imaging.analyze';

export interface AnalyzeInput {
  studyInstanceUid: string;
  seriesInstanceUid?: string;
}

/**
 * Study analysis as a background job: read the CT series, build the volume, find and classify
 * candidates with the `nodule` model, measure, compare with the patient's previous analysed study,
 * and store the findings (one transaction) before the job reports done.
 */
@Injectable()
export class AnalysisService implements OnModuleInit {
  private readonly log = new Logger('imaging-analysis');

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(SERVICE_CONFIG) private readonly config: ImagingConfig,
    private readonly jobs: JobQueue,
    private readonly models: ModelRegistry,
    private readonly files: StudyFiles,
  ) {}

  onModuleInit() {
    this.jobs.register<AnalyzeInput, unknown>(ANALYZE_JOB, (input, ctx) => this.run(input, (f) => ctx.progress(f), ctx.jobId));
  }

  async enqueue(input: AnalyzeInput): Promise<{ jobId: string }> {
    const study = await this.db.prisma.imagingStudy.findUnique({ where: { studyInstanceUid: input.studyInstanceUid } });
    if (!study) throw new NotFoundError(`no study ${input.studyInstanceUid}`);
    // fail fast (4xx) when there is nothing to analyse, instead of a job that can only fail
    await this.files.pickCtSeries(input.studyInstanceUid, input.seriesInstanceUid);
    const job = await this.jobs.enqueue(ANALYZE_JOB, input);
    return { jobId: job.id };
  }

  async run(input: AnalyzeInput, progress: (f: number) => Promise<void> = async () => undefined, jobId?: string) {
    const study = await this.db.prisma.imagingStudy.findUnique({ where: { studyInstanceUid: input.studyInstanceUid } });
    if (!study) throw new NotFoundError(`no study ${input.studyInstanceUid}`);
    const seriesUid = await this.files.pickCtSeries(input.studyInstanceUid, input.seriesInstanceUid);
    const loaded = await this.files.loadSeries(seriesUid);
    await progress(0.1);
    const model = await this.models.get('nodule');
    const threshold = operatingThreshold(model.card, this.config.NODULE_FP_PER_SCAN);
    const result = await analyzeVolume(loaded.volume, modelClassifier(model), {
      threshold,
      onProgress: (f) => progress(0.1 + 0.85 * f),
    });
    const followUp = await this.followUp(study.patientId, study.studyDate, study.studyInstanceUid, result.nodules);
    for (const n of result.nodules) {
      const f = followUp.get(n.index);
      if (f && f.status !== 'shrinking') {
        n.lungRads = lungRadsCategory({ type: n.type, diameterMm: n.diameterMm, solidComponentMm: n.solidComponentMm, juxtapleural: n.juxtapleural, prior: { status: f.status } });
      }
    }
    const lungRads = studyLungRads(result.nodules.map((n) => n.lungRads));
    const timings = { parse: round(loaded.parseSeconds), volume: round(loaded.volumeSeconds), ...mapValues({ ...result.timings }, round) };
    const frameOfReference = loaded.instances[0]?.dataSet.string('x00200052');
    const analysis = await this.db.prisma.$transaction(async (tx) => {
      const a = await tx.imagingAnalysis.create({
        data: {
          studyInstanceUid: study.studyInstanceUid,
          seriesInstanceUid: seriesUid,
          jobId,
          status: 'done',
          lungRads,
          candidates: result.candidates,
          modelVersion: model.version,
          threshold,
          timings,
          geometry: { ...loaded.volume.geometry, dims: loaded.volume.dims, spacing: loaded.volume.spacing, frameOfReferenceUid: frameOfReference ?? null, lungVolumeMl: result.lungVolumeMl } as never,
          warnings: [...loaded.volume.geometry.warnings, ...result.warnings],
          finishedAt: new Date(),
        },
      });
      for (const n of result.nodules) {
        const f = followUp.get(n.index);
        await tx.imagingNodule.create({
          data: {
            analysisId: a.id,
            studyInstanceUid: study.studyInstanceUid,
            seriesInstanceUid: seriesUid,
            patientId: study.patientId,
            studyDate: study.studyDate,
            index: n.index,
            centerX: n.centerMm[0],
            centerY: n.centerMm[1],
            centerZ: n.centerMm[2],
            diameterMm: n.diameterMm,
            longAxisMm: n.longAxisMm,
            shortAxisMm: n.shortAxisMm,
            volumeMm3: n.volumeMm3,
            meanHu: n.meanHu,
            type: n.type,
            solidComponentMm: n.solidComponentMm ?? null,
            lobe: n.lobe,
            juxtapleural: n.juxtapleural,
            probability: n.probability,
            typeProbabilities: n.typeProbabilities,
            lungRads: n.lungRads,
            radiusHintMm: n.radiusHintMm,
            growth: f?.status ?? null,
            priorNoduleId: f?.priorId ?? null,
            doublingTimeDays: f?.doublingTimeDays ?? null,
            diameterChangeMm: f?.diameterChangeMm ?? null,
          },
        });
      }
      return a;
    });
    this.log.log(`study ${study.studyInstanceUid}: ${result.nodules.length} nodule(s) from ${result.candidates} candidates, Lung-RADS ${lungRads}`);
    return { analysisId: analysis.id, nodules: result.nodules.length, lungRads, timings };
  }

  /** Pair this study's nodules with the latest earlier analysed study of the same patient. */
  private async followUp(patientId: string, studyDate: string | null, studyUid: string, nodules: NoduleFinding[]) {
    const out = new Map<number, { status: 'new' | 'growing' | 'stable' | 'shrinking'; priorId: string | null; doublingTimeDays: number | null; diameterChangeMm: number | null }>();
    if (!studyDate || !patientId) return out;
    const earlier = await this.latestEarlierAnalysis(patientId, studyDate, studyUid);
    if (!earlier) return out;
    return this.pair(earlier.nodules, earlier.studyDate, studyDate, nodules, out);
  }

  private async latestEarlierAnalysis(patientId: string, studyDate: string, studyUid: string) {
    const studies = await this.db.prisma.imagingStudy.findMany({
      where: { patientId, studyDate: { lt: studyDate }, studyInstanceUid: { not: studyUid } },
      orderBy: { studyDate: 'desc' },
    });
    for (const s of studies) {
      const a = await this.db.prisma.imagingAnalysis.findFirst({ where: { studyInstanceUid: s.studyInstanceUid, status: 'done' }, orderBy: { createdAt: 'desc' }, include: { nodules: true } });
      if (a) return { nodules: a.nodules, studyDate: s.studyDate as string };
    }
    return null;
  }

  private pair(
    priorNodules: { id: string; centerX: number; centerY: number; centerZ: number; diameterMm: number; volumeMm3: number }[],
    priorDate: string,
    studyDate: string,
    nodules: NoduleFinding[],
    out: Map<number, { status: 'new' | 'growing' | 'stable' | 'shrinking'; priorId: string | null; doublingTimeDays: number | null; diameterChangeMm: number | null }>,
  ) {
    const pairs = matchFollowUp(
      priorNodules.map((p) => ({ id: p.id, centerMm: [p.centerX, p.centerY, p.centerZ] as [number, number, number], diameterMm: p.diameterMm, volumeMm3: p.volumeMm3 })),
      nodules.map((n) => ({ id: String(n.index), centerMm: n.centerMm, diameterMm: n.diameterMm, volumeMm3: n.volumeMm3 })),
      daysBetween(priorDate, studyDate),
    );
    for (const p of pairs) {
      if (!p.currentId || p.status === 'resolved') continue;
      out.set(Number(p.currentId), { status: p.status, priorId: p.priorId, doublingTimeDays: p.doublingTimeDays ?? null, diameterChangeMm: p.diameterChangeMm ?? null });
    }
    return out;
  }

  /** The latest finished analysis of a study, with its nodules. */
  async latest(studyInstanceUid: string) {
    const a = await this.db.prisma.imagingAnalysis.findFirst({
      where: { studyInstanceUid, status: 'done' },
      orderBy: { createdAt: 'desc' },
      include: { nodules: { orderBy: { index: 'asc' } } },
    });
    if (!a) throw new NotFoundError(`study ${studyInstanceUid} has no finished analysis; POST /api/studies/${studyInstanceUid}/analyze first`);
    return a;
  }
}

export type StoredNodule = Awaited<ReturnType<AnalysisService['latest']>>['nodules'][number];

/** The API's view of a nodule. */
export function noduleView(n: StoredNodule) {
  return {
    id: n.id,
    studyInstanceUid: n.studyInstanceUid,
    seriesInstanceUid: n.seriesInstanceUid,
    patientId: n.patientId,
    studyDate: n.studyDate,
    index: n.index,
    centerMm: [n.centerX, n.centerY, n.centerZ],
    diameterMm: n.diameterMm,
    longAxisMm: n.longAxisMm,
    shortAxisMm: n.shortAxisMm,
    volumeMm3: n.volumeMm3,
    meanHu: n.meanHu,
    type: n.type as NoduleType,
    ...(n.solidComponentMm !== null ? { solidComponentMm: n.solidComponentMm } : {}),
    lobe: n.lobe,
    juxtapleural: n.juxtapleural,
    probability: n.probability,
    typeProbabilities: n.typeProbabilities,
    lungRads: n.lungRads as LungRadsCategory,
    growth: n.growth,
    priorNoduleId: n.priorNoduleId,
    doublingTimeDays: n.doublingTimeDays,
    diameterChangeMm: n.diameterChangeMm,
    image: `/api/nodules/${n.id}/image.png`,
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function mapValues<T extends Record<string, number>>(o: T, f: (x: number) => number): T {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)])) as T;
}

export type { DicomVolume };
