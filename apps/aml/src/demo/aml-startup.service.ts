import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { parseIso20022 } from '@suite/aml';
import { AuthService, DATABASE, SERVICE_CONFIG, type Database } from '@suite/platform';
import { existsSync, readFileSync } from 'node:fs';
import type { AmlConfig } from '../app/aml-config';
import { repoPath } from '../app/repo-path';
import { CaseGrouper } from '../cases/case-grouper.service';
import { RulesService } from '../rules/rules.service';
import { DecisionService } from '../scoring/decision.service';
import { ModelTrack } from '../scoring/model-track.service';
import { ScreeningService } from '../screening/screening.service';
import { CsvImportService } from '../transactions/csv-import.service';

export const DEMO_USERS = [
  { username: 'analyst', role: 'analyst', displayName: 'Alex Analyst' },
  { username: 'analyst2', role: 'analyst', displayName: 'Sam Second-Analyst' },
  { username: 'supervisor', role: 'supervisor', displayName: 'Pat Supervisor' },
  { username: 'admin', role: 'admin', displayName: 'Ada Admin' },
] as const;
export const DEFAULT_DEMO_PASSWORD = 'demo-password-1';

/**
 * Start-up in order: rule set and sanctions list ready, model loaded (a bad card stops the
 * service), feature windows rebuilt from stored history, then the demo bank when enabled
 * (not in production): users, a few thousand generated AMLworld transactions with laundering
 * patterns, and a pacs.008 message paying a listed party, so alerts and cases exist at first login.
 */
@Injectable()
export class AmlStartup implements OnApplicationBootstrap {
  private readonly log = new Logger('aml');

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(SERVICE_CONFIG) private readonly config: AmlConfig,
    private readonly rules: RulesService,
    private readonly screening: ScreeningService,
    private readonly model: ModelTrack,
    private readonly decisions: DecisionService,
    private readonly imports: CsvImportService,
    private readonly auth: AuthService,
    private readonly cases: CaseGrouper,
  ) {}

  async onApplicationBootstrap() {
    await this.rules.init();
    await this.screening.init();
    await this.model.load();
    await this.decisions.rebuildState();
    await this.cases.flush(); // alerts left unfiled by a previous run
    if (this.config.NODE_ENV === 'production') return;
    const password = this.config.DEMO_PASSWORD ?? DEFAULT_DEMO_PASSWORD;
    for (const u of DEMO_USERS) await this.auth.ensureUser(u.username, password, u.role, u.displayName);
    if (!this.config.DEMO_PASSWORD) this.log.warn(`demo users ${DEMO_USERS.map((u) => u.username).join(', ')} use the default password "${DEFAULT_DEMO_PASSWORD}" (set DEMO_PASSWORD)`);
    if (this.config.AML_DEMO_SEED === 'true' && !(await this.db.prisma.amlTransaction.count())) await this.seedDemoBank();
  }

  private async seedDemoBank() {
    const csv = repoPath('data/aml/demo-bank.csv');
    if (!existsSync(csv)) return this.log.warn(`${csv} not found: no demo transactions`);
    const started = Date.now();
    const summary = await this.imports.importFile({ path: csv, idPrefix: 'demo', filename: 'demo-bank.csv', source: 'demo' }, { progress: async () => undefined });
    const xml = repoPath('data/aml/demo-pacs008.xml');
    if (existsSync(xml)) await this.decisions.decide(parseIso20022(readFileSync(xml, 'utf8')), 'iso20022');
    await this.cases.flush();
    const cases = await this.db.prisma.amlCase.count();
    this.log.log(`demo bank seeded: ${summary.decided} transactions, ${summary.alerts} alerts, ${cases} cases in ${Date.now() - started} ms`);
  }
}
