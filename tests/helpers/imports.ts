import type { AppDeps } from '../../src/deps.js';
import { exportCsvHeader } from '../../src/features/imports/template.js';
import { fieldsOf, type RecordKind } from '../../src/domain/publicity/fields.js';

function csvCell(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** A CSV in the national 2019 shape (field codes as headers) from raw records keyed by field key. */
export function csvOf(kind: RecordKind, rows: Record<string, string>[]): string {
  const keys = fieldsOf(kind).map((f) => f.key);
  const lines = [exportCsvHeader(kind).join(',')];
  for (const r of rows) lines.push(keys.map((k) => csvCell(r[k] ?? '')).join(','));
  return lines.join('\r\n') + '\r\n';
}

/** Waits until a background import has finished. */
export async function importFinished(deps: AppDeps, id: number) {
  for (let i = 0; i < 300; i++) {
    const imp = await deps.db.import.findUniqueOrThrow({ where: { id } });
    if (imp.status !== 'running') return imp;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`import ${id} did not finish`);
}
