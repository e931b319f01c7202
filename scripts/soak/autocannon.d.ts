// The part of autocannon's programmatic API the soak uses (the package ships no types).
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  export interface SoakRequest {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
    /** Called before each send with the connection's context; returns the request to send. */
    setupRequest?: (req: SoakRequest, context: Record<string, unknown>) => SoakRequest;
    /** Called with each response to this request, before the instance's 'response' event. */
    onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
  }

  export interface Options {
    url: string;
    connections?: number;
    duration?: number;
    timeout?: number;
    headers?: Record<string, string>;
    requests?: SoakRequest[];
  }

  export interface Instance extends EventEmitter {
    stop(): void;
  }

  function autocannon(opts: Options, cb?: (err: Error | null, result: unknown) => void): Instance;
  export default autocannon;
}
