/** A problem reported by the AML service (application/problem+json) or by the network. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
    readonly errors: Array<{ path?: string; message: string }> = [],
  ) {
    super(message);
  }
}

export interface SessionUser {
  id: string;
  username: string;
  role: string;
}

export interface Session {
  token: string;
  expiresAt: string;
  user: SessionUser;
}

type Body = unknown;

/**
 * The one way the console talks to the service: every call carries the session's bearer token,
 * a 401 ends the session (expired, revoked or logged out elsewhere), and problem details become
 * ApiError with the service's own words, so the UI shows exactly what the API refused and why.
 */
export class ApiClient {
  private token: string | null = null;
  private onUnauthorized: () => void = () => undefined;

  setToken(token: string | null) {
    this.token = token;
  }

  /** Called once per 401 on an authenticated call. */
  handleUnauthorized(listener: () => void) {
    this.onUnauthorized = listener;
  }

  async raw(method: string, path: string, body?: Body, headers: Record<string, string> = {}): Promise<Response> {
    const h: Record<string, string> = { Accept: 'application/json', ...headers };
    if (this.token) h.Authorization = `Bearer ${this.token}`;
    let payload: BodyInit | undefined;
    if (body instanceof Blob || typeof body === 'string') payload = body;
    else if (body !== undefined) {
      h['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    let res: Response;
    try {
      res = await fetch(path, { method, headers: h, body: payload });
    } catch (e) {
      throw new ApiError(0, 'Network error', `The AML service did not answer (${(e as Error).message}). Check your connection and retry.`);
    }
    if (res.status === 401 && this.token) {
      this.onUnauthorized();
    }
    if (!res.ok) throw await problemOf(res);
    return res;
  }

  async request<T>(method: string, path: string, body?: Body, headers?: Record<string, string>): Promise<T> {
    const res = await this.raw(method, path, body, headers);
    if (res.status === 204) return undefined as T;
    const type = res.headers.get('content-type') ?? '';
    return (type.includes('json') ? await res.json() : await res.text()) as T;
  }

  get<T>(path: string, query?: Record<string, string | number | boolean | undefined | null>): Promise<T> {
    return this.request<T>('GET', path + queryString(query));
  }

  post<T>(path: string, body?: Body, headers?: Record<string, string>): Promise<T> {
    return this.request<T>('POST', path, body, headers);
  }

  patch<T>(path: string, body: Body): Promise<T> {
    return this.request<T>('PATCH', path, body);
  }

  put<T>(path: string, body: Body): Promise<T> {
    return this.request<T>('PUT', path, body);
  }
}

/** `?a=1&b=x` from the defined, non-empty values. */
export function queryString(query?: Record<string, string | number | boolean | undefined | null>): string {
  if (!query) return '';
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

async function problemOf(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => '');
  try {
    const p = JSON.parse(text) as { title?: string; detail?: string; message?: string | string[]; errors?: Array<{ path?: string; message: string }> };
    const detail = p.detail ?? (Array.isArray(p.message) ? p.message.join('; ') : p.message) ?? p.title ?? res.statusText;
    return new ApiError(res.status, p.title ?? res.statusText, detail, p.errors ?? []);
  } catch {
    return new ApiError(res.status, res.statusText, text.trim() || `${res.status} ${res.statusText}`);
  }
}

export const api = new ApiClient();
