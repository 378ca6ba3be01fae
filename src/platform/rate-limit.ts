import type { RequestHandler } from 'express';
import { rateLimit, type ClientRateLimitInfo, type Options, type Store } from 'express-rate-limit';
import type pg from 'pg';

export interface Limit {
  windowMs: number;
  limit: number;
}

/** Builds one store per limiter (express-rate-limit refuses a store shared by two limiters). */
export interface RateLimitStores {
  store(name: string): Store;
}

/**
 * Counters in PostgreSQL (table rate_limit), so every app instance behind the load balancer counts against the same
 * budget and a restart does not hand out a fresh one. Chosen over @acpr/rate-limit-postgresql, which pins its own
 * pg 8.11 and pool per limiter and creates its schema at run time with its own migration tool: here the table comes
 * from our migrations and the counters share the request pool. One statement per hit (an upsert of a fixed window).
 */
export class PgRateLimitStore implements Store {
  readonly localKeys = false;
  readonly prefix: string;
  private windowMs = 60_000;

  constructor(
    private readonly pool: pg.Pool,
    name: string,
    private readonly prune: () => void = () => {},
  ) {
    this.prefix = `${name}:`;
  }

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    this.prune();
    // A window that has passed starts again at 1; the row's own reset time decides, not this process's clock.
    const { rows } = await this.pool.query<{ hits: number; reset_at: Date }>(
      `INSERT INTO rate_limit (key, hits, reset_at) VALUES ($1, 1, now() + make_interval(secs => $2::float8 / 1000))
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN rate_limit.reset_at <= now() THEN 1 ELSE rate_limit.hits + 1 END,
         reset_at = CASE WHEN rate_limit.reset_at <= now() THEN EXCLUDED.reset_at ELSE rate_limit.reset_at END
       RETURNING hits, reset_at`,
      [this.prefix + key, this.windowMs],
    );
    return { totalHits: rows[0]!.hits, resetTime: rows[0]!.reset_at };
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const { rows } = await this.pool.query<{ hits: number; reset_at: Date }>('SELECT hits, reset_at FROM rate_limit WHERE key = $1 AND reset_at > now()', [
      this.prefix + key,
    ]);
    return rows[0] ? { totalHits: rows[0].hits, resetTime: rows[0].reset_at } : undefined;
  }

  async decrement(key: string): Promise<void> {
    await this.pool.query('UPDATE rate_limit SET hits = greatest(hits - 1, 0) WHERE key = $1 AND reset_at > now()', [this.prefix + key]);
  }

  async resetKey(key: string): Promise<void> {
    await this.pool.query('DELETE FROM rate_limit WHERE key = $1', [this.prefix + key]);
  }
}

/** How often expired counters are deleted (by whichever limiter is hit first after that). */
const PRUNE_EVERY_MS = 10 * 60_000;

export function pgRateLimitStores(pool: pg.Pool, log: { warn(msg: string, meta?: object): void }): RateLimitStores {
  let nextPrune = Date.now() + PRUNE_EVERY_MS;
  const prune = () => {
    if (Date.now() < nextPrune) return;
    nextPrune = Date.now() + PRUNE_EVERY_MS;
    pool
      .query('DELETE FROM rate_limit WHERE reset_at < now()')
      .catch((err: unknown) => log.warn('rate-limit prune failed', { message: (err as Error).message }));
  };
  return { store: (name) => new PgRateLimitStore(pool, name, prune) };
}

/**
 * What every limiter shares. passOnStoreError: when the counters cannot be reached the request goes on (fails open)
 * rather than being refused: the database being away already answers every page that needs it with the 503 page,
 * and a pure throttle must not turn a short outage into 500s (docs/deploy.md#rate-limits).
 */
export function limiterOptions(stores: RateLimitStores, name: string, limit: Limit): Partial<Options> {
  return {
    windowMs: limit.windowMs,
    limit: limit.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store: stores.store(name),
    passOnStoreError: true,
  };
}

/** A per-IP limit on a public page: over it, the Chinese 429 page with the message and a Retry-After. */
export function pageLimiter(stores: RateLimitStores, name: string, limit: Limit, message: string): RequestHandler {
  return rateLimit({
    ...limiterOptions(stores, name, limit),
    handler: (_req, res) => {
      res.set('Retry-After', String(Math.ceil(limit.windowMs / 1000)));
      res.status(429).render('errors/429.njk', { title: '访问过于频繁', message });
    },
  });
}
