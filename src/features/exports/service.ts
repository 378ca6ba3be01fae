import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Db } from '../../platform/database/client.js';
import { fieldsOf, type RecordKind } from '../../domain/publicity/fields.js';
import { formValues } from '../publicity/view-model.js';
import { csvCell, neutraliseCell } from '../../platform/csv-cell.js';
import { encodeXstring } from '../../platform/xlsx-reader.js';
import { exportCsvHeader } from '../imports/template.js';

const BATCH = 2000;

/**
 * Records changed since a date, for 信用河南 / 信用中国, in the 2019 national shape (field codes as headers,
 * dates YYYY/MM/DD). Withdrawn records and the natural-person simple-procedure penalties that Henan keeps
 * off the platform are left out. Rows are read in keyset-paged batches so memory stays flat.
 */
export class ExportService {
  constructor(private readonly db: Db) {}

  private async *records(kind: RecordKind, since: Date): AsyncGenerator<Record<string, unknown>> {
    const model = (kind === 'permit' ? this.db.permit : this.db.penalty) as unknown as { findMany(args: unknown): Promise<Record<string, unknown>[]> };
    const where = { updatedAt: { gte: since }, withdrawnAt: null, ...(kind === 'penalty' ? { NOT: { subjectCategory: 'natural', simpleProcedure: true } } : {}) };
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
