import type pg from 'pg';
import type { Db } from '../../platform/database/client.js';
import { failInterruptedSql } from '../../platform/database/interrupted.js';
import { isConnectionError } from '../../platform/database/pool.js';
import type { TxExecutor } from '../../platform/queue.js';
import type { RecordKind } from '../../domain/publicity/fields.js';

const BATCH = 2000;

export type ExportFormat = 'csv' | 'xlsx';

/** What a claimed export job asks for. */
export interface ExportRequest {
  kind: RecordKind;
  format: ExportFormat;
  since: string;
}

/** The statements a running export job makes on the connection that holds its advisory lock. */
export interface ExportSession {
  /** queued → running; undefined when another worker took it or it is no longer queued */
  claim(): Promise<ExportRequest | undefined>;
  setEstimate(rows: number): Promise<void>;
  finish(result: { rows: number; bytes: number; path: string }): Promise<void>;
}

/**
 * The records an export reads (keyset-paged, so memory stays flat) and the export_file rows of background exports.
 * The back-office pages' instance is built on the request pool; ExportService's on the pools without a statement
 * timeout (an export may read for minutes), with the node-pg pool that file jobs need for their locks.
 */
export class ExportRepository {
  constructor(
    private readonly db: Db,
    private readonly pool?: pg.Pool,
  ) {}

  /** One export file's record, or null. */
  file(id: number) {
    return this.db.exportFile.findUnique({ where: { id } });
  }

  private static penaltyWhere(since: Date) {
    // Henan keeps the natural-person simple-procedure penalties off the platform; an archived penalty (条例 Art. 19/44)
    // is disclosed to no one.
    // A revoked decision (条例 Art. 42) is withdrawn too, but goes out once more as a revocation notice, so the
    // receiving platforms take it down as well; a record withdrawn for any other reason was never meant to exist.
    return {
      updatedAt: { gte: since },
      OR: [{ withdrawnAt: null }, { revokedOn: { not: null } }],
      archivedAt: null,
      NOT: { subjectCategory: 'natural' as const, simpleProcedure: true },
    };
  }

  private static permitWhere(since: Date) {
    return { updatedAt: { gte: since }, OR: [{ withdrawnAt: null }, { revokedOn: { not: null } }] };
  }

  /** Records an export would hold (changed since `since`, not withdrawn unless revoked), counting no further than `cap`. */
  count(kind: RecordKind, since: Date, cap?: number): Promise<number> {
    if (kind === 'permit') {
      const where = ExportRepository.permitWhere(since);
      return cap ? this.db.permit.count({ where, take: cap }) : this.db.permit.count({ where });
    }
    const where = ExportRepository.penaltyWhere(since);
    return cap ? this.db.penalty.count({ where, take: cap }) : this.db.penalty.count({ where });
  }

  /** The same records, in id order, a batch at a time. */
  async *records(kind: RecordKind, since: Date): AsyncGenerator<Record<string, unknown>> {
    let cursor: number | undefined;
    for (;;) {
      const page = { orderBy: { id: 'asc' as const }, take: BATCH, ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}) };
      const rows =
        kind === 'permit'
          ? await this.db.permit.findMany({ where: ExportRepository.permitWhere(since), ...page })
          : await this.db.penalty.findMany({ where: ExportRepository.penaltyWhere(since), ...page });
      for (const r of rows) yield r;
      const last = rows[rows.length - 1];
      if (rows.length < BATCH || !last) return;
      cursor = last.id;
    }
  }

  private bulkPool(): pg.Pool {
    if (!this.pool) throw new Error('ExportRepository built without a pool');
    return this.pool;
  }

  /** Stores a queued export_file row and, in the same transaction, `enqueue`s its job; returns the row's id. */
  async createFile(
    row: { kind: RecordKind; format: ExportFormat; since: string; fileName: string; userId: number; jobId: string; ttlMs: number },
    enqueue: (id: number, tx: TxExecutor) => Promise<unknown>,
  ): Promise<number> {
    const client = await this.bulkPool().connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ id: number }>(
        `INSERT INTO export_file (kind, format, since, file_name, user_id, job_id, expires_at) VALUES ($1, $2, $3, $4, $5, $6, now() + $7 * interval '1 millisecond') RETURNING id`,
        [row.kind, row.format, row.since, row.fileName, row.userId, row.jobId, row.ttlMs],
      );
      const id = rows[0]!.id;
      await enqueue(id, client);
      await client.query('COMMIT');
      return id;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  /**
   * Runs `work` holding the export's session advisory lock (lockClass, exportId) on one connection, which tells
   * sweepInterrupted that the export is alive; does nothing when another worker holds it. When `work` fails,
   * `failed` runs while the lock is still held (interrupted: the connection broke), then the error is thrown again.
   * A broken connection is discarded rather than returned to the pool.
   */
  async withExportLock(
    lockClass: number,
    exportId: number,
    work: (session: ExportSession) => Promise<void>,
    failed: (interrupted: boolean) => Promise<void>,
  ): Promise<void> {
    const client = await this.bulkPool().connect();
    let broken: Error | undefined;
    let locked = false;
    try {
      const lock = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [lockClass, exportId]);
      if (!lock.rows[0]?.ok) return;
      locked = true;
      await work({
        claim: async () =>
          (
            await client.query<ExportRequest>(`UPDATE export_file SET status = 'running' WHERE id = $1 AND status = 'queued' RETURNING kind, format, since`, [
              exportId,
            ])
          ).rows[0],
        setEstimate: async (rows) => {
          await client.query('UPDATE export_file SET estimated_rows = $2 WHERE id = $1', [exportId, rows]);
        },
        finish: async (r) => {
          await client.query(`UPDATE export_file SET status = 'done', rows = $2, bytes = $3, path = $4, finished_at = now() WHERE id = $1`, [
            exportId,
            r.rows,
            r.bytes,
            r.path,
          ]);
        },
      });
    } catch (err) {
      if (isConnectionError(err)) broken = err as Error;
      await failed(broken !== undefined);
      throw err;
    } finally {
      if (locked && !broken) await client.query('SELECT pg_advisory_unlock($1, $2)', [lockClass, exportId]).catch(() => {});
      client.release(broken);
    }
  }

  /** Marks an export failed unless it already ended. */
  async markFailed(exportId: number, message: string): Promise<void> {
    await this.db.exportFile.updateMany({
      where: { id: exportId, status: { in: ['queued', 'running'] } },
      data: { status: 'failed', message, finishedAt: new Date() },
    });
  }

  /** Marks failed the exports whose worker is gone: no holder of their lock, and no pending job. Returns how many. */
  async failInterrupted(lockClass: number, message: string): Promise<number> {
    const { rowCount } = await this.bulkPool().query(failInterruptedSql('export_file', lockClass), [message]);
    return rowCount ?? 0;
  }

  expiredFiles(now: Date) {
    return this.db.exportFile.findMany({ where: { expiresAt: { lt: now } }, select: { id: true, path: true } });
  }

  async deleteFiles(ids: number[]): Promise<void> {
    await this.db.exportFile.deleteMany({ where: { id: { in: ids } } });
  }
}
