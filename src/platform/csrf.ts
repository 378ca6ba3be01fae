import { csrfSync } from 'csrf-sync';
import type { RequestHandler } from 'express';

// One token per session (synchroniser pattern), sent as the `_csrf` field of every form or the x-csrf-token header.
const { csrfSynchronisedProtection, generateToken, invalidCsrfTokenError } = csrfSync({
  getTokenFromRequest: (req) => {
    const body = req.body as Record<string, unknown> | undefined;
    const fromBody = body && typeof body._csrf === 'string' ? body._csrf : undefined;
    return fromBody ?? (req.headers['x-csrf-token'] as string | undefined);
  },
  errorConfig: { statusCode: 403, message: '页面已过期或请求来源无效，请刷新页面后重试。', code: 'EBADCSRFTOKEN' },
});

export const csrfProtection: RequestHandler = csrfSynchronisedProtection;

/**
 * Templates call `csrfToken()`; a function rather than a value, so only pages that render a form
 * create a session — anonymous readers of public pages get no cookie.
 */
export const csrfLocals: RequestHandler = (req, res, next) => {
  res.locals.csrfToken = () => generateToken(req);
  next();
};

export function isCsrfError(err: unknown): boolean {
  return err === invalidCsrfTokenError || (err as { code?: string } | null)?.code === 'EBADCSRFTOKEN';
}
