import { randomUUID } from 'node:crypto';
import type { Express, Request, RequestHandler } from 'express';
import type { Logger as PinoLogger } from 'pino';

const CHILD = Symbol('request logger');
type LoggedRequest = Request & { [CHILD]?: PinoLogger };

function levelOf(status: number, err: unknown): 'error' | 'warn' | 'info' {
  return err || status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
}

/**
 * One line per request, in the shape pino-http wrote it (`req` {id, method, url}, `res` {statusCode}, `responseTime`,
 * "request completed" / "aborted" / "errored"), with an id the response carries (X-Request-Id); never headers (cookies).
 * pino-http made a child logger for every request (copying the logger, serialising its bindings) whether or not
 * anything logged through it; here `req.log` is a getter on the app's request prototype that makes the child only
 * when a handler logs, and the finished line goes straight through the base logger.
 */
export function requestLog(app: Express, log: PinoLogger, opts: { ignore?: (req: Request) => boolean } = {}): RequestHandler {
  Object.defineProperty(app.request, 'log', {
    configurable: true,
    get(this: LoggedRequest): PinoLogger {
      return (this[CHILD] ??= log.child({ req: { id: this.id, method: this.method, url: this.originalUrl } }));
    },
  });
  return (req, res, next) => {
    const id = randomUUID();
    res.setHeader('X-Request-Id', id);
    req.id = id;
    const start = Date.now();
    const url = req.url;
    let logged = false;
    const done = (err?: unknown) => {
      if (logged) return;
      logged = true;
      res.removeListener('finish', done);
      res.removeListener('close', done);
      res.removeListener('error', done);
      const status = res.statusCode;
      const line = { req: { id, method: req.method, url }, res: { statusCode: status }, responseTime: Date.now() - start };
      const level = levelOf(status, err);
      if (err || status >= 500) log[level]({ ...line, err: err ?? new Error(`failed with status code ${status}`) }, 'request errored');
      else log[level](line, !req.readableAborted && res.writableEnded ? 'request completed' : 'request aborted');
    };
    if (!opts.ignore?.(req)) {
      res.on('finish', done);
      res.on('close', done);
    }
    res.on('error', done);
    next();
  };
}
