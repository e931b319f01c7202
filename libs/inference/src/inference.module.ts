import { Body, Controller, Get, Global, HttpCode, Logger, Module, Param, Post, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AuditService, ConflictError, CurrentPrincipal, NotFoundError, Roles, SERVICE_CONFIG, ValidationError, type Principal, type ServiceConfig } from '@suite/platform';
import { reviewPromotion } from './lifecycle/promotion';
import type { Stage } from './lifecycle/model-versions';
import { KServeV2Backend, parseRemoteModels } from './backend/kserve-v2-backend';
import { ModelRegistry } from './registry/model-registry';

@ApiTags('models')
@ApiBearerAuth()
@Controller('api/models')
export class ModelsController {
  constructor(
    private readonly registry: ModelRegistry,
    private readonly audit: AuditService,
  ) {}

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

  /** Versions of a model with their stage and held-out metrics, and the shadow's live agreement. */
  @Get(':name/versions')
  async versions(@Param('name') name: string) {
    if (!this.registry.list().includes(name)) throw new NotFoundError(`No model ${name}`);
    const loaded = (await this.registry.loadedModels()).find((m) => m.name === name);
    return {
      model: name,
      versions: this.registry.versions(name).list().map((v) => ({ version: v.version, stage: v.stage, metrics: v.card.metrics.heldout ?? {}, training: v.card.training ?? null })),
      shadow: loaded?.shadowReport() ?? null,
    };
  }

  /** Moves a version to candidate, shadow or retired (audited). */
  @Roles('supervisor', 'admin')
  @Post(':name/versions/:version/stage')
  @HttpCode(200)
  async setStage(@Param('name') name: string, @Param('version') version: string, @Body() body: { stage?: Stage; reason?: string }, @CurrentPrincipal() who: Principal) {
    if (!body?.stage || !['candidate', 'shadow', 'retired'].includes(body.stage)) throw new ValidationError('stage must be candidate, shadow or retired (use /promote for production)');
    const v = this.registry.versions(name).setStage(version, body.stage as Exclude<Stage, 'production'>, who.name, body.reason);
    await this.audit.append({ actor: who.name, action: 'model.stage', subject: `model:${name}@${version}`, reason: body.reason, detail: { stage: body.stage } });
    await this.registry.reload(name);
    return { version: v.version, stage: v.stage };
  }

  /**
   * Promotes a version to production after scoring it against production on production's held-out
   * set; refused (409) when it is worse beyond the card's tolerance. Rollback = promote the old one.
   */
  @Roles('supervisor', 'admin')
  @Post(':name/versions/:version/promote')
  @HttpCode(200)
  async promote(@Param('name') name: string, @Param('version') version: string, @Body() body: { reason?: string }, @CurrentPrincipal() who: Principal) {
    const versions = this.registry.versions(name);
    const candidate = versions.get(version);
    const production = versions.list().find((v) => v.stage === 'production');
    if (!production) throw new NotFoundError(`${name} has no production version`);
    const review = await reviewPromotion(candidate, production);
    await this.audit.append({ actor: who.name, action: review.allowed ? 'model.promote' : 'model.promote.refused', subject: `model:${name}@${version}`, reason: body?.reason, detail: review });
    if (!review.allowed) throw new ConflictError(`Promotion of ${name} ${version} refused: worse than production ${production.version} on its held-out set`, review);
    const result = versions.promote(version, who.name, body?.reason);
    await this.registry.reload(name);
    return { ...result, review };
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
