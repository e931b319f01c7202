import { bootstrapService } from '@suite/platform';
import { AppModule } from './app/app.module';

void bootstrapService(AppModule, { title: 'AML risk control' });
