import { HttpException } from '@nestjs/common';
import { isDatabaseUnavailable, toProblem } from './error-filter';
import { NotFoundError } from './domain-errors';

const withCause = (message: string, cause: unknown, extra: Record<string, unknown> = {}) => Object.assign(new Error(message, { cause }), extra);

describe('database outages are told apart from bugs', () => {
  it('recognises Prisma, PostgreSQL and pool errors of an unreachable or silent database', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error("Can't reach database server at 127.0.0.1:5432"), { code: 'P1001', clientVersion: '7.10.0' }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('the database system is shutting down'), { code: '57P03' }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('connection failure'), { code: '08006' }))).toBe(true);
    expect(isDatabaseUnavailable(withCause('query failed', new Error('Connection terminated unexpectedly')))).toBe(true);
    expect(isDatabaseUnavailable(withCause('query failed', new Error('timeout exceeded when trying to connect')))).toBe(true);
    // a refused socket inside a driver-adapter error is the database's
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(isDatabaseUnavailable(withCause('adapter', refused, { name: 'DriverAdapterError' }))).toBe(true);
  });

  it('does not blame the database for other failures', () => {
    expect(isDatabaseUnavailable(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBe(false);
    // the same socket code from an outbound call (a remote model server) is not a database outage
    expect(isDatabaseUnavailable(withCause('fetch failed', Object.assign(new Error('connect ECONNREFUSED 10.0.0.9:8000'), { code: 'ECONNREFUSED' })))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('Unique constraint failed'), { code: 'P2002', clientVersion: '7.10.0' }))).toBe(false);
    const cyclic: { message: string; cause?: unknown } = { message: 'loop' };
    cyclic.cause = cyclic;
    expect(isDatabaseUnavailable(cyclic)).toBe(false);
  });

  it('maps an outage to 503 problem details and keeps the other mappings', () => {
    expect(toProblem(Object.assign(new Error('x'), { code: 'P2024', clientVersion: '7.10.0' }))).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE' });
    expect(toProblem(new Error('boom'))).toMatchObject({ status: 500, detail: 'Internal server error' });
    expect(toProblem(new NotFoundError('No case 7'))).toMatchObject({ status: 404, detail: 'No case 7' });
    expect(toProblem(new HttpException('Too big', 413))).toMatchObject({ status: 413, detail: 'Too big' });
  });
});
