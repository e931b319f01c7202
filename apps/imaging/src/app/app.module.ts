import { Module } from '@nestjs/common';
import { InferenceModule } from '@suite/inference';
import { imagingStudyRetention } from '@suite/imaging';
import { PlatformModule, RetentionModule } from '@suite/platform';
import { imagingEnv } from '../imaging/imaging-config';
import { ImagingModule } from '../imaging/imaging.module';
import { INSTANCE_STORE, type InstanceStore } from '../imaging/instance-store';

@Module({
  imports: [
    PlatformModule.forRoot({ service: 'imaging', defaultPort: 3003, env: imagingEnv }),
    InferenceModule.forRoot(),
    ImagingModule,
    RetentionModule.forRoot({
      imports: [ImagingModule],
      inject: [INSTANCE_STORE],
      policies: (store: InstanceStore) => [imagingStudyRetention((keys) => store.removeAll(keys))],
    }),
  ],
})
export class AppModule {}
