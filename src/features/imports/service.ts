import { rm } from 'node:fs/promises';
import type pg from 'pg';
import type { Db } from '../../platform/database/client.js';
import type { AuditLog } from '../../platform/audit.js';
import type { Logger } from '../../platform/logger.js';
import { fieldsOf, KIND_LABELS, SIMPLE_PROCEDURE_FIELD, type RecordKind } from '../../domain/publicity/fields.js';
import { beijingToday, recordSchema } from '../../domain/publicity/schemas.js';
import type { PublicityService } from '../publicity/service.js';
import { writeRecords, type StagedRow } from '../publicity/writer.js';
import { ImportFileError, openImport, type ImportLimits, type ImportSource } from './parse.js';

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

/**
 * Batch import of 双公示 records in the national template, all-or-nothing: rows are validated by the same
 * record schema as the form while they stream into a staging table; one bad row and the transaction is
 * rolled back, and the result page lists every bad row with its row number, column and reason.
 */
export class ImportService {
  private readonly labels: Record<RecordKind, Map<string, string>>;

  constructor(
    private readonly db: Db,
    private readonly pool: pg.Pool,
    private readonly publicity: PublicityService,
    private readonly audit: AuditLog,
    private readonly log: Logger,
    /** Called after a successful import, e.g. to drop cached public counts. */
    private readonly onWritten: () => void = () => {},
    private readonly limits: Partial<ImportLimits> = {},
  ) {
    const labelsOf = (kind: RecordKind) => new Map([...fieldsOf(kind), SIMPLE_PROCEDURE_FIELD].map((f) => [f.key, f.label]));
    this.labels = { permit: labelsOf('permit'), penalty: labelsOf('penalty') };
  }

  /** Records the import and starts it; returns its id at once. `done` settles when the import has finished. */
  async start(kind: RecordKind, file: UploadedFile, user: Express.User, ip: string | null): Promise<{ id: number; done: Promise<void> }> {
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

  private async run(id: number, kind: RecordKind, file: UploadedFile, user: Express.User, ip: string | null): Promise<void> {
    const dept = await this.db.department.findUniqueOrThrow({ where: { id: user.departmentId! }, select: { name: true, uscc: true } });
    let source: ImportSource;
    try {
      source = await openImport(file.path, { originalName: file.originalName, kind, context: { departmentName: dept.name, departmentUscc: dept.uscc }, limits: this.limits });
    } catch (err) {
      if (err instanceof ImportFileError) return this.fail(id, err.message, user, ip, kind, file);
      throw err;
    }
    await this.db.import.update({ where: { id }, data: { format: source.format, shape: source.shape } });

    const schema = recordSchema(kind, { today: beijingToday() });
    const labels = this.labels[kind];
    const errors: ImportError[] = [];
    let errorRows = 0;
    let total = 0;
    const ctx = await this.publicity.writeContext(user.departmentId!, user.id, id);
    const progress = async (n: number) => {
      await this.db.import.update({ where: { id }, data: { processedRows: n } }).catch(() => {});
    };

    async function* validRows(): AsyncGenerator<StagedRow> {
      for await (const r of source.rows) {
        total++;
        if (total % PROGRESS_EVERY === 0) void progress(total);
        const rowErrors: ImportError[] = r.problems.map((p) => ({ row: r.rowNumber, column: labels.get(p.key) ?? '', message: p.message }));
        const parsed = schema.safeParse(r.values);
        if (!parsed.success) {
          for (const issue of parsed.error.issues) rowErrors.push({ row: r.rowNumber, column: labels.get(String(issue.path[0] ?? '')) ?? '', message: issue.message });
        }
        if (rowErrors.length || !parsed.success) {
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
    let written = { inserted: 0, updated: 0 };
    try {
      await client.query('BEGIN');
      try {
        const result = await writeRecords(client, kind, validRows(), ctx, {
          auditAction: `${kind}.update`,
          username: user.username,
          ip,
          shouldApply: () => errorRows === 0 && total > 0,
          returnIds: false,
        });
        for (const p of result.problems) {
          if (errors.length < MAX_STORED_ERRORS) errors.push({ row: p.row, column: labels.get('documentNo') ?? p.column, message: p.message });
        }
        if (result.problems.length) errorRows += new Set(result.problems.map((p) => p.row)).size;
        written = { inserted: result.inserted, updated: result.updated };
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
      detail: { kind: KIND_LABELS[kind], file: file.originalName, rows: total, inserted: ok ? written.inserted : 0, updated: ok ? written.updated : 0, errorRows },
    });
  }

  private async fail(id: number, message: string, user: Express.User, ip: string | null, kind: RecordKind, file: UploadedFile, total = 0): Promise<void> {
    await this.db.import.update({ where: { id }, data: { status: 'failed', message, totalRows: total, finishedAt: new Date() } });
    await this.audit.record({ action: 'import.run', userId: user.id, username: user.username, ip, targetType: 'import', targetId: id, detail: { kind: KIND_LABELS[kind], file: file.originalName, failed: message } });
  }
}
