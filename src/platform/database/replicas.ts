import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestHandler } from 'express';
import pg from 'pg';
import type { Logger } from '../logger.js';
import { isConnectionError } from './pool.js';

/**
 * Public reads from PostgreSQL streaming replicas (docs/deploy.md#replicas).
 *
 * A RoutingPool stands where a repository expects a pg.Pool (and under Prisma's adapter, which only needs
 * query/connect/on/end of a pg.Pool): each statement or transaction goes to a healthy replica when the request
 * may read from one, else to the primary. Which replicas are healthy is decided in the background by ReplicaSet,
 * never per request. A request may read from a replica only inside readsFromReplica(): anonymous GET pages;
 * the back office, every POST, jobs and start-up never enter it, so they read their own writes.
 */

const context = new AsyncLocalStorage<{ replica: boolean }>();

/** Lets the rest of the request read from a replica: anonymous GET/HEAD pages outside the back office. */
export function replicaReads(): RequestHandler {
  return (req, _res, next) => {
    const eligible = (req.method === 'GET' || req.method === 'HEAD') && !req.user && !req.path.startsWith('/admin');
    if (eligible) context.run({ replica: true }, next);
    else next();
  };
}

/** Runs fn as a public page would: its routed reads may go to a replica (tests, scripts). */
export function readsFromReplica<T>(fn: () => T): T {
  return context.run({ replica: true }, fn);
}

export interface ReplicaState {
  url: string;
  healthy: boolean;
  /** Milliseconds the replica is behind the primary; null when it cannot be reached. */
  lagMs: number | null;
  /** Why it is not used, when it is not. */
  reason?: string;
}

interface Member {
  /** host:port/db only: the log never shows a password. */
  label: string;
  healthy: boolean;
  lagMs: number | null;
  reason?: string;
  /** Whether a check has judged it yet: the first verdict is logged whichever it is. */
  checked: boolean;
  /** The pool the health check uses. */
  probe: pg.Pool;
}

/** What each statement and transaction was served by, for the tests and the demo. */
export interface Served {
  replica: number;
  primary: number;
  /** Statements retried on the primary after the replica failed. */
  retried: number;
}

export function replicaLabel(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return 'replica';
  }
}

/** A standby refuses a write with 25006; such a statement is run on the primary instead of failing. */
function isReadOnlyRefusal(err: unknown): boolean {
  return !!err && typeof err === 'object' && (err as { code?: unknown }).code === '25006';
}

/**
 * The replicas and their health. Every `checkEveryMs` the primary's WAL position is sampled and each replica's
 * replayed position compared with the samples: its lag is the age of the oldest sample it has not replayed yet
 * (0 when it has replayed them all). Measured this way an idle primary does not look like a lagging replica, as
 * now() - pg_last_xact_replay_timestamp() would, and only the primary's clock is used.
 */
export class ReplicaSet {
  readonly members: Member[];
  readonly served: Served = { replica: 0, primary: 0, retried: 0 };
  private readonly samples: { at: number; lsn: string }[] = [];
  private timer: NodeJS.Timeout | null = null;
  private checking: Promise<void> | null = null;
  private next = 0;

  constructor(
    urls: readonly string[],
    private readonly primary: pg.Pool,
    private readonly log: Pick<Logger, 'info' | 'warn'>,
    private readonly opts: { maxLagMs: number; checkEveryMs: number; options?: string },
  ) {
    this.members = urls.map((url) => {
      const probe = new pg.Pool({
        connectionString: url,
        max: 1,
        connectionTimeoutMillis: 2000,
        statement_timeout: 2000,
        ...(opts.options ? { options: opts.options } : {}),
      });
      probe.on('error', () => {});
      // Until the first check says otherwise a replica is not used.
      return { label: replicaLabel(url), healthy: false, lagMs: null, reason: '尚未检查', checked: false, probe };
    });
  }

  /** Runs a first check, then keeps checking in the background. */
  async start(): Promise<void> {
    await this.check();
    const loop = () => {
      this.timer = setTimeout(() => void this.check().finally(() => this.timer && loop()), this.opts.checkEveryMs);
      this.timer.unref();
    };
    loop();
  }

  async stop(): Promise<void> {
    const t = this.timer;
    this.timer = null;
    if (t) clearTimeout(t);
    await this.checking;
    await Promise.allSettled(this.members.map((m) => m.probe.end()));
  }

  state(): ReplicaState[] {
    return this.members.map((m) => ({ url: m.label, healthy: m.healthy, lagMs: m.lagMs, ...(m.reason ? { reason: m.reason } : {}) }));
  }

  /** Index of the replica to use next (round robin over the healthy ones), or -1 for the primary. */
  pick(): number {
    const n = this.members.length;
    for (let i = 0; i < n; i++) {
      const k = (this.next + i) % n;
      if (this.members[k]!.healthy) {
        this.next = (k + 1) % n;
        return k;
      }
    }
    return -1;
  }

  /** A replica that failed a query is out until the next check finds it well. */
  markDown(index: number, err: unknown): void {
    this.set(index, false, null, `连接失败：${(err as Error)?.message ?? String(err)}`);
  }

