import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';

export interface Limit {
  windowMs: number;
  limit: number;
}

/** A per-IP limit on a public page: over it, the Chinese 429 page with the message and a Retry-After. */
export function pageLimiter(limit: Limit, message: string): RequestHandler {
  return rateLimit({
    windowMs: limit.windowMs,
    limit: limit.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, res) => {
      res.set('Retry-After', String(Math.ceil(limit.windowMs / 1000)));
      res.status(429).render('errors/429.njk', { title: '访问过于频繁', message });
    },
  });
}
