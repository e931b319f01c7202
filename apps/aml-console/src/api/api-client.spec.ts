import { ApiClient, ApiError, queryString } from './api-client';

describe('ApiClient', () => {
  const realFetch = globalThis.fetch;
  let answer: () => Response;
  let seen: { url: string; init: RequestInit }[];
  beforeEach(() => {
    seen = [];
    globalThis.fetch = (async (url: string, init: RequestInit) => {
      seen.push({ url, init });
      return answer();
    }) as typeof fetch;
  });
  afterAll(() => {
    globalThis.fetch = realFetch;
  });

  it('sends the bearer token and JSON, and reads JSON back', async () => {
    const api = new ApiClient();
    api.setToken('st_abc');
    answer = () => new Response(JSON.stringify({ ok: 1 }), { headers: { 'content-type': 'application/json' } });
    await expect(api.patch('/api/cases/1', { assignee: 'analyst' })).resolves.toEqual({ ok: 1 });
    const h = seen[0].init.headers as Record<string, string>;
    expect(h.Authorization).toBe('Bearer st_abc');
    expect(h['Content-Type']).toBe('application/json');
    expect(seen[0].init.body).toBe('{"assignee":"analyst"}');
  });

  it("turns problem details into an ApiError with the service's words", async () => {
    const api = new ApiClient();
    answer = () =>
      new Response(JSON.stringify({ status: 400, title: 'Bad Request', detail: 'invalid body: body.narrative too short', errors: [{ path: 'body.narrative', message: 'too short' }] }), {
        status: 400,
        headers: { 'content-type': 'application/problem+json' },
      });
    const e = (await api.post('/api/cases/1/sar', { narrative: 'x' }).catch((x) => x)) as ApiError;
    expect(e).toBeInstanceOf(ApiError);
    expect([e.status, e.message, e.errors]).toEqual([400, 'invalid body: body.narrative too short', [{ path: 'body.narrative', message: 'too short' }]]);
  });

  it('ends the session on a 401 only when one was open', async () => {
    const api = new ApiClient();
    let ended = 0;
    api.handleUnauthorized(() => ended++);
    answer = () => new Response(JSON.stringify({ status: 401, title: 'Unauthorized', detail: 'Invalid username or password' }), { status: 401 });
    await expect(api.post('/api/auth/login', {})).rejects.toThrow('Invalid username or password');
    expect(ended).toBe(0);
    api.setToken('st_old');
    await expect(api.get('/api/cases')).rejects.toBeInstanceOf(ApiError);
    expect(ended).toBe(1);
  });

  it('says when the service cannot be reached', async () => {
    const api = new ApiClient();
    globalThis.fetch = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof fetch;
    const e = (await api.get('/api/cases').catch((x) => x)) as ApiError;
    expect([e.status, e.title]).toEqual([0, 'Network error']);
  });

  it('builds query strings from the set values only', () => {
    expect(queryString({ status: 'open', assignee: '', page: 2, x: undefined, y: null, mine: false })).toBe('?status=open&page=2&mine=false');
    expect(queryString({})).toBe('');
  });
});
