import { maskIdNumber, USCC_PLACEHOLDER } from '../../domain/identifiers.js';
import {
  CATEGORY_LABELS,
  DOC_TYPE_LABELS,
  LONG_TERM,
  SIMPLE_PROCEDURE_FIELD,
  fieldsOf,
  type FieldDef,
  type RecordKind,
} from '../../domain/publicity/fields.js';

export interface DisplayRow {
  code: string;
  label: string;
  value: string;
}

type Rec = Record<string, unknown>;

function isoDay(v: unknown): string {
  if (!(v instanceof Date)) return v ? String(v) : '';
  return v.toISOString().slice(0, 10);
}

/** One field's value as shown to a reader. `publicView` masks 证件号码 — the full number never reaches public HTML. */
export function displayValue(f: FieldDef, rec: Rec, publicView: boolean): string {
  const v = rec[f.key];
  if (v === null || v === undefined || v === '') return '';
  switch (f.type) {
    case 'date': {
      const d = isoDay(v);
      return d === LONG_TERM && (f.key === 'validTo' || f.key === 'validUntil') ? '长期' : d;
    }
    case 'category':
      return CATEGORY_LABELS[v as keyof typeof CATEGORY_LABELS] ?? String(v);
    case 'docType':
      return DOC_TYPE_LABELS[v as keyof typeof DOC_TYPE_LABELS] ?? String(v);
    case 'multiEnum':
      return Array.isArray(v) ? v.join('；') : String(v);
    case 'amount':
      return formatAmount(v);
    default:
      if (publicView && f.key === 'docNumber') return maskIdNumber(String(v));
      return String(v);
  }
}

/** Decimal(18,6) 万元 without trailing zeros: 0.200000 → 0.2. */
export function formatAmount(v: unknown): string {
  const s = String(v);
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** Every field of the national standard with its label, for a detail page; private fields only in the back office. */
export function displayRows(kind: RecordKind, rec: Rec, opts: { publicView: boolean }): DisplayRow[] {
  const rows: DisplayRow[] = [];
  for (const f of fieldsOf(kind)) {
    if (opts.publicView && f.private) continue;
    rows.push({ code: f.code, label: f.label, value: displayValue(f, rec, opts.publicView) });
  }
  if (kind === 'penalty' && !opts.publicView)
    rows.push({ code: SIMPLE_PROCEDURE_FIELD.code, label: SIMPLE_PROCEDURE_FIELD.label, value: rec.simpleProcedure ? '是' : '否' });
  return rows;
}

/** A stored record back into the raw strings the form and the record schema work with. */
export function formValues(kind: RecordKind, rec: Rec): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fieldsOf(kind)) {
    const v = rec[f.key];
    if (v === null || v === undefined) {
      out[f.key] = '';
      continue;
    }
    switch (f.type) {
      case 'date':
        out[f.key] = isoDay(v);
        break;
      case 'category':
        out[f.key] = CATEGORY_LABELS[v as keyof typeof CATEGORY_LABELS] ?? '';
        break;
      case 'docType':
        out[f.key] = DOC_TYPE_LABELS[v as keyof typeof DOC_TYPE_LABELS] ?? '';
        break;
      case 'multiEnum':
        out[f.key] = Array.isArray(v) ? v.join(';') : String(v);
        break;
      case 'amount':
        out[f.key] = formatAmount(v);
        break;
      default:
        out[f.key] = String(v);
    }
  }
  if (kind === 'penalty') out.simpleProcedure = rec.simpleProcedure ? '是' : '';
  // A sole trader without a USCC was reported with the national placeholder; give it back the same way.
  if (rec.subjectCategory === 'soleTrader' && !rec.uscc) out.uscc = USCC_PLACEHOLDER;
  return out;
}

/** A list row for the public columns: subject, masked number for natural persons, department, county. */
export function publicListRow(kind: RecordKind, rec: Rec) {
  const dept = rec.department as { name: string; shortName?: string | null } | null;
  const county = rec.county as { name: string } | null;
  const natural = rec.subjectCategory === 'natural';
  return {
    id: rec.id as number,
    href: `/publicity/${kind === 'permit' ? 'permits' : 'penalties'}/${String(rec.id)}`,
    subjectName: String(rec.subjectName),
    code: natural ? (rec.docNumber ? maskIdNumber(String(rec.docNumber)) : '') : String(rec.uscc ?? ''),
    category: CATEGORY_LABELS[rec.subjectCategory as keyof typeof CATEGORY_LABELS] ?? '',
    documentNo: String(rec.documentNo),
    decisionDate: isoDay(rec.decisionDate),
    department: dept?.name ?? '',
    county: county?.name ?? '',
    kindDetail:
      kind === 'permit' ? String(rec.permitCategory ?? '') : Array.isArray(rec.penaltyCategories) ? (rec.penaltyCategories as string[]).join('；') : '',
  };
}
