import path from 'node:path';
import type pg from 'pg';
import { SESSION_OPTIONS, prismaOn } from './platform/database/client.js';
import { createPool } from './platform/database/pool.js';
import { ReplicaSet, RoutingPool, replicaLabel } from './platform/database/replicas.js';
import { createLogger, type Logger, type LogLevel } from './platform/logger.js';
import { JobQueue } from './platform/queue.js';
import { createServices, type Infrastructure, type Services } from './services.js';
import type { Network } from './features/watch-lists/webhook.js';

/**
 * What start-up, the worker and the tests hold: the connections (Infrastructure) and the services built on them.
 * Features receive only Services (src/services.ts); the connections stay with start-up (session store, demo seed),
 * the worker and the tests.
 */
export interface AppDeps extends Infrastructure, Services {
  /** The streaming replicas public pages read from (DATABASE_REPLICA_URL), null without any. */
  replicas: ReplicaSet | null;
  close(): Promise<void>;
}

/** Default of STATEMENT_TIMEOUT_MS. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 3000;
/** Default of REPLICA_MAX_LAG_MS. */
export const DEFAULT_REPLICA_MAX_LAG_MS = 10_000;

export function buildDeps(
  databaseUrl: string,
  opts: {
    logLevel?: LogLevel;
    log?: Logger;
    poolMax?: number;
    uploadDir?: string;
    /** for the request-serving pools; default 3000 */ statementTimeoutMs?: number;
    /** webhooks may target this machine (tests) */ allowLoopbackWebhooks?: boolean;
    /** WEBHOOK_ALLOWED_NETWORKS: private blocks webhook receivers may sit in */
    webhookAllowedNetworks?: readonly Network[];
    /** REPORT_KEY_SECRET: encrypts the report signing keys' private halves in the database */
    reportKeySecret?: string;
    /** Streaming replicas for the public pages' reads (docs/deploy.md#replicas). */
    replicaUrls?: readonly string[];
    /** A replica further behind than this is not used; default 10 s. */
    replicaMaxLagMs?: number;
    /** How often the replicas' health and lag are checked; default 1 s. */
    replicaCheckMs?: number;
  } = {},
): AppDeps {
  const log = opts.log ?? createLogger(opts.logLevel ?? 'info');
  // What requests read and write runs under statement_timeout, so no typed query can hold a connection for long;
  // the bulk pools (imports, COPY writers, exports, jobs) have none. A lost connection (idle or checked out) must not
  // crash the process on any of them; the next query reconnects.
  const statementTimeout = opts.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  const poolMax = opts.poolMax ?? 10;
  const requestPool = (url: string, max: number, label: string) =>
    createPool({ connectionString: url, max, options: SESSION_OPTIONS, statement_timeout: statementTimeout }, log, label);
  const bulkPoolOf = (url: string, max: number, label: string) => createPool({ connectionString: url, max, options: SESSION_OPTIONS }, log, label);
  const dbPool = requestPool(databaseUrl, poolMax, 'prisma pool');
  const db = prismaOn(dbPool);
  const pool = requestPool(databaseUrl, 6, 'pg pool');
  const bulkDbPool = bulkPoolOf(databaseUrl, 3, 'prisma bulk pool');
  const bulkDb = prismaOn(bulkDbPool);
  const bulkPool = bulkPoolOf(databaseUrl, 3, 'bulk pool');

  // Without replicas the public reads use the primary's clients themselves: nothing changes.
  let replicas: ReplicaSet | null = null;
  let readDb = db;
  let readPool: pg.Pool = pool;
  let readBulkDb = bulkDb;
  const urls = opts.replicaUrls ?? [];
  if (urls.length > 0) {
    replicas = new ReplicaSet(urls, pool, log, {
      maxLagMs: opts.replicaMaxLagMs ?? DEFAULT_REPLICA_MAX_LAG_MS,
      checkEveryMs: opts.replicaCheckMs ?? 1000,
      options: SESSION_OPTIONS,
    });
    const set = replicas;
    readDb = prismaOn(
      new RoutingPool(
        dbPool,
        urls.map((u) => requestPool(u, poolMax, `replica ${replicaLabel(u)}`)),
        set,
      ),
    );
    readPool = new RoutingPool(
      pool,
      urls.map((u) => requestPool(u, 6, `replica ${replicaLabel(u)}`)),
      set,
    );
    readBulkDb = prismaOn(
      new RoutingPool(
        bulkDbPool,
        urls.map((u) => bulkPoolOf(u, 2, `replica ${replicaLabel(u)}`)),
        set,
      ),
    );
    // The first check runs now; until it has found a replica well, every read goes to the primary.
    void set.start();
  }

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
    readDb,
    readPool,
    readBulkDb,
    ...(opts.reportKeySecret ? { reportKeySecret: opts.reportKeySecret } : {}),
    ...(opts.allowLoopbackWebhooks ? { allowLoopbackWebhooks: true } : {}),
    ...(opts.webhookAllowedNetworks?.length ? { webhookAllowedNetworks: opts.webhookAllowedNetworks } : {}),
  };
  return {
    ...infra,
    ...createServices(infra),
    replicas,
    async close() {
      // Jobs first: a running job still needs the pools to finish or to record its failure.
      await jobs.stop();
      await replicas?.stop();
      const routed = replicas ? [readDb.$disconnect(), readPool.end(), readBulkDb.$disconnect()] : [];
      await Promise.allSettled([db.$disconnect(), pool.end(), bulkDb.$disconnect(), bulkPool.end(), ...routed]);
    },
  };
}
