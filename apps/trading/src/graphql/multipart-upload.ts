/**
 * File uploads for GraphQL (the GraphQL multipart request spec, as graphql-upload implements it),
 * streamed: the operation runs as soon as `operations` and `map` have arrived, and each file reaches
 * its resolver as a Readable fed straight from the request, with backpressure, so a CSV of any size
 * is imported without being held in memory or hitting the JSON body limit.
 *
 *   curl localhost:3001/graphql -H "Authorization: Bearer $KEY" -H 'apollo-require-preflight: true' \
 *     -F operations='{"query":"mutation($f: Upload!) { importBars(file: $f) { inserted rejected } }","variables":{"f":null}}' \
 *     -F map='{"0":["variables.f"]}' -F 0=@data/trading/msft.csv
 */
import { GraphQLError, GraphQLScalarType } from 'graphql';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough, Readable } from 'node:stream';

/** A file of a multipart request, handed to resolvers as the value of an `Upload` argument. */
export class FileUpload {
  readonly promise: Promise<{ filename: string; mimetype: string; stream: Readable }>;
  resolve!: (v: { filename: string; mimetype: string; stream: Readable }) => void;
  reject!: (e: Error) => void;

  constructor() {
    this.promise = new Promise((res, rej) => {
      this.resolve = res;
      this.reject = rej;
    });
    this.promise.catch(() => undefined); // a file nobody reads must not crash the process
  }
}

export const GraphQLUpload = new GraphQLScalarType({
  name: 'Upload',
  description: 'A file sent with the GraphQL multipart request spec (multipart/form-data: operations, map, files).',
  parseValue(value) {
    if (value instanceof FileUpload) return value;
    throw new GraphQLError('Upload values must be files sent as multipart/form-data parts');
  },
  parseLiteral() {
    throw new GraphQLError('Upload values must be files sent as multipart/form-data parts, not literals');
  },
  serialize() {
    throw new GraphQLError('Upload values cannot be returned');
  },
});

interface PartHeaders {
  name: string;
  filename: string | null;
  contentType: string;
}

interface PartHandler {
  onPart(headers: PartHeaders): ((chunk: Buffer) => boolean) | null;
  onPartEnd(): void;
}

/**
 * Incremental multipart/form-data parser: feed it chunks, it calls back per part with its headers
 * and body bytes. The delimiter may be split across chunks; a tail shorter than the delimiter is kept
 * back until the next chunk shows whether it starts the delimiter.
 */
export class MultipartParser {
  private buf: Buffer = Buffer.alloc(0);
  private state: 'preamble' | 'headers' | 'body' | 'done' = 'preamble';
  private readonly dashBoundary: Buffer;
  private readonly delimiter: Buffer;
  private sink: ((chunk: Buffer) => boolean) | null = null;

  constructor(
    boundary: string,
    private readonly handler: PartHandler,
  ) {
    this.dashBoundary = Buffer.from(`--${boundary}`);
    this.delimiter = Buffer.from(`\r\n--${boundary}`);
  }

  get finished(): boolean {
    return this.state === 'done';
  }

  /** @returns false when a part's consumer asked to slow down */
  write(chunk: Buffer): boolean {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    let flowing = true;
    for (;;) {
      if (this.state === 'preamble') {
        const at = this.buf.indexOf(this.dashBoundary);
        if (at < 0) {
          this.buf = this.buf.subarray(Math.max(0, this.buf.length - this.dashBoundary.length));
          return flowing;
        }
        if (this.buf.length < at + this.dashBoundary.length + 2) return flowing;
        this.buf = this.buf.subarray(at + this.dashBoundary.length);
        if (!this.afterDelimiter()) return flowing;
      } else if (this.state === 'headers') {
        const end = this.buf.indexOf('\r\n\r\n');
        if (end < 0) {
          if (this.buf.length > 16 * 1024) throw new MultipartError('part headers longer than 16 KiB');
          return flowing;
        }
        const headers = parseHeaders(this.buf.subarray(0, end).toString('utf8'));
        this.buf = this.buf.subarray(end + 4);
        this.sink = this.handler.onPart(headers);
        this.state = 'body';
      } else if (this.state === 'body') {
        const at = this.buf.indexOf(this.delimiter);
        if (at < 0) {
          // keep back what could be the start of a delimiter split across chunks
          const safe = this.buf.length - (this.delimiter.length - 1);
          if (safe > 0) {
            if (this.sink && !this.sink(this.buf.subarray(0, safe))) flowing = false;
            this.buf = this.buf.subarray(safe);
          }
          return flowing;
        }
        if (this.buf.length < at + this.delimiter.length + 2) {
          if (at > 0) {
            if (this.sink && !this.sink(this.buf.subarray(0, at))) flowing = false;
            this.buf = this.buf.subarray(at);
          }
          return flowing;
        }
        if (at > 0 && this.sink && !this.sink(this.buf.subarray(0, at))) flowing = false;
        this.handler.onPartEnd();
        this.sink = null;
        this.buf = this.buf.subarray(at + this.delimiter.length);
        if (!this.afterDelimiter()) return flowing;
      } else return flowing;
    }
  }

  /** After a delimiter: "--" ends the body, CRLF starts the next part's headers. */
  private afterDelimiter(): boolean {
    const next = this.buf.subarray(0, 2).toString('latin1');
    if (next === '--') {
      this.state = 'done';
      this.buf = Buffer.alloc(0);
      return false;
    }
    if (next !== '\r\n') throw new MultipartError('malformed multipart body: expected CRLF after a boundary');
    this.buf = this.buf.subarray(2);
    this.state = 'headers';
    return true;
  }
}

