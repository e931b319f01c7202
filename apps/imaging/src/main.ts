import { bootstrapService } from '@suite/platform';
import { AppModule } from './app/app.module';

void bootstrapService(AppModule, { title: 'DICOM lung nodules' });
