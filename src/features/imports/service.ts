import { rm } from 'node:fs/promises';
import type pg from 'pg';
import type { Db } from '../../platform/database/client.js';
import type { AuditLog } from '../../platform/audit.js';
import type { Logger } from '../../platform/logger.js';
import { recordSchema } from '../../domain/publicity/schemas.js';
import { beijingToday } from '../../domain/dates.js';
import type { PublicityService } from '../publicity/service.js';
import { writeRecords, type RecordInput, type RowProblem, type StagedRow } from '../publicity/writer.js';
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
  write(client: pg.PoolClient, rows: AsyncIterable<ValidRow>, shouldApply: () => boolean): Promise<{ inserted: number; updated: number; problems: RowProblem[]; auditDetail?: Record<string, unknown> }>;
}

const zodRun = (result: { success: true; data: unknown } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  result.success ? ({ ok: true, data: result.data } as const) : ({ ok: false, issues: result.error.issues.map((i) => ({ key: String(i.path[0] ?? ''), message: i.message })) } as const);

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

  /** Records the import and starts it; returns its id at once. `done` settles when the import has finished. */
  async start(kind: ImportKind, file: UploadedFile, user: Express.User, ip: string | null): Promise<{ id: number; done: Promise<void> }> {
    if (user.departmentId === null) throw new ImportFileError('您的账号未分配部门，不能导入');
    const row = await this.db.import.create({
      data: { kind, fileName: file.originalName.slice(0, 255), fileBytes: file.size, departmentId: user.departmentId, userId: user.id },
      select: { id: true },
    });
    const done = this.run(row.id, kind, file, user, ip)
      .catch(async (err: unknown) => {
        this.log.error('import failed', { importId: row.id, message: (err as Error).message });
        await this.db.import.update({ where: { id: row.id }, data: { status: 'failed', message: '导入时发生系统错误，未写入任何数据，请稍后重试或联系管理员。', finishedAt: new Date() } }).catch(() => {});
      })
      .finally(() => rm(file.path, { force: true }));
    return { id: row.id, done };
  }

  private async run(id: number, kind: ImportKind, file: UploadedFile, user: Express.User, ip: string | null): Promise<void> {
    const dept = await this.db.department.findUniqueOrThrow({ where: { id: user.departmentId! }, select: { name: true, uscc: true } });
    let source: ImportSource;
    try {
      const limits = kind === 'commitment' ? { maxRows: COMMITMENT_MAX_ROWS, ...this.limits } : this.limits;
      source = await openImport(file.path, { originalName: file.originalName, kind, context: { departmentName: dept.name, departmentUscc: dept.uscc }, limits });
    } catch (err) {
      if (err instanceof ImportFileError) return this.fail(id, err.message, user, ip, kind, file);
      throw err;
    }
    await this.db.import.update({ where: { id }, data: { format: source.format, shape: source.shape } });

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

    const client = await this.pool.connect();
    let fileError: string | null = null;
    let written: { inserted: number; updated: number; auditDetail?: Record<string, unknown> } = { inserted: 0, updated: 0 };
    try {
      await client.query('BEGIN');
      try {
        const result = await runner.write(client, validRows(), () => errorRows === 0 && total > 0);
        for (const p of result.problems) {
          if (errors.length < MAX_STORED_ERRORS) errors.push({ row: p.row, column: labels.get('documentNo') ?? p.column, message: p.message });
        }
        if (result.problems.length) errorRows += new Set(result.problems.map((p) => p.row)).size;
        written = result;
      } catch (err) {
        if (!(err instanceof ImportFileError)) throw err;
        fileError = err.message;
      }
      if (fileError || errorRows > 0 || total === 0) await client.query('ROLLBACK');
      else await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
      await source.close();
    }

    if (fileError) return this.fail(id, fileError, user, ip, kind, file, total);
    if (total === 0) return this.fail(id, '文件中没有数据行', user, ip, kind, file);
    errors.sort((a, b) => a.row - b.row);
    const ok = errorRows === 0;
    await this.db.import.update({
      where: { id },
      data: {
        status: ok ? 'succeeded' : 'failed',
        totalRows: total,
        processedRows: total,
        insertedRows: ok ? written.inserted : 0,
        updatedRows: ok ? written.updated : 0,
        errorRows,
        errors: errors.length ? errors.map((e) => ({ row: e.row, column: e.column, message: e.message })) : undefined,
        message: ok ? null : `${errorRows} 行有错误，未写入任何数据。请改正后重新导入整个文件。`,
        finishedAt: new Date(),
      },
    });
    if (ok) this.onWritten();
    await this.audit.record({
      action: 'import.run',
      userId: user.id,
      username: user.username,
      ip,
      targetType: 'import',
      targetId: id,
      detail: { kind: IMPORT_KIND_LABELS[kind], file: file.originalName, rows: total, inserted: ok ? written.inserted : 0, updated: ok ? written.updated : 0, errorRows, ...(ok ? written.auditDetail : {}) },
    });
  }

  private async kindRun(kind: ImportKind, importId: number, user: Express.User, ip: string | null): Promise<KindRun> {
    const today = beijingToday();
    if (isRecordKind(kind)) {
      const schema = recordSchema(kind, { today });
      const ctx = await this.writers.publicity.writeContext(user.departmentId!, user.id, importId);
      // Loaded once: every row's authority is checked against the department's list without a query.
      const authorities = await this.writers.publicity.authorityList(user.departmentId!);
      return {
        validate: (values) => {
          const r = zodRun(schema.safeParse(values));
          if (!r.ok) return r;
          const refused = authorities.check(kind, r.data as RecordInput);
          return refused.length ? { ok: false, issues: refused } : r;
        },
        write: (client, rows, shouldApply) => writeRecords(client, kind, rows as AsyncIterable<StagedRow>, ctx, { auditAction: `${kind}.update`, username: user.username, ip, shouldApply, returnIds: false }),
      };
    }
    const schema = commitmentSchema(today);
    const ctx = await this.writers.commitments.writeContext(user.departmentId!, user.id, importId);
    return {
      validate: (values) => zodRun(schema.safeParse(values)),
      write: async (client, rows, shouldApply) => {
        const r = await writeCommitments(client, rows as AsyncIterable<{ rowNo: number; input: CommitmentInput }>, ctx, { shouldApply });
        const codes = r.created.map((c) => c.code);
        return { inserted: r.inserted, updated: 0, problems: [], auditDetail: codes.length ? { codes: `${codes[0]}–${codes[codes.length - 1]}` } : {} };
      },
    };
  }

  private async fail(id: number, message: string, user: Express.User, ip: string | null, kind: ImportKind, file: UploadedFile, total = 0): Promise<void> {
    await this.db.import.update({ where: { id }, data: { status: 'failed', message, totalRows: total, finishedAt: new Date() } });
    await this.audit.record({ action: 'import.run', userId: user.id, username: user.username, ip, targetType: 'import', targetId: id, detail: { kind: IMPORT_KIND_LABELS[kind], file: file.originalName, failed: message } });
  }
}