export class MultipartError extends Error {}

function parseHeaders(text: string): PartHeaders {
  const out: PartHeaders = { name: '', filename: null, contentType: 'application/octet-stream' };
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'content-type') out.contentType = value;
    if (key === 'content-disposition') {
      out.name = /\bname="([^"]*)"/i.exec(value)?.[1] ?? '';
      const f = /\bfilename="([^"]*)"/i.exec(value);
      out.filename = f ? f[1] : null;
    }
  }
  if (!out.name) throw new MultipartError('a multipart part has no content-disposition name');
  return out;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown) {
  const keys = path.split('.');
  let node: Record<string, unknown> = target;
  for (const k of keys.slice(0, -1)) {
    if (typeof node[k] !== 'object' || node[k] === null) throw new MultipartError(`map path ${path} does not exist in operations`);
    node = node[k] as Record<string, unknown>;
  }
  const last = keys[keys.length - 1];
  if (!(last in node) || node[last] !== null) throw new MultipartError(`map path ${path} must point at a null variable`);
  node[last] = value;
}

const MAX_FIELD = 1024 * 1024;

type Next = (err?: unknown) => void;

/**
 * Express middleware for POST multipart/form-data on the GraphQL path: parses `operations` and
 * `map`, puts FileUpload objects where the map says, sets req.body and lets Apollo run while the
 * files keep streaming into the resolvers.
 */
export function graphqlMultipart(options: { maxFiles?: number } = {}) {
  const maxFiles = options.maxFiles ?? 5;
  return (req: IncomingMessage & { body?: unknown }, res: ServerResponse, next: Next) => {
    const type = req.headers['content-type'] ?? '';
    if (req.method !== 'POST' || !/^multipart\/form-data/i.test(type)) return next();
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(type);
    const fail = (status: number, message: string) => {
      if (res.headersSent) return;
      res.statusCode = status;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] }));
    };
    if (!boundary) return fail(400, 'multipart/form-data without a boundary');
    let operations: Record<string, unknown> | null = null;
    let map: Record<string, string[]> | null = null;
    const uploads = new Map<string, FileUpload>();
    let field: { name: string; chunks: Buffer[]; size: number } | null = null;
    let file: PassThrough | null = null;
    let handedOver = false;

    const start = () => {
      handedOver = true;
      req.body = operations;
      next();
    };
    const parser = new MultipartParser(boundary[1] ?? boundary[2], {
      onPart(h) {
        if (h.filename === null) {
          if (handedOver) throw new MultipartError(`field ${h.name} after the files; operations and map must come first`);
          const current = { name: h.name, chunks: [] as Buffer[], size: 0 };
          field = current;
          return (chunk) => {
            current.size += chunk.length;
            if (current.size > MAX_FIELD) throw new MultipartError(`field ${current.name} is larger than 1 MiB`);
            current.chunks.push(Buffer.from(chunk));
            return true;
          };
        }
        if (!handedOver) throw new MultipartError('files must come after the operations and map fields');
        const upload = uploads.get(h.name);
        if (!upload) {
          file = null; // a part the map does not mention: skip its bytes
          return null;
        }
        file = new PassThrough({ highWaterMark: 256 * 1024 });
        file.on('drain', () => req.resume());
        upload.resolve({ filename: h.filename, mimetype: h.contentType, stream: file });
        uploads.delete(h.name);
        const sink = file;
        return (chunk) => sink.write(Buffer.from(chunk));
      },
      onPartEnd() {
        if (field) {
          const text = Buffer.concat(field.chunks).toString('utf8');
          if (field.name === 'operations') {
            try {
              operations = JSON.parse(text);
            } catch {
              throw new MultipartError('operations is not valid JSON');
            }
          } else if (field.name === 'map') {
            try {
              map = JSON.parse(text);
            } catch {
              throw new MultipartError('map is not valid JSON');
            }
            if (!operations || typeof operations !== 'object' || Array.isArray(operations)) throw new MultipartError('operations must come first and be one JSON object (batches are not supported)');
            const entries = Object.entries(map ?? {});
            if (entries.length > maxFiles) throw new MultipartError(`at most ${maxFiles} files per request`);
            for (const [key, paths] of entries) {
              const upload = new FileUpload();
              uploads.set(key, upload);
              for (const p of Array.isArray(paths) ? paths : []) setPath(operations, p, upload);
            }
            start();
          }
          field = null;
        }
        if (file) {
          file.end();
          file = null;
        }
      },
    });

    req.on('data', (chunk: Buffer) => {
      try {
        if (!parser.write(chunk)) req.pause();
      } catch (err) {
        const e = err as Error;
        if (file) file.destroy(e);
        for (const u of uploads.values()) u.reject(e);
        uploads.clear();
        req.pause();
        if (!handedOver) fail(400, e.message);
      }
    });
    req.on('end', () => {
      const missing = new MultipartError(parser.finished ? 'a file named in map was not sent' : 'the multipart body ended early');
      for (const u of uploads.values()) u.reject(missing);
      if (file) file.destroy(missing);
      if (!handedOver) fail(400, operations ? 'the map field is missing' : 'the operations field is missing');
    });
    req.on('error', (e) => {
      for (const u of uploads.values()) u.reject(e);
      if (file) file.destroy(e);
    });
  };
}

/** The stream of an Upload argument, after its part has begun arriving. */
export async function uploadStream(upload: FileUpload): Promise<Readable> {
  return (await upload.promise).stream;
}
