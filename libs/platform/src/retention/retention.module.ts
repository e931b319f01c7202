import { type DynamicModule, type InjectionToken, Module, type ModuleMetadata } from '@nestjs/common';
import { RetentionController } from './retention.controller';
import { validatePolicies, type RetentionPolicy } from './retention-policy';
import { RETENTION_POLICIES, RetentionService } from './retention.service';

export interface RetentionModuleOptions {
  /** Modules providing what `inject` names (e.g. the imaging instance store). */
  imports?: ModuleMetadata['imports'];
  inject?: InjectionToken[];
  /** The service's policies, built from the injected dependencies. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  policies: (...deps: any[]) => RetentionPolicy[];
}

/**
 * Retention for one service: `RetentionModule.forRoot({ policies: () => amlRetentionPolicies() })`
 * next to PlatformModule.forRoot in the app module. Adds GET /api/admin/retention.
 */
@Module({})
export class RetentionModule {
  static forRoot(options: RetentionModuleOptions): DynamicModule {
    return {
      module: RetentionModule,
      imports: options.imports ?? [],
      controllers: [RetentionController],
      providers: [
        { provide: RETENTION_POLICIES, useFactory: (...deps: unknown[]) => validatePolicies(options.policies(...deps)), inject: options.inject ?? [] },
        RetentionService,
      ],
      exports: [RetentionService],
    };
  }
}
