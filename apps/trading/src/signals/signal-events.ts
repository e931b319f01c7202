import { Injectable, Logger } from '@nestjs/common';
import { PubSub } from 'graphql-subscriptions';
import type { Signal } from '@suite/trading';

export const SIGNAL_GENERATED = 'signalGenerated';

/**
 * In-process pub/sub for `signalGenerated`. One service instance serves its own WebSocket clients;
 * with several replicas behind a balancer, swap in a Redis-backed PubSub with the same interface.
 */
@Injectable()
export class SignalEvents {
  readonly pubsub = new PubSub();
  private readonly logger = new Logger('signal-events');

  async publish(signals: Signal[]): Promise<void> {
    for (const s of signals) await this.pubsub.publish(SIGNAL_GENERATED, { [SIGNAL_GENERATED]: s });
    if (signals.length) this.logger.debug?.(`published ${signals.length} signal(s)`);
  }

  iterator() {
    return this.pubsub.asyncIterableIterator(SIGNAL_GENERATED);
  }
}
