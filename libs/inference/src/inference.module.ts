import { Controller, Get, Global, Logger, Module, Param, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { NotFoundError, SERVICE_CONFIG, type ServiceConfig } from '@suite/platform';
import { KServeV2Backend, parseRemoteModels } from './backend/kserve-v2-backend';
import { ModelRegistry } from './registry/model-registry';

@ApiTags('models')
@ApiBearerAuth()
@Controller('api/models')
export class ModelsController {
  constructor(private readonly registry: ModelRegistry) {}

  /** Every model in the registry with its card. */
  @Get()
  list() {
    return this.registry.list().map((name) => {
      try {
        const card = this.registry.loadCard(name);
        return { name, version: card.version, task: card.task, metrics: card.metrics, int8: card.int8?.measured ?? null, status: 'ok' };
      } catch (err) {
        return { name, status: 'refused', error: (err as Error).message };
      }
    });
  }

  /** Monitoring alerts (drift, live quality) of the models loaded in this process. */
  @Get('alerts')
  async alerts() {
    const models = await this.registry.loadedModels();
    return models.flatMap((m) => m.monitor.alerts()).sort((a, b) => b.at.localeCompare(a.at));
  }

  /** PSI of each input and output against the card's reference (models loaded in this process). */
  @Get(':name/drift')
  async drift(@Param('name') name: string) {
    if (!this.registry.list().includes(name)) throw new NotFoundError(`No model ${name}`);
    const model = await this.registry.get(name);
    model.monitor.checkDrift(model.driftReport());
    return { model: name, version: model.version, provider: model.provider, precision: model.precision, features: model.driftReport(), liveQuality: model.monitor.liveQuality() ?? null, alerts: model.monitor.alerts() };
  }
}

@Global()
@Module({})
export class InferenceModule implements OnApplicationShutdown {
  constructor(private readonly registry: ModelRegistry) {}

  /** Serves models from MODELS_DIR (default models/) on INFERENCE_DEVICE (auto|cpu|cuda). */
  static forRoot(): DynamicModule {
    return {
      module: InferenceModule,
      controllers: [ModelsController],
      providers: [
        {
          provide: ModelRegistry,
          inject: [SERVICE_CONFIG],
          useFactory: (config: ServiceConfig) => {
            const logger = new Logger('inference');
            const precision = process.env.INFERENCE_PRECISION as 'auto' | 'fp32' | 'int8' | undefined;
            const backends = Object.fromEntries(Object.entries(parseRemoteModels(process.env.INFERENCE_REMOTE)).map(([model, url]) => [model, new KServeV2Backend(url)]));
            return new ModelRegistry({ onAlert: (alert) => logger.warn(alert.message), modelsDir: config.MODELS_DIR, device: config.INFERENCE_DEVICE, precision, backends, log: (msg) => logger.log(msg) });
          },
        },
      ],
      exports: [ModelRegistry],
    };
  }

  async onApplicationShutdown() {
    await this.registry.close();
  }
}
