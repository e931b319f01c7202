import { Inject, type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { SERVICE_CONFIG } from '@suite/platform';
import { rawBodyParser } from './http-types';
import { join } from 'node:path';
import { AnalysisService } from './analysis.service';
import { DemoSeeder } from './demo-seeder';
import { DicomwebPull } from './dicomweb-pull';
import { DicomwebController } from './dicomweb.controller';
import type { ImagingConfig } from './imaging-config';
import { IngestService } from './ingest.service';
import { FileInstanceStore, INSTANCE_STORE } from './instance-store';
import { InstancesController } from './instances.controller';
import { OrphanFiles } from './orphan-files';
import { QidoService } from './qido.service';
import { StudiesController } from './studies.controller';
import { StudyFiles } from './study-files';

@Module({
  controllers: [DicomwebController, InstancesController, StudiesController],
  providers: [
    {
      provide: INSTANCE_STORE,
      useFactory: (cfg: ImagingConfig) => new FileInstanceStore(cfg.IMAGING_STORE_DIR ?? join(cfg.DATA_DIR, 'imaging', 'instances')),
      inject: [SERVICE_CONFIG],
    },
    IngestService,
    QidoService,
    StudyFiles,
    AnalysisService,
    DicomwebPull,
    DemoSeeder,
    OrphanFiles,
  ],
  // retention removes the files of expired studies through the same store
  exports: [INSTANCE_STORE],
})
export class ImagingModule implements NestModule {
  constructor(@Inject(SERVICE_CONFIG) private readonly config: ImagingConfig) {}

  /** DICOM bodies arrive raw (application/dicom, multipart/related); JSON stays with the platform parser. */
  configure(consumer: MiddlewareConsumer) {
    consumer
      .apply(rawBodyParser({ type: ['application/dicom', 'application/octet-stream', 'multipart/related'], limit: this.config.IMAGING_UPLOAD_LIMIT }))
      .forRoutes('dicomweb/studies', 'dicomweb/studies/*path', 'api/instances');
  }
}

