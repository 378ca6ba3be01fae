import path from 'node:path';
import { SESSION_OPTIONS, createPrisma } from './platform/database/client.js';
import { createPool } from './platform/database/pool.js';
import { createLogger, type Logger, type LogLevel } from './platform/logger.js';
import { JobQueue } from './platform/queue.js';
import { createServices, type Infrastructure, type Services } from './services.js';

/**
 * What start-up, the worker and the tests hold: the connections (Infrastructure) and the services built on them.
 * Features receive only Services (src/services.ts); the connections stay with start-up (session store, demo seed),
 * the worker and the tests.
 */
export interface AppDeps extends Infrastructure, Services {
  close(): Promise<void>;
}

/** Default of STATEMENT_TIMEOUT_MS. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 3000;

export function buildDeps(
  databaseUrl: string,
  opts: {
    logLevel?: LogLevel;
    log?: Logger;
    poolMax?: number;
    uploadDir?: string;
    /** for the request-serving pools; default 3000 */ statementTimeoutMs?: number;
    /** webhooks may target this machine (tests) */ allowLoopbackWebhooks?: boolean;
    /** REPORT_KEY_SECRET: encrypts the report signing keys' private halves in the database */
    reportKeySecret?: string;
  } = {},
): AppDeps {
  const log = opts.log ?? createLogger(opts.logLevel ?? 'info');
  // What requests read and write runs under statement_timeout, so no typed query can hold a connection for long;
  // the bulk pools (imports, COPY writers, exports, jobs) have none. A lost connection (idle or checked out) must not
  // crash the process on any of them; the next query reconnects.
  const statementTimeout = opts.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  const db = createPrisma(databaseUrl, { max: opts.poolMax ?? 10, statementTimeoutMs: statementTimeout, log });
  const pool = createPool({ connectionString: databaseUrl, max: 6, options: SESSION_OPTIONS, statement_timeout: statementTimeout }, log, 'pg pool');
  const bulkDb = createPrisma(databaseUrl, { max: 3, log });
  const bulkPool = createPool({ connectionString: databaseUrl, max: 3, options: SESSION_OPTIONS }, log, 'bulk pool');
  const uploadDir = path.resolve(opts.uploadDir ?? 'data/uploads');
  const jobs = new JobQueue(databaseUrl, log);
  const infra: Infrastructure = {
    db,
    pool,
    bulkDb,
    bulkPool,
    log,
    uploadDir,
    jobs,
    ...(opts.reportKeySecret ? { reportKeySecret: opts.reportKeySecret } : {}),
    ...(opts.allowLoopbackWebhooks ? { allowLoopbackWebhooks: true } : {}),
  };
  return {
    ...infra,
    ...createServices(infra),
    async close() {
      // Jobs first: a running job still needs the pools to finish or to record its failure.
      await jobs.stop();
      await Promise.allSettled([db.$disconnect(), pool.end(), bulkDb.$disconnect(), bulkPool.end()]);
    },
  };
}
