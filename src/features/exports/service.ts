import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type pg from 'pg';
import type { Db } from '../../platform/database/client.js';
import { isConnectionError } from '../../platform/database/pool.js';
import { ensurePrivateDir } from '../../platform/uploads.js';
import { JOB, type JobQueue } from '../../platform/queue.js';
import { fieldsOf, type RecordKind } from '../../domain/publicity/fields.js';
import { formValues } from '../publicity/view-model.js';
import { csvCell, neutraliseCell } from '../../platform/csv-cell.js';
import { encodeXstring } from '../../platform/xlsx-reader.js';
import { exportCsvHeader } from '../imports/template.js';

const BATCH = 2000;

/** Above this many records an export is written to a file by a background job instead of streamed to the browser. */
export const STREAM_MAX_ROWS = 20_000;
/** How long the owner may download a background export. */
export const EXPORT_FILE_TTL_MS = 24 * 3_600_000;
/** Advisory-lock class of running export jobs (the second key is the export_file id). */
export const EXPORT_LOCK_CLASS = 720_631_102;
export const EXPORT_INTERRUPTED = '导出过程中断（数据库连接中断或服务重启），请重新导出。';

export interface ExportJob {
  exportId: number;
}

export type ExportFormat = 'csv' | 'xlsx';

/**
 * Records changed since a date, for 信用河南 / 信用中国, in the 2019 national shape (field codes as headers,
 * dates YYYY/MM/DD). Withdrawn records and the natural-person simple-procedure penalties that Henan keeps
 * off the platform are left out. Rows are read in keyset-paged batches so memory stays flat.
 */
export class ExportService {
  /** Above this many records the export becomes a file job (tests lower it). */
  streamMaxRows = STREAM_MAX_ROWS;

  constructor(
    private readonly db: Db,
    private readonly pool?: pg.Pool,
    private readonly jobs?: JobQueue,
    /** Where finished export files are kept (0700, files 0600). */
    private readonly dir?: string,
  ) {}

  private where(kind: RecordKind, since: Date) {
    return {
      updatedAt: { gte: since },
      withdrawnAt: null,
      ...(kind === 'penalty' ? { NOT: { subjectCategory: 'natural' as const, simpleProcedure: true } } : {}),
    };
  }

  /** Records an export would hold, counting no further than `cap`. */
  async count(kind: RecordKind, since: Date, cap?: number): Promise<number> {
    const model = (kind === 'permit' ? this.db.permit : this.db.penalty) as unknown as { count(args: unknown): Promise<number> };
    return model.count({ where: this.where(kind, since), ...(cap ? { take: cap } : {}) });
  }

  /** Queues a file export (row and job in one transaction); returns the export_file id. */
  async requestFile(kind: RecordKind, since: string, format: ExportFormat, fileName: string, user: Express.User): Promise<number> {
    const { pool, jobs } = this.background();
    const jobId = randomUUID();
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ id: number }>(
        `INSERT INTO export_file (kind, format, since, file_name, user_id, job_id, expires_at) VALUES ($1, $2, $3, $4, $5, $6, now() + $7 * interval '1 millisecond') RETURNING id`,
        [kind, format, since, fileName, user.id, jobId, EXPORT_FILE_TTL_MS],
      );
      const id = rows[0]!.id;
      await jobs.send(JOB.exportWrite, { exportId: id } satisfies ExportJob, { id: jobId, tx: client });
      await client.query('COMMIT');
      jobs.wake(JOB.exportWrite);
      return id;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  private background(): { pool: pg.Pool; jobs: JobQueue; dir: string } {
    if (!this.pool || !this.jobs || !this.dir) throw new Error('ExportService built without a queue');
    return { pool: this.pool, jobs: this.jobs, dir: this.dir };
  }

