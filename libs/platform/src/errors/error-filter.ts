import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import { DomainError } from './domain-errors';

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code?: string;
  errors?: unknown;
}

/** Seconds a client should wait before retrying while the database is unreachable. */
export const DATABASE_RETRY_AFTER_S = 5;

// Prisma (P1001 cannot reach, P1002 timed out, P1017 connection closed, P2024 pool timeout) and
// PostgreSQL's connection-exception (08xxx) and shutdown (57P0x) states.
const DATABASE_CODES = new Set(['P1001', 'P1002', 'P1017', 'P2024', '57P01', '57P02', '57P03']);
// Socket failures count only inside a database error: the same codes from an outbound call
// (remote inference, a downstream system) are not the database's.
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE']);
const POOL_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Can't reach database server|did not answer within/i;

type ErrorLike = { name?: unknown; code?: unknown; message?: unknown; cause?: unknown; kind?: unknown; clientVersion?: unknown };

/**
 * True when the error (or anything in its cause chain) says the database could not be reached or
 * did not answer: a transient outage the client may retry, not a bug.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const chain: ErrorLike[] = [];
  for (let e = err as ErrorLike | undefined; e && typeof e === 'object' && !chain.includes(e); e = e.cause as ErrorLike) chain.push(e);
  const fromDatabase = chain.some((e) => e.clientVersion !== undefined || /^(Prisma|DriverAdapter)/.test(String(e.name ?? '')) || (typeof e.kind === 'string' && e.kind.length > 0));
  return chain.some((e) => {
    const code = typeof e.code === 'string' ? e.code : '';
    if (DATABASE_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
    if (typeof e.kind === 'string' && /DatabaseNotReachable|ConnectionClosed|SocketTimeout|TooManyConnections/.test(e.kind)) return true;
    if (typeof e.message === 'string' && POOL_MESSAGES.test(e.message)) return true;
    return fromDatabase && (SOCKET_CODES.has(code) || (typeof e.message === 'string' && /\bECONNREFUSED\b/.test(e.message)));
  });
}

/** Maps errors to RFC 9457 problem details over HTTP and to coded errors over GraphQL. */
export function toProblem(err: unknown): Problem {
  if (err instanceof DomainError) {
    return { type: 'about:blank', title: err.code, status: err.status, detail: err.message, code: err.code, errors: err.details };
  }
  if (err instanceof HttpException) {
    const body = err.getResponse();
    const detail = typeof body === 'string' ? body : ((body as { message?: unknown }).message ?? err.message);
    return {
      type: 'about:blank',
      title: err.name,
      status: err.getStatus(),
      detail: Array.isArray(detail) ? detail.join('; ') : String(detail),
    };
  }
  const e = err as { type?: string; status?: number; message?: string };
  // body-parser errors (entity.too.large, entity.parse.failed) carry their own status
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
    return { type: 'about:blank', title: e.type ?? 'Bad Request', status: e.status, detail: e.message ?? 'Bad request' };
  }
  if (isDatabaseUnavailable(err)) {
    return { type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'The database is unavailable; retry later', code: 'DATABASE_UNAVAILABLE' };
  }
  return { type: 'about:blank', title: 'Internal Server Error', status: 500, detail: 'Internal server error' };
}

@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('errors');

  catch(err: unknown, host: ArgumentsHost) {
    const problem = toProblem(err);
    if (problem.status >= 500) this.logger.error((err as Error)?.stack ?? String(err));
    if (host.getType<string>() === 'graphql') {
      return new GraphQLError(problem.detail, {
        extensions: { code: problem.code ?? problem.title, status: problem.status, errors: problem.errors },
      });
    }
    if (host.getType() !== 'http') throw err;
    const res = host.switchToHttp().getResponse();
    if (res.headersSent) return;
    if (problem.code === 'DATABASE_UNAVAILABLE') res.setHeader('Retry-After', String(DATABASE_RETRY_AFTER_S));
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }
}
