import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { ExportFormat, ExportRepository } from './repository.js';
import { ensurePrivateDir } from '../../platform/uploads.js';
import { JOB, type JobQueue } from '../../platform/queue.js';
import { EXPORT_STATE_FIELDS, fieldsOf, type RecordKind } from '../../domain/publicity/fields.js';
import { TIER_LABELS, type Tier } from '../../domain/publicity/tiers.js';
import { addDays, beijingToday, isoDay } from '../../domain/dates.js';
import { formValues } from '../publicity/view-model.js';
import { csvLine, neutraliseCell } from '../../platform/csv-cell.js';
import { encodeXstring } from '../../platform/xlsx-reader.js';
import { exportCsvHeader } from '../imports/template.js';

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

export type { ExportFormat } from './repository.js';

/**
 * Records changed since a date, for 信用河南 / 信用中国, in the 2019 national shape (field codes as headers,
 * dates YYYY/MM/DD). Withdrawn records and the natural-person simple-procedure penalties that Henan keeps
 * off the platform are left out. Rows are read in keyset-paged batches so memory stays flat.
 */
export class ExportService {
  /** Above this many records the export becomes a file job (tests lower it). */
  streamMaxRows = STREAM_MAX_ROWS;

  constructor(
    private readonly repo: ExportRepository,
    private readonly jobs?: JobQueue,
    /** Where finished export files are kept (0700, files 0600). */
    private readonly dir?: string,
  ) {}

  /** Records an export would hold, counting no further than `cap`. */
  count(kind: RecordKind, since: Date, cap?: number): Promise<number> {
    return this.repo.count(kind, since, cap);
  }

  /** Queues a file export (row and job in one transaction); returns the export_file id. */
  async requestFile(kind: RecordKind, since: string, format: ExportFormat, fileName: string, user: Express.User): Promise<number> {
    const { jobs } = this.background();
    const jobId = randomUUID();
    const id = await this.repo.createFile({ kind, format, since, fileName, userId: user.id, jobId, ttlMs: EXPORT_FILE_TTL_MS }, (exportId, tx) =>
      jobs.send(JOB.exportWrite, { exportId } satisfies ExportJob, { id: jobId, tx }),
    );
    jobs.wake(JOB.exportWrite);
    return id;
  }

  private background(): { jobs: JobQueue; dir: string } {
    if (!this.jobs || !this.dir) throw new Error('ExportService built without a queue');
    return { jobs: this.jobs, dir: this.dir };
  }

  /** The worker half: writes the file under an advisory lock (see sweepInterrupted), then marks it done. */
  async runJob(data: ExportJob, jobId?: string): Promise<void> {
    const { dir } = this.background();
    let part: string | null = null;
    try {
      await this.repo.withExportLock(
        EXPORT_LOCK_CLASS,
        data.exportId,
        async (session) => {
          const job = await session.claim();
          if (!job) return;
          const sinceAt = new Date(`${job.since}T00:00:00+08:00`);
          await session.setEstimate(await this.count(job.kind, sinceAt));
          ensurePrivateDir(dir);
          part = path.join(dir, `${data.exportId}-${randomUUID()}.part`);
          const out = createWriteStream(part, { mode: 0o600 });
          const closed = new Promise<void>((resolve, reject) => {
            out.on('close', resolve);
            out.on('error', reject);
          });
          const n = job.format === 'csv' ? await this.csv(job.kind, sinceAt, out) : await this.xlsx(job.kind, sinceAt, out);
          await closed;
          const final: string = part.replace(/\.part$/, `.${job.format}`);
          await rename(part, final);
          part = final;
          const { size } = await stat(final);
          await session.finish({ rows: n, bytes: size, path: path.basename(final) });
          part = null;
        },
        (interrupted) => this.repo.markFailed(data.exportId, interrupted ? EXPORT_INTERRUPTED : '导出时发生系统错误，请稍后重试或联系管理员。').catch(() => {}),
      );
    } catch (err) {
      throw Object.assign(err as Error, { jobId });
    } finally {
      if (part) await rm(part, { force: true });
    }
  }

  /** Marks failed the exports whose worker is gone (same rule as imports: no lock holder, no pending job). */
  sweepInterrupted(): Promise<number> {
    return this.repo.failInterrupted(EXPORT_LOCK_CLASS, EXPORT_INTERRUPTED);
  }

  /** Deletes export files (and their rows) past their 24 hours; returns how many. */
  async sweepExpired(now = new Date()): Promise<number> {
    const { dir } = this.background();
    const expired = await this.repo.expiredFiles(now);
    for (const e of expired) if (e.path) await rm(path.join(dir, path.basename(e.path)), { force: true });
    if (expired.length) await this.repo.deleteFiles(expired.map((e) => e.id));
    return expired.length;
  }

