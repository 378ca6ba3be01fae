import type { Services } from './services.js';
import { LEFTOVER_MAX_AGE_MS, incomingDir, sweepOldFiles } from './platform/uploads.js';
import { isConnectionError } from './platform/database/pool.js';
import { JOB, type JobName } from './platform/queue.js';

/** The worker half of the queue (src/platform/queue.ts): what each job kind runs, the sweeps, the loop. */

export interface WorkerOptions {
  /** How often an idle worker looks for jobs (a local send wakes it at once). */
  pollingIntervalSeconds?: number;
  /** The interrupted-work sweep: normal cadence, and cadence while the database is unreachable. */
  sweepEveryMs?: number;
  sweepWhileAwayMs?: number;
}

export interface RunningWorker {
  /** Runs the interrupted-work sweep now (tests). */
  sweep(): Promise<void>;
  stop(): Promise<void>;
}

/** What each queue runs. */
function handlers(deps: Services): Partial<Record<JobName, (data: never, jobId: string) => Promise<void>>> {
  return {
    [JOB.importRun]: (data: Parameters<Services['imports']['runJob']>[0], jobId) => deps.imports.runJob(data, jobId),
    [JOB.exportWrite]: (data: Parameters<Services['exports']['runJob']>[0], jobId) => deps.exports.runJob(data, jobId),
    [JOB.uploadSweep]: () => sweepFiles(deps),
    [JOB.publicityExpiry]: async () => void (await expirePublicity(deps)),
    [JOB.listNoticeConfirm]: async () => void (await confirmListNotices(deps)),
    [JOB.openDataDaily]: async () => void (await publishOpenData(deps)),
    [JOB.watchScan]: async () => void (await deps.watch.scan()),
    [JOB.webhookDeliver]: async () => void (await deps.watch.deliverDue()),
  };
}

/**
 * Red-list entries past their 公示期 without an open objection are confirmed and their joint measures start
 * (条例 Art. 28). The public pages already treat them as in force; this makes it a fact and starts the measures.
 */
export async function confirmListNotices(deps: Services): Promise<number> {
  const n = await deps.lists.confirmNoticePeriods();
  if (n) deps.log.info('公示期满的红名单条目已确认列入', { entries: n });
  return n;
}

/**
 * Penalties past their 公示截止期 leave publication, then those past the 5 years of 条例 Art. 19 are archived, and so
 * are the red/black-list entries whose disclosure has ended (nightly by schedule, and at worker start to catch up). Returns the penalties that left publication.
 */
export async function expirePublicity(deps: Services): Promise<number> {
  const n = await deps.publicity.expirePublicity();
  const archived = await deps.publicity.archiveExpired();
  const entries = await deps.disclosure.archiveListEntries();
  if (n || archived) deps.publicityRepo.forgetCounts();
  if (n) deps.log.info('公示期满的行政处罚已停止公示', { penalties: n });
  if (archived) deps.log.info('披露期满 5 年的行政处罚已归档', { penalties: archived });
  if (entries) deps.log.info('披露期满的红黑名单条目已归档', { entries });
  return n;
}

/** Today's open-data files (unless already written) and the removal of days past their 30 (OpenDataService). */
export async function publishOpenData(deps: Services): Promise<void> {
  const { date, written, removed } = await deps.openData.publish();
  if (written || removed.length) deps.log.info('开放数据文件已生成', { date, written, removed });
}

/** Leftover uploads (older than 2 h) and expired export files; at worker start and hourly. */
export async function sweepFiles(deps: Services): Promise<void> {
  const uploads = await sweepOldFiles(incomingDir(deps.uploadDir), LEFTOVER_MAX_AGE_MS);
  const exports = await deps.exports.sweepExpired();
  if (uploads || exports) deps.log.info('清理过期文件', { uploads, exports });
}

/**
 * The worker role: runs every queue, sweeps leftover uploads at start (then hourly by schedule), and sweeps
 * imports and exports whose run was interrupted: at start, every 30 s, and every 2 s while the database is away,
 * so they are marked failed as soon as it is back.
 */
export async function startWorker(deps: Services, opts: WorkerOptions = {}): Promise<RunningWorker> {
  const poll = opts.pollingIntervalSeconds ?? 2;
  for (const [name, handler] of Object.entries(handlers(deps))) {
    await deps.jobs.work(name as JobName, poll, handler as (data: object, jobId: string) => Promise<void>);
  }
  await sweepFiles(deps).catch((err: unknown) => deps.log.warn('upload sweep failed', { message: (err as Error).message }));
  // A worker that was down at midnight catches up at once.
  await expirePublicity(deps).catch((err: unknown) => deps.log.warn('publicity expiry failed', { message: (err as Error).message }));
  await confirmListNotices(deps).catch((err: unknown) => deps.log.warn('list notice confirmation failed', { message: (err as Error).message }));

  const every = opts.sweepEveryMs ?? 30_000;
  const whileAway = opts.sweepWhileAwayMs ?? 2_000;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let away = false;
  // Any sign that the database is away (a queue poll, a job) switches the sweep to its fast cadence at once,
  // so interrupted work is marked failed within seconds of the database's return.
  deps.jobs.onDatabaseAway(() => {
    if (away || stopped) return;
    away = true;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void tick(), whileAway).unref();
  });
  const sweep = async () => {
    const imports = await deps.imports.sweepInterrupted();
    const exports = await deps.exports.sweepInterrupted();
    if (imports || exports) deps.log.warn('已将中断的后台任务标记为失败', { imports, exports });
  };
  const tick = async () => {
    timer = null;
    let next = every;
    try {
      await sweep();
      if (away) deps.log.info('数据库已恢复');
      away = false;
    } catch (err) {
      if (isConnectionError(err)) {
        if (!away) deps.log.warn('数据库不可用，后台任务暂停', { message: (err as Error).message });
        away = true;
        next = whileAway;
      } else {
        deps.log.error('interrupted-work sweep failed', { message: (err as Error).message });
      }
    }
    // unref: the sweep alone never keeps a process alive (the queue's poll and the HTTP server do).
    if (!stopped && !timer) timer = setTimeout(() => void tick(), next).unref();
  };
  await tick();
  return {
    sweep,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
