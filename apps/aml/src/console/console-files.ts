import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Paths the console never answers: the service's own routes keep their 404s and problem details. */
const SERVICE_PREFIXES = ['/api', '/metrics', '/health', '/graphql'];

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/**
 * The console's headers: scripts and styles only from this origin, no framing, no referrer, and
 * API calls only back to this service. The console uses no inline script, so none is allowed.
 */
export const CONSOLE_SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

export type ConsoleAnswer = { kind: 'pass' } | { kind: 'file'; path: string; type: string; cache: string };

/**
 * Decides what the console answers for a request: a built file, index.html for a console route
 * (history-API navigation: /queue, /cases/:id), or nothing (API routes, other methods, unknown
 * files with an extension). Never a file outside `dir`.
 */
export function consoleAnswer(dir: string, method: string, url: string, accept = ''): ConsoleAnswer {
  if (method !== 'GET' && method !== 'HEAD') return { kind: 'pass' };
  let path: string;
  try {
    path = decodeURIComponent(new URL(url, 'http://console.local').pathname);
  } catch {
    return { kind: 'pass' };
  }
  if (SERVICE_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`)) || path.includes('\0')) return { kind: 'pass' };
  const root = resolve(dir);
  const file = resolve(join(root, normalize(path)));
  if (file !== root && !file.startsWith(root + sep)) return { kind: 'pass' };
  if (file !== root && isFile(file)) {
    // hashed build assets never change; anything else is revalidated
    const cache = path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
    return { kind: 'file', path: file, type: TYPES[extname(file)] ?? 'application/octet-stream', cache };
  }
  const index = join(root, 'index.html');
  const looksLikeRoute = !extname(path) || accept.includes('text/html');
  if (looksLikeRoute && isFile(index)) return { kind: 'file', path: index, type: TYPES['.html'], cache: 'no-cache' };
  return { kind: 'pass' };
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

export function consoleBuilt(dir: string): boolean {
  return existsSync(join(dir, 'index.html'));
}

/** Express-style middleware serving the built console from `dir`. */
export function consoleMiddleware(dir: string) {
  return (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => {
    const answer = consoleAnswer(dir, req.method ?? 'GET', req.url ?? '/', String(req.headers.accept ?? ''));
    if (answer.kind === 'pass') return next();
    const size = statSync(answer.path).size;
    res.statusCode = 200;
    for (const [k, v] of Object.entries(CONSOLE_SECURITY_HEADERS)) res.setHeader(k, v);
    res.setHeader('Content-Type', answer.type);
    res.setHeader('Content-Length', String(size));
    res.setHeader('Cache-Control', answer.cache);
    if (req.method === 'HEAD') return void res.end();
    createReadStream(answer.path).on('error', next).pipe(res);
  };
}
