import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import type pg from 'pg';
import { JOB, type JobQueue } from '../../platform/queue.js';
import { isConnectionError } from '../../platform/database/pool.js';
import type { Db } from '../../platform/database/client.js';
import { failInterruptedSql } from '../../platform/database/interrupted.js';
import type { AuditLog } from '../../platform/audit.js';
import type { Logger } from '../../platform/logger.js';
import { recordSchema } from '../../domain/publicity/schemas.js';
import { beijingToday } from '../../domain/dates.js';
import type { PublicityService } from '../publicity/service.js';
import { revokeImported, writeRecords, type RecordInput, type RecordKey, type RowProblem, type StagedRow } from '../publicity/writer.js';
import type { PenaltyInput, PermitInput } from '../../domain/publicity/schemas.js';
import { revocationDue } from '../../domain/objection-deadlines.js';
import type { CommitmentService } from '../commitments/service.js';
import { commitmentSchema, type CommitmentInput } from '../commitments/schemas.js';
import { writeCommitments } from '../commitments/writer.js';
import { ImportFileError, openImport, type ImportLimits, type ImportSource } from './parse.js';
import { IMPORT_KIND_LABELS, importFields, isRecordKind, type ImportKind } from './kinds.js';

export interface ImportError {
  row: number;
  column: string;
  message: string;
}

/** Only the first errors are stored; the count is always complete. */
export const MAX_STORED_ERRORS = 1000;
const PROGRESS_EVERY = 5000;

export interface UploadedFile {
  path: string;
  originalName: string;
  size: number;
}

/** What the web process hands the worker: the import row, the stored upload and who asked. */
export interface ImportJob {
  importId: number;
  kind: ImportKind;
  path: string;
  originalName: string;
  size: number;
  userId: number;
  ip: string | null;
}

/** Advisory-lock class of running imports (the second key is the import's id). */
export const IMPORT_LOCK_CLASS = 720_631_101;

/** Shown when the run was cut off (database lost, process restarted): nothing was written. */
export const IMPORT_INTERRUPTED = '导入过程中断（数据库连接中断或服务重启），未写入任何数据，请重新导入。';
const IMPORT_SYSTEM_ERROR = '导入时发生系统错误，未写入任何数据，请稍后重试或联系管理员。';

/** A commitments batch is entered by hand in Excel: a smaller cap than 双公示 exports from department systems. */
export const COMMITMENT_MAX_ROWS = 20_000;

interface ValidRow {
  rowNo: number;
  input: unknown;
}

/** What differs between import kinds: how a row is validated and how valid rows are written. */
interface KindRun {
  validate(values: Record<string, string>): { ok: true; data: unknown } | { ok: false; issues: { key: string; message: string }[] };
  /** Runs inside the import's transaction; `shouldApply` turns false as soon as a bad row has been seen. */
  write(
    client: pg.PoolClient,
    rows: AsyncIterable<ValidRow>,
    shouldApply: () => boolean,
  ): Promise<{
    inserted: number;
    updated: number;
    unchanged: number;
    problems: RowProblem[];
    auditDetail?: Record<string, unknown>;
    /** records revoked by their row's state (条例 Art. 42), each audited like 登记撤销 */
    revoked?: { id: number; documentNo: string }[];
  }>;
}