  check(): Promise<void> {
    this.checking ??= this.runCheck().finally(() => (this.checking = null));
    return this.checking;
  }

  private async runCheck(): Promise<void> {
    const now = Date.now();
    try {
      const { rows } = await this.primary.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
      this.samples.push({ at: now, lsn: rows[0]!.lsn });
    } catch {
      // Without the primary's position the lag is judged on the samples already taken.
    }
    // Enough history to tell a lag just past the bound from one far past it.
    while (this.samples.length > 2 && now - this.samples[1]!.at > this.opts.maxLagMs * 2) this.samples.shift();
    await Promise.all(this.members.map((m, i) => this.checkOne(m, i, now)));
  }

  private async checkOne(m: Member, index: number, now: number): Promise<void> {
    try {
      const { rows } = await m.probe.query<{ recovery: boolean; replay: string | null }>(
        'SELECT pg_is_in_recovery() AS recovery, pg_last_wal_replay_lsn()::text AS replay',
      );
      const { recovery, replay } = rows[0]!;
      if (recovery && replay === null) return this.set(index, false, null, '尚未开始回放');
      // A server not in recovery has all its own writes: no lag.
      const lag = !recovery ? 0 : await this.lagOf(m, replay!, now);
      if (lag > this.opts.maxLagMs) return this.set(index, false, lag, `延迟 ${lag} ms 超过上限 ${this.opts.maxLagMs} ms`);
      this.set(index, true, lag);
    } catch (err) {
      this.set(index, false, null, `无法连接：${(err as Error).message}`);
    }
  }

  /** The age of the oldest primary sample past `replay`, compared on the replica (pg_lsn arithmetic). */
  private async lagOf(m: Member, replay: string, now: number): Promise<number> {
    if (this.samples.length === 0) return 0;
    const lsns = this.samples.map((s) => s.lsn);
    const { rows } = await m.probe.query<{ i: number | null }>(
      'SELECT min(i)::int AS i FROM unnest($1::pg_lsn[]) WITH ORDINALITY AS s(lsn, i) WHERE s.lsn > $2::pg_lsn',
      [lsns, replay],
    );
    const i = rows[0]?.i;
    return i == null ? 0 : now - this.samples[i - 1]!.at;
  }

  private set(index: number, healthy: boolean, lagMs: number | null, reason?: string): void {
    const m = this.members[index]!;
    const changed = m.healthy !== healthy || !m.checked;
    m.checked = true;
    m.healthy = healthy;
    m.lagMs = lagMs;
    m.reason = reason;
    if (!changed) return;
    if (healthy) this.log.info('只读副本可用，公开页面的查询改由副本承担', { replica: m.label, lagMs });
    else this.log.warn('只读副本不可用，公开页面的查询改由主库承担', { replica: m.label, lagMs, reason });
  }
}

type QueryArgs = Parameters<pg.Pool['query']>;

/**
 * A pg.Pool that sends each statement to the primary or a replica (see the top of this file). A statement that fails
 * on a replica because the replica is unreachable (or refuses a write) is run once more on the primary.
 */
export class RoutingPool extends pg.Pool {
  constructor(
    private readonly primaryPool: pg.Pool,
    private readonly replicaPools: readonly pg.Pool[],
    private readonly set: ReplicaSet,
  ) {
    // The base pool is never used: every call goes to primaryPool or a replica's pool.
    super({ max: 1 });
  }

  private route(): number {
    return context.getStore()?.replica ? this.set.pick() : -1;
  }

  override query(...args: unknown[]): never {
    const index = this.route();
    if (index < 0) {
      this.set.served.primary++;
      return (this.primaryPool.query as (...a: unknown[]) => never)(...args);
    }
    if (typeof args[args.length - 1] === 'function') throw new Error('RoutingPool: callback queries are not supported');
    this.set.served.replica++;
    const replica = this.replicaPools[index]!;
    return (replica.query as (...a: QueryArgs) => Promise<unknown>)(...(args as QueryArgs)).catch((err: unknown) => {
      if (!isConnectionError(err) && !isReadOnlyRefusal(err)) throw err;
      if (isConnectionError(err)) this.set.markDown(index, err);
      this.set.served.retried++;
      return (this.primaryPool.query as (...a: QueryArgs) => Promise<unknown>)(...(args as QueryArgs));
    }) as never;
  }

  override connect(...args: unknown[]): never {
    if (args.length > 0) throw new Error('RoutingPool: callback connect is not supported');
    const index = this.route();
    if (index < 0) {
      this.set.served.primary++;
      return this.primaryPool.connect() as never;
    }
    this.set.served.replica++;
    return this.replicaPools[index]!.connect().catch((err: unknown) => {
      if (!isConnectionError(err)) throw err;
      this.set.markDown(index, err);
      this.set.served.retried++;
      return this.primaryPool.connect();
    }) as never;
  }

  /** Ends the replicas' pools only: the primary's belongs to its own client. */
  override async end(): Promise<void> {
    await Promise.allSettled(this.replicaPools.map((p) => p.end()));
  }
}
