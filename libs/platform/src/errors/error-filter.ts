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
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }
}
