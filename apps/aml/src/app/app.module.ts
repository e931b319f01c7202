import { Module } from '@nestjs/common';
import { InferenceModule } from '@suite/inference';
import { amlRetentionPolicies } from '@suite/aml';
import { PlatformModule, RetentionModule } from '@suite/platform';
import { AlertsController } from '../alerts/alerts.controller';
import { CaseGrouper } from '../cases/case-grouper.service';
import { CasesController } from '../cases/cases.controller';
import { CasesService } from '../cases/cases.service';
import { ConsoleModule } from '../console/console.module';
import { AmlStartup } from '../demo/aml-startup.service';
import { MonitoringController } from '../monitoring/monitoring.controller';
import { RulesController } from '../rules/rules.controller';
import { RulesService } from '../rules/rules.service';
import { SarController } from '../sar/sar.controller';
import { SarService } from '../sar/sar.service';
import { DecisionService } from '../scoring/decision.service';
import { historyStoreProvider } from '../scoring/history-store.provider';
import { ModelTrack } from '../scoring/model-track.service';
import { ScreeningController } from '../screening/screening.controller';
import { ScreeningService } from '../screening/screening.service';
import { CsvImportService } from '../transactions/csv-import.service';
import { TransactionsController } from '../transactions/transactions.controller';
import { AML_ENV } from './aml-config';

/**
 * The AML service. Flow: TransactionsController -> DecisionService (features from libs/aml,
 * ModelTrack through libs/inference, RulesService's json-rules-engine track, ScreeningService,
 * reconciliation) -> stored decision and alert; CaseGrouper files alerts into cases. Case work, SARs, rules and monitoring are
 * their own controllers; AmlStartup readies everything and seeds the demo bank; ConsoleModule serves
 * the analysts' console build (apps/aml-console/dist) at `/` when there is one.
 */
@Module({
  imports: [
    PlatformModule.forRoot({ service: 'aml', defaultPort: 3000, env: AML_ENV }),
    RetentionModule.forRoot({ policies: amlRetentionPolicies }),
    InferenceModule.forRoot(),
    ConsoleModule,
  ],
  controllers: [TransactionsController, AlertsController, CasesController, SarController, RulesController, ScreeningController, MonitoringController],
  providers: [historyStoreProvider, ModelTrack, CaseGrouper, RulesService, ScreeningService, DecisionService, CsvImportService, CasesService, SarService, AmlStartup],
  exports: [DecisionService, CsvImportService, CaseGrouper],
})
export class AppModule {}
