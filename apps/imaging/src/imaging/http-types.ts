// The parts of Express's request and response this service uses (@types/express is not installed).
export interface HttpRequest {
  headers: Record<string, string | undefined>;
  body?: unknown;
  protocol: string;
  get(name: string): string | undefined;
}

export interface HttpResponse {
  status(code: number): HttpResponse;
  type(contentType: string): HttpResponse;
  setHeader(name: string, value: string): void;
  send(body: unknown): void;
  json(body: unknown): void;
}

type Middleware = (req: unknown, res: unknown, next: (err?: unknown) => void) => void;

/** express.raw: the body as a Buffer for the given media types. */
export const rawBodyParser: (opts: { type: string[]; limit: string }) => Middleware = require('express').raw;
