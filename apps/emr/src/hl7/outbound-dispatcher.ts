import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DATABASE, SERVICE_CONFIG, type Database } from '@suite/platform';
import { Hl7Message, sendMllp } from '@suite/hl7';
import type { ConnectionOptions } from 'node:tls';
import type { EmrConfig } from '../app/emr-config';
import { downstreamTls } from './mllp-tls';

/**
 * Delivers queued ORU^R01 results to EMR_DOWNSTREAM over MLLP (over TLS with EMR_DOWNSTREAM_TLS_CA). A row is claimed by moving its
 * nextAttemptAt forward (so two processes never send it at once); an AA/CA reply marks it sent;
 * anything else is retried with exponential backoff, and after EMR_OUTBOUND_MAX_ATTEMPTS the row
 * moves to the dead-letter table in one transaction.
 */
@Injectable()
export class OutboundDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('outbound');
  private timer?: NodeJS.Timeout;
  private running = false;
  private stopped = false;
  private readonly tls?: ConnectionOptions;

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(SERVICE_CONFIG) private readonly config: EmrConfig,
  ) {
    this.tls = downstreamTls(config);
  }

  onApplicationBootstrap() {
    if (!this.config.EMR_DOWNSTREAM) return;
    this.timer = setInterval(() => void this.drain(), this.config.EMR_OUTBOUND_POLL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown() {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    while (this.running) await new Promise((r) => setTimeout(r, 20));
  }

  /** One pass over due rows; returns how many were delivered (exposed for tests). */
  async drain(): Promise<number> {
    if (this.running || this.stopped || !this.config.EMR_DOWNSTREAM) return 0;
    this.running = true;
    let sent = 0;
    try {
      const [host, port] = [this.config.EMR_DOWNSTREAM.replace(/:\d+$/, ''), Number(this.config.EMR_DOWNSTREAM.split(':').pop())];
      const due = await this.db.prisma.emrOutbound.findMany({ where: { status: 'pending', nextAttemptAt: { lte: new Date() } }, orderBy: { createdAt: 'asc' }, take: 20 });
      for (const row of due) {
        if (this.stopped) break;
        const lease = new Date(Date.now() + 60_000);
        const claimed = await this.db.prisma.emrOutbound.updateMany({ where: { id: row.id, status: 'pending', nextAttemptAt: row.nextAttemptAt }, data: { nextAttemptAt: lease } });
        if (claimed.count !== 1) continue;
        let error: string | undefined;
        try {
          const reply = Hl7Message.parse(await sendMllp(host, port, row.payload, 10_000, this.tls));
          const code = reply.getSegment('MSA')?.getField(1);
          if (code !== 'AA' && code !== 'CA') error = `downstream answered ${code ?? 'without MSA'}: ${reply.getSegment('MSA')?.getComponent(3) ?? ''}`;
        } catch (err) {
          error = (err as Error).message;
        }
        if (!error) {
          await this.db.prisma.emrOutbound.update({ where: { id: row.id }, data: { status: 'sent', sentAt: new Date(), attempts: row.attempts + 1, lastError: null } });
          sent++;
          continue;
        }
        const attempts = row.attempts + 1;
        if (attempts >= this.config.EMR_OUTBOUND_MAX_ATTEMPTS) {
          await this.db.prisma.$transaction([
            this.db.prisma.emrDeadLetter.create({ data: { controlId: row.controlId, sourceControlId: row.sourceControlId, noteId: row.noteId, payload: row.payload, attempts, lastError: error } }),
            this.db.prisma.emrOutbound.delete({ where: { id: row.id } }),
          ]);
          this.log.error(`ORU ${row.controlId} dead-lettered after ${attempts} attempts: ${error}`);
        } else {
          const delay = this.config.EMR_OUTBOUND_RETRY_MS * 2 ** (attempts - 1);
          await this.db.prisma.emrOutbound.update({ where: { id: row.id }, data: { attempts, lastError: error, nextAttemptAt: new Date(Date.now() + delay) } });
        }
      }
    } catch (err) {
      this.log.error(`outbound pass failed: ${(err as Error).message}`);
    } finally {
      this.running = false;
    }
    return sent;
  }
}
