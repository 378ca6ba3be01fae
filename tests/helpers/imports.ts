import type { AppDeps } from '../../src/deps.js';
import { exportCsvHeader } from '../../src/features/imports/template.js';
import { fieldsOf, type RecordKind } from '../../src/domain/publicity/fields.js';
import { COMMITMENT_FIELDS } from '../../src/features/commitments/fields.js';

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

/** Waits until a background import has finished (the test app runs a worker). */
export async function importFinished(deps: AppDeps, id: number) {
  return deps.imports.waitFinished(id, 60_000);
}

/** A commitments CSV with the template's Chinese labels as headers, from rows keyed by field key. */
export function commitmentCsv(rows: Record<string, string>[]): string {
  const lines = [COMMITMENT_FIELDS.map((f) => f.label).join(',')];
  for (const r of rows) lines.push(COMMITMENT_FIELDS.map((f) => csvCell(r[f.key] ?? '')).join(','));
  return lines.join('\r\n') + '\r\n';
}
