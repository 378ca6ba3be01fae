/**
 * What the batch import can load. The file machinery (parse.ts: limits, encodings, XLSX checks, header
 * recognition) and the run (service.ts: validation, all-or-nothing transaction, error list, import record) are
 * shared; a kind only brings its columns here and its schema and writer in service.ts.
 */
import { fieldsOf, KIND_LABELS, PENALTY_EXTRA_FIELDS, type FieldDef, type RecordKind } from '../../domain/publicity/fields.js';
import { COMMITMENT_FIELDS } from '../commitments/fields.js';

export const IMPORT_KINDS = ['permit', 'penalty', 'commitment'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export const IMPORT_KIND_LABELS: Record<ImportKind, string> = { ...KIND_LABELS, commitment: '信用承诺' };

export const isRecordKind = (kind: ImportKind): kind is RecordKind => kind === 'permit' || kind === 'penalty';

/** Columns of the template and of the 2019-shape header: the catalogue, plus our own penalty columns (适用简易程序, 严重程度 …). */
export function importFields(kind: ImportKind): readonly FieldDef[] {
  if (kind === 'commitment') return COMMITMENT_FIELDS;
  return kind === 'penalty' ? [...fieldsOf(kind), ...PENALTY_EXTRA_FIELDS] : fieldsOf(kind);
}

/** Where the written rows are listed in the back office. */
export const IMPORT_KIND_PATHS: Record<ImportKind, string> = { permit: '/admin/permits', penalty: '/admin/penalties', commitment: '/admin/commitments' };

/** A name column that shows in the "unknown column" hint. */
export const EXAMPLE_COLUMN: Record<ImportKind, string> = {
  permit: '「行政相对人名称」或 XK_XDR_MC',
  penalty: '「行政相对人名称」或 CF_XDR_MC',
  commitment: '「承诺人名称」或 CN_CNRMC',
};
