import { createHash } from 'node:crypto';

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets per client (bearer credential, else address): `rate` requests per second with
 * bursts up to `burst`. A client over its budget gets 429 with Retry-After; others are unaffected.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private lastSweep = Date.now();

  constructor(
    private readonly rate: number,
    private readonly burst: number,
  ) {}

  /** Seconds to wait, or 0 when the request may pass. */
  take(client: string, now = Date.now()): number {
    if (this.rate <= 0) return 0;
    if (now - this.lastSweep > 60_000) this.sweep(now);
    const b = this.buckets.get(client) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.rate);
    b.at = now;
    this.buckets.set(client, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - b.tokens) / this.rate);
  }

  private sweep(now: number) {
    this.lastSweep = now;
    for (const [k, b] of this.buckets) if (now - b.at > 60_000) this.buckets.delete(k);
  }
}

const EXEMPT = /^\/(health|metrics)(\/|$)/;

export function rateLimitMiddleware(limiter: RateLimiter) {
  return (req: { url: string; headers: Record<string, string | undefined>; socket?: { remoteAddress?: string } }, res: { status(c: number): { setHeader?: unknown }; setHeader(k: string, v: string): void; end(body: string): void; statusCode: number }, next: () => void) => {
    if (EXEMPT.test(req.url)) return next();
    const auth = req.headers.authorization;
    const client = auth ? `k:${createHash('sha256').update(auth).digest('hex').slice(0, 16)}` : `ip:${req.socket?.remoteAddress ?? '?'}`;
    const wait = limiter.take(client);
    if (!wait) return next();
    res.statusCode = 429;
    res.setHeader('Retry-After', String(wait));
    res.setHeader('Content-Type', 'application/problem+json');
    res.end(JSON.stringify({ type: 'about:blank', title: 'Too Many Requests', status: 429, detail: `Rate limit exceeded; retry after ${wait}s` }));
  };
}
