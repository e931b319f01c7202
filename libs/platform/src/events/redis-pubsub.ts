import IORedis, { type Redis } from 'ioredis';
import { PubSub, PubSubEngine } from 'graphql-subscriptions';

type Handler = { channel: string; onMessage: (payload: unknown) => void };

/**
 * GraphQL subscriptions across replicas: every event is published on a Redis channel, and every
 * replica relays the channels its own WebSocket clients listen to. Payloads travel as JSON, so
 * they must be plain data (numbers, strings, arrays, objects). One connection publishes and one
 * listens (a Redis connection in subscriber mode cannot publish).
 */
export class RedisPubSub extends PubSubEngine {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly handlers = new Map<number, Handler>();
  private readonly listeners = new Map<string, Set<number>>();
  private nextId = 0;

  constructor(
    url: string,
    /** Channel prefix, so services and deployments sharing one Redis do not hear each other. */
    private readonly prefix: string,
  ) {
    super();
    this.publisher = new IORedis(url, { maxRetriesPerRequest: 3 });
    this.subscriber = new IORedis(url);
    this.subscriber.on('message', (channel: string, message: string) => this.relay(channel, message));
  }

  private relay(channel: string, message: string) {
    const ids = this.listeners.get(channel);
    if (!ids?.size) return;
    const payload: unknown = JSON.parse(message);
    for (const id of ids) this.handlers.get(id)?.onMessage(payload);
  }

  async publish(trigger: string, payload: unknown): Promise<void> {
    await this.publisher.publish(this.prefix + trigger, JSON.stringify(payload));
  }

  async subscribe(trigger: string, onMessage: (payload: unknown) => void): Promise<number> {
    const channel = this.prefix + trigger;
    const id = ++this.nextId;
    this.handlers.set(id, { channel, onMessage });
    const ids = this.listeners.get(channel) ?? new Set<number>();
    this.listeners.set(channel, ids);
    ids.add(id);
    if (ids.size === 1) await this.subscriber.subscribe(channel);
    return id;
  }

  async unsubscribe(id: number): Promise<void> {
    const h = this.handlers.get(id);
    if (!h) return;
    this.handlers.delete(id);
    const ids = this.listeners.get(h.channel);
    ids?.delete(id);
    if (ids && ids.size === 0) {
      this.listeners.delete(h.channel);
      await this.subscriber.unsubscribe(h.channel);
    }
  }

  async close(): Promise<void> {
    this.handlers.clear();
    this.listeners.clear();
    await Promise.allSettled([this.publisher.quit(), this.subscriber.quit()]);
  }
}

/** Redis-backed when the deployment has REDIS_URL (several replicas), in-process otherwise. */
export function createPubSub(redisUrl: string | undefined, prefix: string): PubSubEngine & { close?: () => Promise<void> } {
  return redisUrl ? new RedisPubSub(redisUrl, prefix) : new PubSub();
}
