import { httpDuration } from './metrics';

/** Records every HTTP request's duration by matched route (not raw URL, to bound label cardinality). */
interface Req {
  method: string;
  baseUrl: string;
  route?: { path?: string };
}
interface Res {
  statusCode: number;
  on(event: 'finish', fn: () => void): void;
}

export function httpMetricsMiddleware(req: Req, res: Res, next: () => void) {
  const end = httpDuration.startTimer();
  res.on('finish', () => {
    const route = req.route?.path ?? (res.statusCode === 404 ? 'unmatched' : req.baseUrl || 'other');
    end({ method: req.method, route, status: String(res.statusCode) });
  });
  next();
}
