import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { createPubSub, SERVICE_CONFIG, type ServiceConfig } from '@suite/platform';
import type { Signal } from '@suite/trading';

export const SIGNAL_GENERATED = 'signalGenerated';

/**
 * Pub/sub for `signalGenerated`. With REDIS_URL every replica relays every signal to its own
 * WebSocket clients, so a researcher sees the same stream whichever replica the balancer chose;
 * without it, one process serves its own clients.
 */
@Injectable()
export class SignalEvents implements OnModuleDestroy {
  readonly pubsub;
  private readonly logger = new Logger('signal-events');

  constructor(@Inject(SERVICE_CONFIG) config: ServiceConfig) {
    this.pubsub = createPubSub(config.REDIS_URL, `suite:${config.service}:`);
  }

  async publish(signals: Signal[]): Promise<void> {
    for (const s of signals) await this.pubsub.publish(SIGNAL_GENERATED, { [SIGNAL_GENERATED]: s });
    if (signals.length) this.logger.debug?.(`published ${signals.length} signal(s)`);
  }

  iterator() {
    return this.pubsub.asyncIterableIterator(SIGNAL_GENERATED);
  }

  async onModuleDestroy() {
    await this.pubsub.close?.();
  }
}