  /** The worker half: writes the file under an advisory lock (see sweepInterrupted), then marks it done. */
  async runJob(data: ExportJob, jobId?: string): Promise<void> {
    const { pool, dir } = this.background();
    const client = await pool.connect();
    let broken: Error | undefined;
    let locked = false;
    let part: string | null = null;
    try {
      const lock = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [EXPORT_LOCK_CLASS, data.exportId]);
      if (!lock.rows[0]?.ok) return;
      locked = true;
      const { rows } = await client.query<{ kind: RecordKind; format: ExportFormat; since: string }>(
        `UPDATE export_file SET status = 'running' WHERE id = $1 AND status = 'queued' RETURNING kind, format, since`,
        [data.exportId],
      );
      const job = rows[0];
      if (!job) return;
      const sinceAt = new Date(`${job.since}T00:00:00+08:00`);
      const estimated = await this.count(job.kind, sinceAt);
      await client.query('UPDATE export_file SET estimated_rows = $2 WHERE id = $1', [data.exportId, estimated]);
      ensurePrivateDir(dir);
      part = path.join(dir, `${data.exportId}-${randomUUID()}.part`);
      const out = createWriteStream(part, { mode: 0o600 });
      const closed = new Promise<void>((resolve, reject) => {
        out.on('close', resolve);
        out.on('error', reject);
      });
      const n = job.format === 'csv' ? await this.csv(job.kind, sinceAt, out) : await this.xlsx(job.kind, sinceAt, out);
      await closed;
      const final = part.replace(/\.part$/, `.${job.format}`);
      await rename(part, final);
      part = final;
      const { size } = await stat(final);
      await client.query(`UPDATE export_file SET status = 'done', rows = $2, bytes = $3, path = $4, finished_at = now() WHERE id = $1`, [
        data.exportId,
        n,
        size,
        path.basename(final),
      ]);
      part = null;
    } catch (err) {
      if (isConnectionError(err)) broken = err as Error;
      await this.db.exportFile
        .updateMany({
          where: { id: data.exportId, status: { in: ['queued', 'running'] } },
          data: { status: 'failed', message: broken ? EXPORT_INTERRUPTED : '导出时发生系统错误，请稍后重试或联系管理员。', finishedAt: new Date() },
        })
        .catch(() => {});
      throw Object.assign(err as Error, { jobId });
    } finally {
      if (part) await rm(part, { force: true });
      if (locked && !broken) await client.query('SELECT pg_advisory_unlock($1, $2)', [EXPORT_LOCK_CLASS, data.exportId]).catch(() => {});
      client.release(broken);
    }
  }

  /** Marks failed the exports whose worker is gone (same rule as imports: no lock holder, no pending job). */
  async sweepInterrupted(): Promise<number> {
    const { pool } = this.background();
    const { rowCount } = await pool.query(
      `UPDATE export_file e SET status = 'failed', message = $1, finished_at = now()
        WHERE e.status IN ('queued', 'running')
          AND NOT EXISTS (SELECT 1 FROM pg_locks l
                           WHERE l.locktype = 'advisory' AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                             AND l.classid = ${EXPORT_LOCK_CLASS} AND l.objid = e.id AND l.objsubid = 2)
          AND (e.status = 'running' OR e.job_id IS NULL
               OR NOT EXISTS (SELECT 1 FROM pgboss.job j WHERE j.id = e.job_id AND j.state IN ('created', 'retry', 'active')))`,
      [EXPORT_INTERRUPTED],
    );
    return rowCount ?? 0;
  }

  /** Deletes export files (and their rows) past their 24 hours; returns how many. */
  async sweepExpired(now = new Date()): Promise<number> {
    const { dir } = this.background();
    const expired = await this.db.exportFile.findMany({ where: { expiresAt: { lt: now } }, select: { id: true, path: true } });
    for (const e of expired) if (e.path) await rm(path.join(dir, path.basename(e.path)), { force: true });
    if (expired.length) await this.db.exportFile.deleteMany({ where: { id: { in: expired.map((e) => e.id) } } });
    return expired.length;
  }

  /** Absolute path of a finished export's file. */
  filePath(stored: string): string {
    return path.join(this.background().dir, path.basename(stored));
  }

  private async *records(kind: RecordKind, since: Date): AsyncGenerator<Record<string, unknown>> {
    const model = (kind === 'permit' ? this.db.permit : this.db.penalty) as unknown as { findMany(args: unknown): Promise<Record<string, unknown>[]> };
    const where = this.where(kind, since);
    let cursor: number | undefined;
    for (;;) {
      const rows = await model.findMany({ where, orderBy: { id: 'asc' }, take: BATCH, ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}) });
      for (const r of rows) yield r;
      if (rows.length < BATCH) return;
      cursor = rows[rows.length - 1]!.id as number;
    }
  }

  /** One record as the national template's strings, in catalogue order. */
  static cells(kind: RecordKind, rec: Record<string, unknown>): string[] {
    const values = formValues(kind, rec);
    return fieldsOf(kind).map((f) => {
      const v = values[f.key] ?? '';
      return f.type === 'date' ? v.replace(/-/g, '/') : v;
    });
  }

  async csv(kind: RecordKind, since: Date, out: Writable): Promise<number> {
    let n = 0;
    out.write('\uFEFF' + exportCsvHeader(kind).join(',') + '\r\n');
    for await (const rec of this.records(kind, since)) {
      const ok = out.write(ExportService.cells(kind, rec).map(csvCell).join(',') + '\r\n');
      n++;
      if (!ok) await new Promise((resolve) => out.once('drain', resolve));
    }
    out.end();
    return n;
  }

  async xlsx(kind: RecordKind, since: Date, out: Writable): Promise<number> {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
    const ws = wb.addWorksheet(kind === 'permit' ? '行政许可' : '行政处罚');
    ws.addRow(exportCsvHeader(kind)).commit();
    let n = 0;
    // Every cell is written as a string, so no code or ID number can turn into a truncated number; a cell that
    // could run as a formula gets a leading ' (../../platform/csv-cell.ts), removed again on import; text that looks
    // like Excel's _xHHHH_ escape is escaped itself, as Excel would (exceljs does not).
    for await (const rec of this.records(kind, since)) {
      ws.addRow(ExportService.cells(kind, rec).map((v) => encodeXstring(neutraliseCell(v)))).commit();
      n++;
    }
    ws.commit();
    await wb.commit();
    return n;
  }
}