  /** Absolute path of a finished export's file. */
  filePath(stored: string): string {
    return path.join(this.background().dir, path.basename(stored));
  }

  private records(kind: RecordKind, since: Date): AsyncGenerator<Record<string, unknown>> {
    return this.repo.records(kind, since);
  }

  /** The header row: the national field codes, then (penalties) the state columns of EXPORT_STATE_FIELDS. */
  static header(kind: RecordKind): string[] {
    return kind === 'penalty' ? [...exportCsvHeader(kind), ...EXPORT_STATE_FIELDS.map((f) => f.code)] : exportCsvHeader(kind);
  }

  /**
   * One record as the national template's strings, in catalogue order. A penalty carries the publicity period as
   * APPLIED (public_until: the tier window, the transition rule, an early end by repair) as its CF_GSJZQ, not the
   * date the department reported, and then its tier and publication state: a repaired record goes out as
   * 已停止公示 / 信用修复 — the repair notice the receiving platforms act on.
   */
  static cells(kind: RecordKind, rec: Record<string, unknown>, today = beijingToday()): string[] {
    const values = formValues(kind, rec);
    const state = kind === 'penalty' ? penaltyState(rec, today) : null;
    if (state) values.publicityEndDate = state.applied;
    // A revoked permit's notice is the national template's own 当前状态 column (XK_ZT 无效), which an import of
    // the file reads back as a revocation (docs/domain.md "Deadlines", Art. 42).
    if (kind === 'permit' && rec.revokedOn instanceof Date) values.permitState = '无效';
    const cells = fieldsOf(kind).map((f) => {
      const v = values[f.key] ?? '';
      return f.type === 'date' ? v.replace(/-/g, '/') : v;
    });
    return state ? [...cells, state.tier, state.status, state.leftOn.replace(/-/g, '/'), state.reason] : cells;
  }

  async csv(kind: RecordKind, since: Date, out: Writable): Promise<number> {
    let n = 0;
    out.write('\uFEFF' + csvLine(ExportService.header(kind)));
    for await (const rec of this.records(kind, since)) {
      const ok = out.write(csvLine(ExportService.cells(kind, rec)));
      n++;
      if (!ok) await new Promise((resolve) => out.once('drain', resolve));
    }
    out.end();
    return n;
  }

  async xlsx(kind: RecordKind, since: Date, out: Writable): Promise<number> {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
    const ws = wb.addWorksheet(kind === 'permit' ? '行政许可' : '行政处罚');
    ws.addRow(ExportService.header(kind)).commit();
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

const LEFT_REASONS: Record<string, string> = { expired: '公示期满', repaired: '信用修复', minor: '轻微失信不予公示', revoked: '撤销' };

/** A penalty's publication as applied on `today`: the 公示截止期 in force, its tier, whether and why it left. */
function penaltyState(rec: Record<string, unknown>, today: string): { applied: string; tier: string; status: string; leftOn: string; reason: string } {
  const until = rec.publicUntil instanceof Date ? isoDay(rec.publicUntil) : '';
  const tier = TIER_LABELS[rec.tier as Tier] ?? '';
  const leftReason = typeof rec.leftReason === 'string' ? rec.leftReason : null;
  const left = rec.leftPublicationAt instanceof Date ? beijingToday(rec.leftPublicationAt) : until ? addDays(until, 1) : '';
  // A revocation notice (条例 Art. 42): publication stopped the day the record was taken down.
  if (rec.revokedOn instanceof Date) {
    const down = rec.withdrawnAt instanceof Date ? beijingToday(rec.withdrawnAt) : isoDay(rec.revokedOn);
    return { applied: until, tier, status: '已停止公示', leftOn: down, reason: LEFT_REASONS.revoked! };
  }
  if (rec.repairedAt instanceof Date) return { applied: until, tier, status: '已停止公示', leftOn: left, reason: LEFT_REASONS.repaired! };
  if (rec.isPublic === true && until >= today) return { applied: until, tier, status: '公示中', leftOn: '', reason: '' };
  if (leftReason === 'minor' || (rec.isPublic !== true && !leftReason && until === isoDay(rec.decisionDate as Date))) {
    // Never published (a 轻微 record nobody marked necessary, or excluded by law): no publicity period to send.
    return { applied: '', tier, status: '不予公示', leftOn: '', reason: leftReason ? LEFT_REASONS[leftReason]! : '依规定不公开公示' };
  }
  if (rec.isPublic !== true && !leftReason) return { applied: until, tier, status: '不予公示', leftOn: '', reason: '依规定不公开公示' };
  return { applied: until, tier, status: '已停止公示', leftOn: left, reason: LEFT_REASONS[leftReason ?? 'expired'] ?? '公示期满' };
}
