import type { IncomingMessage } from 'node:http';

// @types/express is not installed: the few members the controllers use, typed here.

/** The Express request: a readable stream plus what body parsers left on it. */
export type HttpRequest = IncomingMessage & { body?: unknown; readableEnded: boolean };

/** The Express response members used to send files and custom statuses. */
export interface HttpResponse {
  setHeader(name: string, value: string): void;
  status(code: number): HttpResponse;
  send(body: unknown): void;
  json(body: unknown): void;
}
