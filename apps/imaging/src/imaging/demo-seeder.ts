import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { uidFrom, writeCtSeries } from '@suite/dicom';
import { demoStudies } from '@suite/imaging';
import { DATABASE, type Database, SERVICE_CONFIG } from '@suite/platform';
import { AnalysisService } from './analysis.service';
import type { ImagingConfig } from './imaging-config';
import { IngestService } from './ingest.service';

/**
 * `npm start` seeds the demo patient's two CT studies through the real ingest path (generated
 * phantom → DICOM files → parse → store) and analyses them before the service starts listening,
 * so /api/query and the nodule images answer at once. Skipped when already seeded.
 */
@Injectable()
export class DemoSeeder implements OnApplicationBootstrap {
  private readonly log = new Logger('imaging-demo');

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ImagingConfig,
    @Inject(DATABASE) private readonly db: Database,
    private readonly ingest: IngestService,
    private readonly analysis: AnalysisService,
  ) {}

  async onApplicationBootstrap() {
    const enabled = this.config.IMAGING_DEMO ? this.config.IMAGING_DEMO === 'on' : !['production', 'test'].includes(this.config.NODE_ENV);
    if (!enabled) return;
    try {
      await this.seed();
    } catch (e) {
      // the demo must never keep the service from starting
      this.log.error(`demo seeding failed: ${(e as Error).stack ?? e}`);
    }
  }

  async seed(): Promise<string[]> {
    const uids: string[] = [];
    const t0 = Date.now();
    for (const study of demoStudies()) {
      const studyUid = uidFrom(`demo-study:${study.label}`);
      uids.push(studyUid);
      const done = await this.db.prisma.imagingAnalysis.findFirst({ where: { studyInstanceUid: studyUid, status: 'done' } });
      if (done) continue;
      const files = writeCtSeries(study.phantom.volume, {
        patientId: study.patientId,
        patientName: study.patientName,
        patientBirthDate: '19580301',
        patientSex: 'F',
        studyInstanceUid: studyUid,
        seriesInstanceUid: uidFrom(`demo-series:${study.label}`),
        frameOfReferenceUid: uidFrom(`demo-for:${study.label}`),
        studyDate: study.studyDate,
        studyDescription: `Low-dose CT chest, lung cancer screening (${study.label}, generated phantom)`,
        accessionNumber: `DEMO-${study.label.toUpperCase()}`,
        seriesDescription: 'Lung 2.5 mm',
      });
      for (const f of files) await this.ingest.ingest(f.bytes);
      const r = await this.analysis.run({ studyInstanceUid: studyUid });
      this.log.log(`demo ${study.label} study ${studyUid}: ${r.nodules} nodules, Lung-RADS ${r.lungRads}`);
    }
    this.log.log(`demo ready in ${((Date.now() - t0) / 1000).toFixed(1)} s: try POST /api/query {"text":"solid nodules larger than 6 mm"}`);
    return uids;
  }
}