const zodRun = (result: { success: true; data: unknown } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  result.success
    ? ({ ok: true, data: result.data } as const)
    : ({ ok: false, issues: result.error.issues.map((i) => ({ key: String(i.path[0] ?? ''), message: i.message })) } as const);

/**
 * Batch import of 双公示 records and 信用承诺 in their templates, all-or-nothing: rows are validated by the same
 * schema as the form while they stream into the database inside one transaction (a staging table for records,
 * chunked inserts for commitments); one bad row and the transaction is rolled back, and the result page lists
 * every bad row with its row number, column and reason.
 */
export class ImportService {
  private readonly labels: Record<ImportKind, Map<string, string>>;

  constructor(
    private readonly db: Db,
    private readonly pool: pg.Pool,
    private readonly jobs: JobQueue,
    private readonly writers: { publicity: PublicityService; commitments: CommitmentService },
    private readonly audit: AuditLog,
    private readonly log: Logger,
    /** Called after a successful import, e.g. to drop cached public counts. */
    private readonly onWritten: () => void = () => {},
    private readonly limits: Partial<ImportLimits> = {},
  ) {
    const labelsOf = (kind: ImportKind) => new Map(importFields(kind).map((f) => [f.key, f.label]));
    this.labels = { permit: labelsOf('permit'), penalty: labelsOf('penalty'), commitment: labelsOf('commitment') };
  }

  /**
   * The web half: the upload is already in the incoming folder; the import row and its job are written in one
   * transaction (neither exists without the other), and a worker runs it. Returns the import's id at once.
   */
  async start(kind: ImportKind, file: UploadedFile, user: Express.User, ip: string | null): Promise<{ id: number }> {
    if (user.departmentId === null) throw new ImportFileError('您的账号未分配部门，不能导入');
    const jobId = randomUUID();
    const client = await this.pool.connect();
    let id: number;
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ id: number }>(
        `INSERT INTO import (kind, file_name, file_bytes, department_id, user_id, status, job_id) VALUES ($1, $2, $3, $4, $5, 'queued', $6) RETURNING id`,
        [kind, file.originalName.slice(0, 255), file.size, user.departmentId, user.id, jobId],
      );
      id = rows[0]!.id;
      const data: ImportJob = { importId: id, kind, path: file.path, originalName: file.originalName, size: file.size, userId: user.id, ip };
      await this.jobs.send(JOB.importRun, data, { id: jobId, tx: client });
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
    this.jobs.wake(JOB.importRun);
    return { id };
  }

  /** Resolves with the import once it has left queued/running (tests and the benchmark). */
  async waitFinished(id: number, timeoutMs = 120_000) {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const imp = await this.db.import.findUniqueOrThrow({ where: { id } });
      if (imp.status !== 'queued' && imp.status !== 'running') return imp;
      if (Date.now() > until) throw new Error(`import ${id} did not finish`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /**
   * The worker half. The import runs on one connection holding an advisory lock on the import's id for the whole
   * run, so "running and nobody holds the lock" means its worker is gone (see sweepInterrupted). The upload is
   * removed when the job ends, however it ends.
   */
  async runJob(data: ImportJob, jobId?: string): Promise<void> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    let locked = false;
    try {
      const lock = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [IMPORT_LOCK_CLASS, data.importId]);
      // Another worker already runs it (a duplicate delivery): leave it alone.
      if (!lock.rows[0]?.ok) return;
      locked = true;
      const claimed = await client.query(`UPDATE import SET status = 'running', started_at = now() WHERE id = $1 AND status = 'queued' RETURNING id`, [
        data.importId,
      ]);
      if (!claimed.rowCount) return; // swept as interrupted, or already run
      const user = await this.userOf(data.userId);
      const file: UploadedFile = { path: data.path, originalName: data.originalName, size: data.size };
      // Waited so long for a worker (none running for 2 hours) that the hourly sweep removed the upload.
      if (!existsSync(file.path))
        return await this.fail(
          data.importId,
          '上传的文件已不存在（排队等待超过 2 小时后被清理），未写入任何数据，请重新导入。',
          user,
          data.ip,
          data.kind,
          file,
        );
      try {
        await this.run(client, data.importId, data.kind, file, user, data.ip);
      } catch (err) {
        const interrupted = isConnectionError(err);
        if (interrupted) broken = err as Error;
        this.log.error('import failed', { importId: data.importId, jobId, message: (err as Error).message });
        await this.db.import
          .updateMany({
            where: { id: data.importId, status: { in: ['queued', 'running'] } },
            data: { status: 'failed', message: interrupted ? IMPORT_INTERRUPTED : IMPORT_SYSTEM_ERROR, finishedAt: new Date() },
          })
          .catch(() => {});
        throw err;
      }
    } catch (err) {
      if (isConnectionError(err)) broken = err as Error;
      throw err;
    } finally {
      if (locked && !broken) await client.query('SELECT pg_advisory_unlock($1, $2)', [IMPORT_LOCK_CLASS, data.importId]).catch(() => {});
      // A connection that failed is thrown away (its lock went with it), not returned to the pool.
      client.release(broken);
      await rm(data.path, { force: true });
    }
  }

  /**
   * Marks failed every import left queued or running by a worker that is gone: running with nobody holding its
   * lock, or queued with no pending pg-boss job. Nothing of such an import was written (its rows and its status
   * commit together), so the user is told to import again. Returns how many were marked.
   */
  async sweepInterrupted(): Promise<number> {
    const { rowCount } = await this.pool.query(failInterruptedSql('import', IMPORT_LOCK_CLASS), [IMPORT_INTERRUPTED]);
    return rowCount ?? 0;
  }

  private async userOf(id: number): Promise<Express.User> {
    const u = await this.db.user.findUniqueOrThrow({
      where: { id },
      select: { id: true, username: true, displayName: true, role: true, departmentId: true, department: { select: { name: true } } },
    });
    return {
      id: u.id,
      username: u.username,
      displayName: u.displayName,
      role: u.role,
      departmentId: u.departmentId,
      departmentName: u.department?.name ?? null,
    };
  }

  private async run(client: pg.PoolClient, id: number, kind: ImportKind, file: UploadedFile, user: Express.User, ip: string | null): Promise<void> {
    if (user.departmentId === null) return this.fail(id, '您的账号未分配部门，不能导入', user, ip, kind, file);
    const dept = await this.db.department.findUniqueOrThrow({ where: { id: user.departmentId }, select: { name: true, uscc: true } });
    let source: ImportSource;
    try {
      const limits = kind === 'commitment' ? { maxRows: COMMITMENT_MAX_ROWS, ...this.limits } : this.limits;
      source = await openImport(file.path, {
        originalName: file.originalName,
        kind,
        context: { departmentName: dept.name, departmentUscc: dept.uscc },
        limits,
      });
    } catch (err) {
      if (err instanceof ImportFileError) return this.fail(id, err.message, user, ip, kind, file);
      throw err;
    }
    const estimatedRows = source.format === 'csv' ? await estimateCsvRows(file.path, file.size) : null;
    await this.db.import.update({ where: { id }, data: { format: source.format, shape: source.shape, estimatedRows } });

    const labels = this.labels[kind];
    const errors: ImportError[] = [];
    let errorRows = 0;
    let total = 0;
    const runner = await this.kindRun(kind, id, user, ip);
    const progress = async (n: number) => {
      await this.db.import.update({ where: { id }, data: { processedRows: n } }).catch(() => {});
    };

    async function* validRows(): AsyncGenerator<ValidRow> {
      for await (const r of source.rows) {
        total++;
        if (total % PROGRESS_EVERY === 0) void progress(total);
        const rowErrors: ImportError[] = r.problems.map((p) => ({ row: r.rowNumber, column: labels.get(p.key) ?? '', message: p.message }));
        const parsed = runner.validate(r.values);
        if (!parsed.ok) {
          for (const issue of parsed.issues) rowErrors.push({ row: r.rowNumber, column: labels.get(issue.key) ?? '', message: issue.message });
        }
        if (rowErrors.length || !parsed.ok) {
          errorRows++;
          for (const e of rowErrors) if (errors.length < MAX_STORED_ERRORS) errors.push(e);
          continue;
        }
        // Once a row is bad nothing will be written, but the rest is still read so every bad row is reported.
        if (errorRows === 0) yield { rowNo: r.rowNumber, input: parsed.data };
      }
    }

    let fileError: string | null = null;
    let written: {
      inserted: number;
      updated: number;
      unchanged: number;
      auditDetail?: Record<string, unknown>;
      revoked?: { id: number; documentNo: string }[];
    } = { inserted: 0, updated: 0, unchanged: 0 };
    let ok = false;
    try {
      await client.query('BEGIN');
      // A large import is one long transaction: a statement timeout meant for page reads must not cut it.
      await client.query('SET LOCAL statement_timeout = 0');
      try {
        const result = await runner.write(client, validRows(), () => errorRows === 0 && total > 0);
        for (const p of result.problems) {
          if (errors.length < MAX_STORED_ERRORS) errors.push({ row: p.row, column: labels.get(p.key ?? 'documentNo') ?? p.column, message: p.message });
        }
        if (result.problems.length) errorRows += new Set(result.problems.map((p) => p.row)).size;
        written = result;
      } catch (err) {
        if (!(err instanceof ImportFileError)) throw err;
        fileError = err.message;
      }
      ok = !fileError && errorRows === 0 && total > 0;
      if (ok) {
        // The records and the import's final status commit together: a reader never sees one without the other.
        await finishImport(client, id, {
          status: 'succeeded',
          total,
          inserted: written.inserted,
          updated: written.updated,
          unchanged: written.unchanged,
          errorRows: 0,
          errors: [],
          message: null,
        });
        await client.query('COMMIT');
      } else {
        await client.query('ROLLBACK');
      }
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      await source.close();
    }

    if (fileError) return this.fail(id, fileError, user, ip, kind, file, total);
    if (total === 0) return this.fail(id, '文件中没有数据行', user, ip, kind, file);
    if (ok) this.onWritten();
    else {
      errors.sort((a, b) => a.row - b.row);
      await finishImport(client, id, {
        status: 'failed',
        total,
        inserted: 0,
        updated: 0,
        unchanged: 0,
        errorRows,
        errors,
        message: `${errorRows} 行有错误，未写入任何数据。请改正后重新导入整个文件。`,
      });
    }
    await this.audit.record({
      action: 'import.run',
      userId: user.id,
      username: user.username,
      ip,
      targetType: 'import',
      targetId: id,
      detail: {
        kind: IMPORT_KIND_LABELS[kind],
        file: file.originalName,
        rows: total,
        inserted: ok ? written.inserted : 0,
        updated: ok ? written.updated : 0,
        unchanged: ok ? written.unchanged : 0,
        errorRows,
        ...(ok ? written.auditDetail : {}),
      },
    });
    // Each revocation has its own line, as one recorded on the record's page (登记撤销) has.
    for (const r of ok && isRecordKind(kind) ? (written.revoked ?? []) : []) {
      await this.audit.record({
        action: `${kind}.revoke`,
        userId: user.id,
        username: user.username,
        ip,
        targetType: kind,
        targetId: r.id,
        detail: { documentNo: r.documentNo, importId: id, source: '批量导入（当前状态：撤销/无效）' },
      });
    }
  }

  /** `${机关代码}\u0000${文书号}` of the department's records already revoked (条例 Art. 42). */
  private async revokedKeys(kind: 'permit' | 'penalty', departmentId: number): Promise<Set<string>> {
    const args = { where: { departmentId, revokedOn: { not: null } }, select: { authorityCode: true, documentNo: true } } as const;
    const rows = kind === 'permit' ? await this.db.permit.findMany(args) : await this.db.penalty.findMany(args);
    return new Set(rows.map((r) => `${r.authorityCode}\u0000${r.documentNo}`));
  }

  private async kindRun(kind: ImportKind, importId: number, user: Express.User, ip: string | null): Promise<KindRun> {
    const today = beijingToday();
    if (isRecordKind(kind)) {
      const recordKind = kind;
      const schema = recordSchema(kind, { today });
      const ctx = await this.writers.publicity.writeContext(user.departmentId!, user.id, importId);
      // Loaded once: every row's authority is checked against the department's list without a query.
      const authorities = await this.writers.publicity.authorityList(user.departmentId!);
      return {
        validate: (values) => {
          const r = zodRun(schema.safeParse(values));
          if (!r.ok) return r;
          const refused = [...authorities.check(kind, r.data as RecordInput), ...authorities.checkSource(r.data as RecordInput)];
          return refused.length ? { ok: false, issues: refused } : r;
        },
        write: async (client, rows, shouldApply) => {
          // 条例 Art. 42: rows whose state says the decision was revoked are written (a correction of the other
          // columns stays possible) and then revoke the stored record as 登记撤销 does. A record already revoked is
          // not written again (the writer refuses withdrawn records), so a department may resend its whole table.
          const alreadyRevoked = await this.revokedKeys(recordKind, user.departmentId!);
          const revoked: RecordKey[] = [];
          let skipped = 0;
          async function* staged(): AsyncGenerator<StagedRow> {
            for await (const r of rows as AsyncIterable<StagedRow>) {
              if (revokedByTemplate(recordKind, r.input)) {
                const key = { authorityCode: r.input.authorityCode, documentNo: r.input.documentNo };
                if (alreadyRevoked.has(`${key.authorityCode}\u0000${key.documentNo}`)) {
                  skipped++;
                  continue;
                }
                revoked.push(key);
              }
              yield r;
            }
          }
          const result = await writeRecords(client, kind, staged(), ctx, {
            auditAction: `${kind}.update`,
            username: user.username,
            ip,
            shouldApply,
            returnIds: false,
          });
          if (result.problems.length || !shouldApply()) return { ...result, unchanged: result.unchanged + skipped };
          const done = await revokeImported(client, recordKind, revoked, {
            knownOn: today,
            dueBy: revocationDue(today, this.writers.publicity.calendar),
            reason: `决定已撤销（批量导入第 ${importId} 号，模板「当前状态」为撤销/无效）`,
            importId,
          });
          return {
            ...result,
            unchanged: result.unchanged + skipped,
            auditDetail: done.length ? { revoked: done.length, revokedDocuments: done.slice(0, 50).map((d) => d.documentNo) } : {},
            revoked: done,
          };
        },
      };
    }
    const schema = commitmentSchema(today);
    const ctx = await this.writers.commitments.writeContext(user.departmentId!, user.id, importId);
    return {
      validate: (values) => zodRun(schema.safeParse(values)),
      write: async (client, rows, shouldApply) => {
        const r = await writeCommitments(client, rows as AsyncIterable<{ rowNo: number; input: CommitmentInput }>, ctx, { shouldApply });
        const codes = r.created.map((c) => c.code);
        return {
          inserted: r.inserted,
          updated: 0,
          unchanged: 0,
          problems: [],
          auditDetail: codes.length ? { codes: `${codes[0]}–${codes[codes.length - 1]}` } : {},
        };
      },
    };
  }

  private async fail(id: number, message: string, user: Express.User, ip: string | null, kind: ImportKind, file: UploadedFile, total = 0): Promise<void> {
    await this.db.import.update({ where: { id }, data: { status: 'failed', message, totalRows: total, finishedAt: new Date() } });
    await this.audit.record({
      action: 'import.run',
      userId: user.id,
      username: user.username,
      ip,
      targetType: 'import',
      targetId: id,
      detail: { kind: IMPORT_KIND_LABELS[kind], file: file.originalName, failed: message },
    });
  }
}

