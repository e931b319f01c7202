import { Module } from '@nestjs/common';
import { InferenceModule } from '@suite/inference';
import { PlatformModule } from '@suite/platform';
import { imagingEnv } from '../imaging/imaging-config';
import { ImagingModule } from '../imaging/imaging.module';

@Module({
  imports: [PlatformModule.forRoot({ service: 'imaging', defaultPort: 3003, env: imagingEnv }), InferenceModule.forRoot(), ImagingModule],
})
export class AppModule {}
