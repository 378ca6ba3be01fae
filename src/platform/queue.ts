import PgBoss from 'pg-boss';
import type { Logger } from './logger.js';
import { CONNECT_TIMEOUT_MS, isConnectionError } from './database/pool.js';

/**
 * Background work goes through pg-boss (a queue kept in this database's `pgboss` schema, see docs/jobs.md): it
 * survives restarts and any process started with the worker role runs it. Every kind of job is named here.
 */
export const JOB = {
  /** One batch import (src/features/imports/service.ts). */
  importRun: 'import-run',
  /** One export above the streaming threshold, written to a file (src/features/exports/service.ts). */
  exportWrite: 'export-write',
  /** Hourly: uploads left behind by interrupted requests or jobs, and export files past their 24 hours. */
  uploadSweep: 'upload-sweep',
  /** Nightly: penalties past their 公示截止期 leave publication, then those past 5 years are archived (PublicityService). */
  publicityExpiry: 'publicity-expiry',
  /** Nightly: red-list entries whose 公示期 ended without an open objection are confirmed (ListService.confirmNoticePeriods). */
  listNoticeConfirm: 'list-notice-confirm',
  /** Daily: the open-data files of everything public, and the removal of those past 30 days (OpenDataService). */
  openDataDaily: 'open-data-daily',
  /** Every few minutes and on demand: watched subjects' public views against their snapshots (src/features/watch-lists). */
  watchScan: 'watch-scan',
  /** Every minute: webhook deliveries that are due (first attempts and retries with backoff). */
  webhookDeliver: 'webhook-deliver',
} as const;
export type JobName = (typeof JOB)[keyof typeof JOB];

/**
 * Per-queue policy. No automatic retry for imports and exports: an interrupted run has written nothing, and the
 * user is told to start again (a retry would run against a file that is already removed). Expiry bounds how
 * long a job whose worker vanished stays "active" in pg-boss's eyes.
 */
const QUEUES: Record<JobName, Omit<PgBoss.Queue, 'name'>> = {
  [JOB.importRun]: { retryLimit: 0, expireInSeconds: 3600 },
  [JOB.exportWrite]: { retryLimit: 0, expireInSeconds: 3600 },
  [JOB.uploadSweep]: { retryLimit: 0, expireInSeconds: 600 },
  [JOB.publicityExpiry]: { retryLimit: 2, expireInSeconds: 3600 },
  [JOB.listNoticeConfirm]: { retryLimit: 2, expireInSeconds: 3600 },
  // A failed run published nothing (the manifest is written last), so trying again is safe.
  [JOB.openDataDaily]: { retryLimit: 3, retryDelay: 600, expireInSeconds: 3 * 3600 },
  // One scan and one delivery run at a time across all workers: two at once would notify or post the same change twice.
  // No retry: the next scheduled run picks up whatever this one did not finish.
  [JOB.watchScan]: { retryLimit: 0, expireInSeconds: 1800, policy: 'singleton' },
  [JOB.webhookDeliver]: { retryLimit: 0, expireInSeconds: 600, policy: 'singleton' },
};

/** Cron schedules (Beijing time), installed by worker processes. */
export const SCHEDULES: readonly { name: JobName; cron: string; tz: string }[] = [
  { name: JOB.uploadSweep, cron: '7 * * * *', tz: 'Asia/Shanghai' },
  // Five past midnight in Beijing: the first minutes of the day on which yesterday's last public day has passed.
  { name: JOB.publicityExpiry, cron: '5 0 * * *', tz: 'Asia/Shanghai' },
  // Just after midnight in Beijing: the day after a 公示期's last day is the first day its entries are in force.
  { name: JOB.listNoticeConfirm, cron: '10 0 * * *', tz: 'Asia/Shanghai' },
  // After both: the day's files hold what is public that day, once expiry and confirmation have run.
  { name: JOB.openDataDaily, cron: '30 0 * * *', tz: 'Asia/Shanghai' },
  { name: JOB.watchScan, cron: '*/5 * * * *', tz: 'Asia/Shanghai' },
  { name: JOB.webhookDeliver, cron: '* * * * *', tz: 'Asia/Shanghai' },
];

export type Role = 'web' | 'worker';

