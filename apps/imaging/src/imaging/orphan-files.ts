import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DATABASE, SERVICE_CONFIG, type Database } from '@suite/platform';
import type { ImagingConfig } from './imaging-config';
import { FileInstanceStore, INSTANCE_STORE, type InstanceStore } from './instance-store';

/** At start, clears files a previous crash left in the store (see FileInstanceStore.sweepOrphans). */
@Injectable()
export class OrphanFiles implements OnApplicationBootstrap {
  private readonly logger = new Logger('imaging-orphans');

  constructor(
    @Inject(INSTANCE_STORE) private readonly store: InstanceStore,
    @Inject(DATABASE) private readonly db: Database,
    @Inject(SERVICE_CONFIG) private readonly config: ImagingConfig,
  ) {}

  onApplicationBootstrap() {
    if (!(this.store instanceof FileInstanceStore)) return;
    // in the background: a large store must not hold up readiness
    void this.sweep().catch((e: Error) => this.logger.warn(`orphan sweep failed: ${e.message}`));
  }

  async sweep() {
    if (!(this.store instanceof FileInstanceStore)) return undefined;
    const result = await this.store.sweepOrphans(async (keys) => {
      const rows = await this.db.prisma.imagingInstance.findMany({ where: { storageKey: { in: keys } }, select: { storageKey: true } });
      return new Set(rows.map((r) => r.storageKey));
    }, this.config.IMAGING_ORPHAN_AGE_MINUTES * 60_000);
    if (result.temporaryRemoved || result.unindexedRemoved) this.logger.log(`removed ${result.temporaryRemoved} temporary and ${result.unindexedRemoved} unindexed file(s) left by a crash`);
    return result;
  }
}
