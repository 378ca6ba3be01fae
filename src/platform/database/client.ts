import { PrismaPg } from '@prisma/adapter-pg';
import type pg from 'pg';
import { PrismaClient } from '../../generated/prisma/client.js';
import type { Logger } from '../logger.js';
import { createPool } from './pool.js';

export type Db = PrismaClient;

/**
 * Startup options of every application connection. JIT off: the planner compiles any statement it costs above
 * jit_above_cost, and a batch's set-based statements are costed far above it while running in milliseconds,
 * so compiling took a large share of a chunk's insert; the public pages and the 及时率 statements at production size
 * were as fast or faster without it (docs/performance.md#process-settings). Behind PgBouncer see the README.
 */
export const SESSION_OPTIONS = '-c jit=off';

/**
 * A Prisma client on a pool of our own (every client guarded against lost connections, a connect timeout) rather than
 * the adapter's, which has neither; with statementTimeoutMs, PostgreSQL cancels any of its statements running longer (57014).
 */
export function createPrisma(databaseUrl: string, opts: { max?: number; statementTimeoutMs?: number; log?: Pick<Logger, 'warn'> } = {}): PrismaClient {
  const log = opts.log ?? { warn: () => {} };
  const pool = createPool(
    {
      connectionString: databaseUrl,
      max: opts.max ?? 10,
      options: SESSION_OPTIONS,
      ...(opts.statementTimeoutMs ? { statement_timeout: opts.statementTimeoutMs } : {}),
    },
    log,
    'prisma pool',
  );
  return prismaOn(pool);
}

/** A Prisma client on a pool built elsewhere (the replica routing pool); disconnecting it ends that pool. */
export function prismaOn(pool: pg.Pool): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
}