async function finishImport(
  client: pg.PoolClient,
  id: number,
  r: {
    status: 'succeeded' | 'failed';
    total: number;
    inserted: number;
    updated: number;
    unchanged: number;
    errorRows: number;
    errors: ImportError[];
    message: string | null;
  },
): Promise<void> {
  await client.query(
    `UPDATE import SET status = $2, total_rows = $3, processed_rows = $3, inserted_rows = $4, updated_rows = $5, unchanged_rows = $9, error_rows = $6, errors = $7::jsonb, message = $8, finished_at = now() WHERE id = $1`,
    [
      id,
      r.status,
      r.total,
      r.inserted,
      r.updated,
      r.errorRows,
      r.errors.length ? JSON.stringify(r.errors.map((e) => ({ row: e.row, column: e.column, message: e.message }))) : null,
      r.message,
      r.unchanged,
    ],
  );
}

/**
 * Data rows of a CSV, estimated from the average line length of its first megabyte: the progress page's
 * denominator (an estimate: quoted cells may hold line breaks).
 */
export async function estimateCsvRows(file: string, size: number): Promise<number | null> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(Math.min(size, 1024 * 1024));
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    let lines = 0;
    for (let i = 0; i < bytesRead; i++) if (buf[i] === 0x0a) lines++;
    if (lines === 0) return null;
    if (bytesRead >= size) return Math.max(lines - 1 + (buf[bytesRead - 1] === 0x0a ? 0 : 1), 0);
    return Math.max(Math.round((size * lines) / bytesRead) - 1, 0);
  } finally {
    await fh.close();
  }
}

/** Whether a row's own state says its decision was revoked: a permit's 当前状态 无效, a 2015 penalty's 当前状态 撤销. */
function revokedByTemplate(kind: 'permit' | 'penalty', input: unknown): boolean {
  return kind === 'permit' ? (input as PermitInput).permitState === '无效' : (input as PenaltyInput).decisionRevoked === true;
}