/** A statement runner for enqueueing inside the caller's own transaction (pg-boss's `db` option). */
export interface TxExecutor {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** The app's handle on the queue: start (installs pg-boss's schema if missing), send, work, stop. */
export class JobQueue {
  private boss: PgBoss | null = null;
  private readonly loops: Promise<void>[] = [];
  private readonly wakers = new Map<string, () => void>();
  private readonly awayListeners: (() => void)[] = [];
  private stopping = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly log: Logger,
  ) {}

  /** `worker`: this process maintains the queue and installs the schedules; a web-only process just sends. */
  async start(opts: { worker: boolean; schedules?: boolean } = { worker: true }): Promise<void> {
    if (this.boss) return;
    this.stopping = false;
    const config = {
      connectionString: this.databaseUrl,
      max: 3,
      // Passed through to pg's Pool: a request that enqueues while the database is away fails fast.
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      application_name: 'credit-xinxiang-jobs',
      supervise: opts.worker,
      schedule: opts.worker && opts.schedules !== false,
      // Completed jobs are kept 7 days for inspection, then archived and deleted by pg-boss's maintenance.
      archiveCompletedAfterSeconds: 7 * 86_400,
    } as PgBoss.ConstructorOptions;
    const boss = new PgBoss(config);
    // pg-boss re-emits its pool's errors; an EventEmitter 'error' with no listener would end the process.
    boss.on('error', (err: Error) => this.onError(err));
    await boss.start();
    this.boss = boss;
    await ensureQueues(boss);
    if (opts.worker && opts.schedules !== false) {
      for (const s of SCHEDULES) await boss.schedule(s.name, s.cron, {}, { tz: s.tz });
    }
  }

  /** Called whenever a queue operation finds the database unreachable (the worker's sweeper speeds up). */
  onDatabaseAway(listener: () => void): void {
    this.awayListeners.push(listener);
  }

  private onError(err: unknown): void {
    if (isConnectionError(err)) {
      this.log.warn('job queue: database unavailable', { message: (err as Error).message });
      for (const l of this.awayListeners) l();
    } else {
      this.log.error('job queue error', { message: (err as Error)?.message });
    }
  }

  private get started(): PgBoss {
    if (!this.boss) throw new Error('job queue not started');
    return this.boss;
  }

  /**
   * Enqueues a job; with `tx` the job row is written by the caller's transaction, so it exists exactly when the
   * caller's own rows do. Call `wake` after the commit so a worker in this process starts at once.
   */
  async send(name: JobName, data: object, opts: { id?: string; tx?: TxExecutor; startAfter?: number | Date } = {}): Promise<string> {
    const { tx, ...rest } = opts;
    const options: PgBoss.SendOptions = { ...rest, ...(tx ? { db: { executeSql: (text, values) => tx.query(text, values) } } : {}) };
    const id = await this.started.send(name, data, options);
    if (!id) throw new Error(`job ${name} not enqueued`);
    return id;
  }

  /** Tells this process's worker of a job committed just now (instead of waiting for its next poll). */
  wake(name: JobName): void {
    this.wakers.get(name)?.();
  }

  /**
   * Runs one queue's jobs one at a time. Our own fetch loop rather than pg-boss's work(): pg-boss 10 calls
   * complete()/fail() without awaiting them, so finishing a job while the database is away is an unhandled
   * rejection, which ends a Node 20 process. Here both are awaited and a failure is logged; the job then stays
   * "active" until its expiry, and the interrupted-work sweep settles our own rows in the meantime.
   */
  async work<T extends object>(name: JobName, pollingIntervalSeconds: number, handler: (data: T, jobId: string) => Promise<void>): Promise<void> {
    const boss = this.started;
    const pause = () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(done, pollingIntervalSeconds * 1000);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.wakers.set(name, done);
      });
    const loop = async () => {
      while (!this.stopping) {
        let jobs: PgBoss.Job<T>[];
        try {
          jobs = await boss.fetch<T>(name, { batchSize: 1 });
        } catch (err) {
          this.onError(err);
          await pause();
          continue;
        }
        const job = jobs[0];
        if (!job) {
          await pause();
          continue;
        }
        try {
          await handler(job.data, job.id);
          await boss.complete(name, job.id).catch((err: unknown) => this.onError(err));
        } catch (err) {
          if (isConnectionError(err)) for (const l of this.awayListeners) l();
          await boss.fail(name, job.id, { message: (err as Error)?.message ?? String(err) }).catch((e: unknown) => this.onError(e));
        }
      }
    };
    this.loops.push(loop());
  }

  /** Stops fetching, lets a running job finish (up to `timeoutMs`), then closes pg-boss. */
  async stop(timeoutMs = 10_000): Promise<void> {
    const boss = this.boss;
    if (!boss) return;
    this.stopping = true;
    for (const wake of this.wakers.values()) wake();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled(this.loops), new Promise((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
    this.loops.length = 0;
    this.wakers.clear();
    this.boss = null;
    await boss.stop({ graceful: false, wait: true }).catch((err: unknown) => this.log.warn('job queue stop', { message: (err as Error).message }));
  }
}

/** Creates the queues that do not exist yet (two processes starting together may race: the loser's error is ignored). */
export async function ensureQueues(boss: PgBoss): Promise<void> {
  for (const [name, options] of Object.entries(QUEUES)) {
    if (await boss.getQueue(name)) continue;
    await boss.createQueue(name, { name, ...options }).catch(async (err: unknown) => {
      if (!(await boss.getQueue(name))) throw err;
    });
  }
}

/**
 * Installs pg-boss's schema and queues into a database and leaves (the test template does this once, so the
 * databases cloned from it do not each install it).
 */
export async function installQueueSchema(databaseUrl: string): Promise<void> {
  const boss = new PgBoss({ connectionString: databaseUrl, max: 1, supervise: false, schedule: false });
  boss.on('error', () => {});
  await boss.start();
  try {
    await ensureQueues(boss);
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
}
