import { maskIdNumber, USCC_PLACEHOLDER } from '../../domain/identifiers.js';
import {
  CATEGORY_LABELS,
  DOC_TYPE_LABELS,
  LONG_TERM,
  PUBLICITY_NECESSARY_FIELD,
  SIMPLE_PROCEDURE_FIELD,
  TIER_FIELD,
  TIER_REASON_FIELD,
  fieldsOf,
  type FieldDef,
  type RecordKind,
} from '../../domain/publicity/fields.js';
import { PUBLICITY_RULE_LABELS, TIER_LABELS, type PublicityRule, type Tier } from '../../domain/publicity/tiers.js';

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

const NOTHING_HIDDEN: ReadonlySet<string> = new Set();

/**
 * Every field of the national standard with its label, for a detail page; private fields only in the back office.
 * `hidden`: the field keys the catalogue keeps off public pages (CatalogueService.publicFields), applied in public view.
 */
export function displayRows(kind: RecordKind, rec: Rec, opts: { publicView: boolean; hidden?: ReadonlySet<string> }): DisplayRow[] {
  const rows: DisplayRow[] = [];
  const hidden = opts.hidden ?? NOTHING_HIDDEN;
  for (const f of fieldsOf(kind)) {
    if (opts.publicView && (f.private || hidden.has(f.key))) continue;
    // The public read the day the record leaves publication (tier window, transition rule), not the date as reported.
    if (kind === 'penalty' && f.key === 'publicityEndDate' && rec.publicUntil) {
      if (opts.publicView) rows.push({ code: f.code, label: f.label, value: isoDay(rec.publicUntil) });
      else rows.push({ code: f.code, label: `${f.label}（部门报送）`, value: displayValue(f, rec, false) || '未填写' });
      continue;
    }
    rows.push({ code: f.code, label: f.label, value: displayValue(f, rec, opts.publicView) });
  }
  if (kind === 'penalty') rows.push(...tierRows(rec, opts.publicView));
  if (kind === 'penalty' && !opts.publicView)
    rows.push({ code: SIMPLE_PROCEDURE_FIELD.code, label: SIMPLE_PROCEDURE_FIELD.label, value: rec.simpleProcedure ? '是' : '否' });
  return rows;
}

/** One sentence for the clerk after saving a penalty: its tier, and when it leaves publication or why it is not public. */
export function tierSummary(rec: Rec): string {
  const tier = TIER_LABELS[rec.tier as Tier];
  if (!tier) return '';
  const source = rec.tierSource === 'department' ? '（报送部门认定）' : '（按认定规则）';
  if (rec.isPublic) return `严重程度：${tier}${source}，公示截止期 ${isoDay(rec.publicUntil)}`;
  const why = rec.leftReason ? (LEFT_REASONS[String(rec.leftReason)] ?? String(rec.leftReason)) : '不向社会公示';
  return `严重程度：${tier}${source}，${why}`;
}

const LEFT_REASONS: Record<string, string> = {
  expired: '公示期满，自动停止公示',
  repaired: '信用修复，停止公示',
  minor: '轻微失信信息，按《信用修复管理办法》不予公示',
};

/**
 * A penalty's tier, its 公示截止期 as applied and the rule behind it; in the back office also who set the tier and
 * why, and when and why the record left publication.
 */
export function tierRows(rec: Rec, publicView: boolean): DisplayRow[] {
  if (!rec.tier) return [];
  const rows: DisplayRow[] = [{ code: TIER_FIELD.code, label: TIER_FIELD.label, value: TIER_LABELS[rec.tier as Tier] ?? String(rec.tier) }];
  const rule = PUBLICITY_RULE_LABELS[rec.publicityRule as PublicityRule];
  if (publicView) {
    if (rule) rows.push({ code: 'GSQYJ', label: '公示期限依据', value: rule });
    return rows;
  }
  rows.push({
    code: TIER_REASON_FIELD.code,
    label: TIER_REASON_FIELD.label,
    value: `${rec.tierSource === 'department' ? '报送部门认定' : '认定规则'}${rec.tierReason ? `：${String(rec.tierReason)}` : ''}`,
  });
  if (rec.tier === 'minor')
    rows.push({ code: PUBLICITY_NECESSARY_FIELD.code, label: PUBLICITY_NECESSARY_FIELD.label, value: rec.publicityNecessary ? '是' : '否' });
  if (rec.publicUntil) rows.push({ code: 'GSJZQ', label: '公示截止期（实际适用）', value: isoDay(rec.publicUntil) });
  if (rule) rows.push({ code: 'GSQYJ', label: '公示期限依据', value: rule });
  if (rec.leftReason)
    rows.push({
      code: 'TZGS',
      label: '停止公示',
      value: `${LEFT_REASONS[String(rec.leftReason)] ?? String(rec.leftReason)}${rec.leftPublicationAt instanceof Date ? `（${isoDay(new Date(rec.leftPublicationAt.getTime() + 8 * 3_600_000))}）` : ''}`,
    });
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
  if (kind === 'penalty') {
    out.simpleProcedure = rec.simpleProcedure ? '是' : '';
    // Only a department's own tier goes back into the form: a rule's default is worked out again on saving.
    out.tier = rec.tierSource === 'department' && rec.tier ? (TIER_LABELS[rec.tier as Tier] ?? '') : '';
    out.tierReason = rec.tierSource === 'department' && rec.tierReason ? String(rec.tierReason) : '';
    out.publicityNecessary = rec.publicityNecessary ? '是' : '';
  }
  // A sole trader without a USCC was reported with the national placeholder; give it back the same way.
  if (rec.subjectCategory === 'soleTrader' && !rec.uscc) out.uscc = USCC_PLACEHOLDER;
  return out;
}

/**
 * A list row for the public columns: subject, masked number for natural persons, department, county. A field the
 * catalogue keeps off public pages (`hidden`, FieldDef keys) comes out empty, or as 不公开 for the subject's name,
 * which the row needs for its link text.
 */
export function publicListRow(kind: RecordKind, rec: Rec, hidden: ReadonlySet<string> = NOTHING_HIDDEN) {
  const dept = rec.department as { name: string; shortName?: string | null } | null;
  const county = rec.county as { name: string } | null;
  const natural = rec.subjectCategory === 'natural';
  const show = (key: string, value: string) => (hidden.has(key) ? '' : value);
  const detailKey = kind === 'permit' ? 'permitCategory' : 'penaltyCategories';
  return {
    id: rec.id as number,
    href: `/publicity/${kind === 'permit' ? 'permits' : 'penalties'}/${String(rec.id)}`,
    subjectName: hidden.has('subjectName') ? '（不公开）' : String(rec.subjectName),
    code: natural ? show('docNumber', rec.docNumber ? maskIdNumber(String(rec.docNumber)) : '') : show('uscc', String(rec.uscc ?? '')),
    category: show('subjectCategory', CATEGORY_LABELS[rec.subjectCategory as keyof typeof CATEGORY_LABELS] ?? ''),
    documentNo: show('documentNo', String(rec.documentNo)),
    decisionDate: show('decisionDate', isoDay(rec.decisionDate)),
    department: dept?.name ?? '',
    county: county?.name ?? '',
    kindDetail: show(
      detailKey,
      kind === 'permit' ? String(rec.permitCategory ?? '') : Array.isArray(rec.penaltyCategories) ? (rec.penaltyCategories as string[]).join('；') : '',
    ),
  };
}
