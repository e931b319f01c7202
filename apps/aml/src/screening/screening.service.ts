import { Inject, Injectable, Logger } from '@nestjs/common';
import { NameScreener, parseSanctionsList, SanctionsListError, type SanctionsEntry, type ScreeningMatch } from '@suite/aml';
import { AuditService, DATABASE, SERVICE_CONFIG, ValidationError, type Database } from '@suite/platform';
import { existsSync, readFileSync } from 'node:fs';
import type { AmlConfig } from '../app/aml-config';
import { repoPath } from '../app/repo-path';

export const DEMO_SANCTIONS_LIST = 'data/aml/sanctions-demo.jsonl';

/** Screens party names against the stored sanctions list; loads the demo list when none is stored. */
@Injectable()
export class ScreeningService {
  private readonly log = new Logger('screening');
  private screener = new NameScreener([]);
  private listName = 'none';

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(SERVICE_CONFIG) private readonly config: AmlConfig,
    private readonly audit: AuditService,
  ) {}

  async init(): Promise<void> {
    const stored = await this.db.prisma.amlSanctionsEntry.findMany({ orderBy: { id: 'asc' } });
    if (stored.length) {
      this.screener = new NameScreener(stored);
      this.listName = stored[0].listName;
      return;
    }
    const path = this.config.AML_SANCTIONS_LIST ?? repoPath(DEMO_SANCTIONS_LIST);
    if (!existsSync(path)) {
      this.log.warn(`no sanctions list stored and ${path} not found: screening matches nothing`);
      return;
    }
    await this.replaceList(parseSanctionsList(readFileSync(path, 'utf8')), path.split('/').pop() ?? path, 'system');
  }

  /** Replaces the list (admin upload) and rebuilds the screener. */
  async replaceList(entries: SanctionsEntry[], listName: string, actor: string): Promise<{ entries: number; listName: string }> {
    if (!entries.length) throw new ValidationError('the sanctions list has no named entries');
    await this.db.prisma.$transaction([
      this.db.prisma.amlSanctionsEntry.deleteMany({}),
      this.db.prisma.amlSanctionsEntry.createMany({ data: entries.map((e) => ({ ...e, listName })) }),
    ]);
    this.screener = new NameScreener(entries);
    this.listName = listName;
    await this.audit.append({ actor, action: 'sanctions.list_loaded', subject: `sanctions-list:${listName}`, detail: { entries: entries.length } });
    this.log.log(`sanctions list ${listName}: ${entries.length} entries`);
    return { entries: entries.length, listName };
  }

  parseUpload(text: string): SanctionsEntry[] {
    try {
      return parseSanctionsList(text);
    } catch (e) {
      if (e instanceof SanctionsListError) throw new ValidationError(e.message);
      throw e;
    }
  }

  screen(name: string, minScore?: number, limit?: number): ScreeningMatch[] {
    return this.screener.screen(name, minScore, limit);
  }

  /** Best match score of a party name (0 when absent or unlike any entry). */
  score(name?: string | null): number {
    return this.screener.bestScore(name);
  }

  info() {
    return { listName: this.listName, entries: this.screener.size };
  }
}
