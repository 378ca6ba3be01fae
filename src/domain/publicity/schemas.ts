import { z } from 'zod';
import { parsePenaltyCategories } from './categories.js';
import { validateIdNumber, validateRegNo, validateUscc } from '../identifiers.js';
import { addMonths, beijingToday, parseDate } from '../dates.js';
import { tierOfLabel, type Tier } from './tiers.js';
import {
  CATEGORY_KEYS,
  DOC_TYPE_KEYS,
  LONG_TERM,
  PENALTY_FIELDS,
  PERMIT_CATEGORIES,
  PERMIT_FIELDS,
  PERMIT_STATES,
  PUBLICITY_NECESSARY_FIELD,
  SIMPLE_PROCEDURE_FIELD,
  TIER_FIELD,
  TIER_REASON_FIELD,
  type FieldDef,
  type RecordKind,
} from './fields.js';

/**
 * One zod schema per record kind, used wherever a record enters (form, batch import, later the API).
 * Input is the raw strings keyed by field key; every rule runs on every row, so one pass reports every
 * problem of a row (a form's error summary or an import's error list is complete).
 */

type Category = 'legal' | 'natural' | 'soleTrader';
type DocType = (typeof DOC_TYPE_KEYS)[keyof typeof DOC_TYPE_KEYS];

interface SubjectPart {
  subjectName: string;
  subjectCategory: Category;
  /** null for natural persons and for a 个体工商户 reported with the placeholder */
  uscc: string | null;
  regNo: string | null;
  orgCode: string | null;
  taxRegNo: string | null;
  institutionCertNo: string | null;
  socialOrgCertNo: string | null;
  legalRepresentative: string | null;
  legalRepDocType: DocType | null;
  legalRepDocNumber: string | null;
  docType: DocType | null;
  docNumber: string | null;
  documentNo: string;
  decisionDate: string;
  content: string;
  authority: string;
  authorityCode: string;
  sourceName: string;
  sourceCode: string;
  remark: string | null;
}

export interface PermitInput extends SubjectPart {
  documentName: string;
  permitCategory: string;
  certificateName: string | null;
  permitNo: string | null;
  validFrom: string;
  validTo: string;
  permitState: string;
}

export interface PenaltyInput extends SubjectPart {
  violationType: string;
  facts: string;
  basis: string;
  penaltyCategories: string[];
  /** 万元, decimal string with at most 6 decimals */
  fineAmount: string | null;
  confiscatedAmount: string | null;
  licenceAffected: string | null;
  validUntil: string;
  publicityEndDate: string | null;
  simpleProcedure: boolean;
  /** The department's own tier (null: the rules decide), its reason, and for 轻微 whether publication is necessary. */
  tier: Tier | null;
  tierReason: string | null;
  publicityNecessary: boolean;
  /**
   * The row's state says the decision no longer stands (the 2015 shape's 当前状态 1 撤销; the 2019 penalty template
   * has no state column): an import treats it as a revocation (条例 Art. 42), see imports/service.ts.
   */
  decisionRevoked?: boolean;
}

export type RawRecord = Record<string, string | undefined>;

const AMOUNT_RE = /^\d{1,12}(\.\d{1,6})?$/;

/**
 * Penalty publicity period of NDRC Order 58 (to 2026-03-31): at least 3 months, at most 3 years from the decision.
 * Still the outer bound of every tier, and what the 2015-shape mapping checks; the tiers are in ./tiers.ts.
 */
export const PUBLICITY_MIN_MONTHS = 3;
export const PUBLICITY_MAX_MONTHS = 36;

export interface SchemaContext {
  /** YYYY-MM-DD, Beijing; injectable for tests */
  today?: string;
}

class Checker {
  constructor(
    private readonly raw: RawRecord,
    private readonly ctx: z.RefinementCtx,
  ) {}

  issue(f: FieldDef, message: string): void {
    this.ctx.addIssue({ code: 'custom', path: [f.key], message });
  }

  rawValue(f: FieldDef): string {
    return (this.raw[f.key] ?? '').trim();
  }

  str(f: FieldDef): string | null {
    const v = (this.raw[f.key] ?? '').replace(/\u00a0/g, ' ').trim();
    if (v === '') {
      if (f.need === 'R') this.issue(f, `请填写${f.label}`);
      return null;
    }
    // v.length counts UTF-16 units, never fewer than characters: only a long string needs counting.
    if (f.max !== undefined && v.length > f.max && [...v].length > f.max) {
      this.issue(f, `${f.label}最多 ${f.max} 个字，当前 ${[...v].length} 个字`);
      return null;
    }
    return v;
  }

  date(f: FieldDef): string | null {
    const v = this.str(f);
    if (v === null) return null;
    const d = parseDate(v);
    if (!d) this.issue(f, `${f.label}“${v}”不是有效日期，应为 YYYY/MM/DD`);
    return d;
  }

  amount(f: FieldDef): string | null {
    const v = this.str(f);
    if (v === null) return null;
    const plain = v.replace(/,/g, '');
    if (!AMOUNT_RE.test(plain)) {
      this.issue(f, `${f.label}应为不小于 0 的数字（单位万元），最多 6 位小数`);
      return null;
    }
    return plain;
  }

  oneOf<T extends string>(f: FieldDef, options: readonly T[]): T | null {
    const v = this.str(f);
    if (v === null) return null;
    if (!(options as readonly string[]).includes(v)) {
      this.issue(f, `${f.label}“${v}”无效，应为 ${options.join('、')} 之一`);
      return null;
    }
    return v as T;
  }

  code(f: FieldDef): string | null {
    const v = this.str(f);
    if (v === null) return null;
    const r = validateUscc(v);
    if (!r.ok) {
      this.issue(f, `${f.label}：${r.reason}`);
      return null;
    }
    if (r.placeholder) {
      this.issue(f, `${f.label}不能使用占位代码 00000000000000000X`);
      return null;
    }
    return r.value;
  }
}

function byKey(fields: readonly FieldDef[]): Record<string, FieldDef> {
  return Object.fromEntries(fields.map((f) => [f.key, f]));
}

function subjectPart(c: Checker, F: Record<string, FieldDef>, today: string): SubjectPart {
  const categoryLabel = c.oneOf(F.subjectCategory!, Object.keys(CATEGORY_KEYS) as (keyof typeof CATEGORY_KEYS)[]);
  const category = categoryLabel ? CATEGORY_KEYS[categoryLabel] : null;
  const docTypeLabel = c.oneOf(F.docType!, Object.keys(DOC_TYPE_KEYS) as (keyof typeof DOC_TYPE_KEYS)[]);
  const legalRepDocTypeLabel = c.oneOf(F.legalRepDocType!, Object.keys(DOC_TYPE_KEYS) as (keyof typeof DOC_TYPE_KEYS)[]);
  const docType = docTypeLabel ? DOC_TYPE_KEYS[docTypeLabel] : null;
  const legalRepDocType = legalRepDocTypeLabel ? DOC_TYPE_KEYS[legalRepDocTypeLabel] : null;

  const rawUscc = c.str(F.uscc!);
  let uscc: string | null = null;
  let placeholder = false;
  let regNo = c.str(F.regNo!);
  let docNumber = c.str(F.docNumber!);
  let legalRepDocNumber = c.str(F.legalRepDocNumber!);
  const legalRepresentative = c.str(F.legalRepresentative!);

  if (category === 'legal' || category === 'soleTrader') {
    if (rawUscc === null) c.issue(F.uscc!, `${F.uscc!.label}：行政相对人类别为${categoryLabel}时必填`);
    else {
      const r = validateUscc(rawUscc);
      if (!r.ok) c.issue(F.uscc!, `${F.uscc!.label}：${r.reason}`);
      else if (r.placeholder) {
        placeholder = true;
        if (category === 'legal') c.issue(F.uscc!, '法人及非法人组织不能使用占位代码 00000000000000000X，请填写其统一社会信用代码');
      } else uscc = r.value;
    }
    if (category === 'legal' && legalRepresentative === null)
      c.issue(F.legalRepresentative!, `${F.legalRepresentative!.label}：行政相对人类别为法人及非法人组织时必填`);
    if (placeholder && category === 'soleTrader') {
      if (regNo === null) c.issue(F.regNo!, '个体工商户未填统一社会信用代码（占位代码）时，工商注册号必填');
    }
  }
  if (regNo !== null && /^\d{15}$/.test(regNo)) {
    const r = validateRegNo(regNo);
    if (!r.ok) c.issue(F.regNo!, `${F.regNo!.label}：${r.reason}`);
    else regNo = r.value;
  } else if (regNo !== null && placeholder) {
    c.issue(F.regNo!, `${F.regNo!.label}应为 15 位数字`);
  }
  if (category === 'natural') {
    if (rawUscc !== null) c.issue(F.uscc!, '行政相对人类别为自然人时不填统一社会信用代码');
    // An invalid type was reported by oneOf already; only a missing one is reported here.
    if (docType === null && !c.rawValue(F.docType!)) c.issue(F.docType!, `${F.docType!.label}：行政相对人类别为自然人时必填`);
    if (docNumber === null) c.issue(F.docNumber!, `${F.docNumber!.label}：行政相对人类别为自然人时必填`);
  }
  if (docNumber !== null && docType === 'residentId') {
    const r = validateIdNumber(docNumber, { today: new Date(`${today}T12:00:00+08:00`) });
    if (!r.ok) c.issue(F.docNumber!, `${F.docNumber!.label}：${r.reason}`);
    else docNumber = r.value;
  }
  if (legalRepDocNumber !== null && legalRepDocType === 'residentId') {
    const r = validateIdNumber(legalRepDocNumber, { today: new Date(`${today}T12:00:00+08:00`) });
    if (!r.ok) c.issue(F.legalRepDocNumber!, `${F.legalRepDocNumber!.label}：${r.reason}`);
    else legalRepDocNumber = r.value;
  }

  const decisionDate = c.date(F.decisionDate!);
  if (decisionDate && decisionDate > today) c.issue(F.decisionDate!, `${F.decisionDate!.label}不能晚于今天（${today}）`);

  return {
    subjectName: c.str(F.subjectName!) ?? '',
    subjectCategory: category ?? 'legal',
    uscc,
    regNo,
    orgCode: c.str(F.orgCode!)?.toUpperCase().replace('-', '') ?? null,
    taxRegNo: c.str(F.taxRegNo!),
    institutionCertNo: c.str(F.institutionCertNo!),
    socialOrgCertNo: c.str(F.socialOrgCertNo!),
    legalRepresentative,
    legalRepDocType,
    legalRepDocNumber,
    docType,
    docNumber,
    documentNo: c.str(F.documentNo!) ?? '',
    decisionDate: decisionDate ?? '',
    content: c.str(F.content!) ?? '',
    authority: c.str(F.authority!) ?? '',
    authorityCode: c.code(F.authorityCode!) ?? '',
    sourceName: c.str(F.sourceName!) ?? '',
    sourceCode: c.code(F.sourceCode!) ?? '',
    remark: c.str(F.remark!),
  };
}

const rawRecord = z.record(z.string(), z.string().optional());

export function permitSchema(ctx: SchemaContext = {}) {
  const F = byKey(PERMIT_FIELDS);
  return rawRecord.transform((raw, zctx): PermitInput => {
    const today = ctx.today ?? beijingToday();
    const c = new Checker(raw, zctx);
    const base = subjectPart(c, F, today);
    const validFrom = c.date(F.validFrom!);
    const validTo = c.date(F.validTo!);
    if (validFrom && validTo && validFrom > validTo) c.issue(F.validTo!, `${F.validTo!.label}不能早于有效期自（${validFrom}）`);
    // Object.assign rather than a spread: V8 builds the spread object many times slower, and this runs per imported row
    // (docs/performance.md#imports-and-bulk-writing).
    return Object.assign(base, {
      documentName: c.str(F.documentName!) ?? '',
      permitCategory: c.oneOf(F.permitCategory!, PERMIT_CATEGORIES) ?? '',
      certificateName: c.str(F.certificateName!),
      permitNo: c.str(F.permitNo!),
      validFrom: validFrom ?? '',
      validTo: validTo ?? '',
      permitState: c.oneOf(F.permitState!, PERMIT_STATES) ?? '有效',
    });
  });
}

const CONFISCATION = ['没收违法所得', '没收非法财物', '没收违法所得、没收非法财物'];
const LICENCE = ['暂扣许可证件', '吊销许可证件', '暂扣或者吊销许可证、暂扣或者吊销执照'];

/** The categories of a 处罚类别 cell (see ./categories.ts); pieces naming no category are dropped. */
export function splitCategories(v: string): string[] {
  return parsePenaltyCategories(v).categories;
}

export function penaltySchema(ctx: SchemaContext = {}) {
  const F = byKey(PENALTY_FIELDS);
  return rawRecord.transform((raw, zctx): PenaltyInput => {
    const today = ctx.today ?? beijingToday();
    const c = new Checker(raw, zctx);
    const base = subjectPart(c, F, today);

    const catRaw = c.str(F.penaltyCategories!);
    const parsed = catRaw ? parsePenaltyCategories(catRaw) : { categories: [], unknown: [] };
    const categories = parsed.categories;
    if (parsed.unknown.length) {
      c.issue(
        F.penaltyCategories!,
        `${F.penaltyCategories!.label}“${parsed.unknown.join('；')}”无效，应为《行政处罚法》第九条所列类别（如 警告、罚款、没收违法所得），多个类别用顿号、逗号或分号分隔`,
      );
    } else if (catRaw && categories.length === 0) c.issue(F.penaltyCategories!, `请填写${F.penaltyCategories!.label}`);

    const fineAmount = c.amount(F.fineAmount!);
    const confiscatedAmount = c.amount(F.confiscatedAmount!);
    const licenceAffected = c.str(F.licenceAffected!);
    // Each message names both fields exactly as the template's headers do.
    const needs = (category: string, f: FieldDef): string => `${F.penaltyCategories!.label}含「${category}」时，「${f.label}」必填`;
    if (categories.includes('罚款') && fineAmount === null && !raw.fineAmount?.trim()) c.issue(F.fineAmount!, needs('罚款', F.fineAmount!));
    const confiscation = categories.find((x) => CONFISCATION.includes(x));
    if (confiscation && confiscatedAmount === null && !raw.confiscatedAmount?.trim()) c.issue(F.confiscatedAmount!, needs(confiscation, F.confiscatedAmount!));
    const licence = categories.find((x) => LICENCE.includes(x));
    if (licence && licenceAffected === null) c.issue(F.licenceAffected!, needs(licence, F.licenceAffected!));

    const validUntil = c.date(F.validUntil!);
    const publicityEndDate = c.date(F.publicityEndDate!);
    const decided = base.decisionDate;
    if (decided && validUntil && validUntil < decided) c.issue(F.validUntil!, `${F.validUntil!.label}不能早于处罚决定日期（${decided}）`);
    // Only the bounds every tier shares: the window of the record's own tier is checked where the tier is known
    // (the writer, with the credit office's rules; src/domain/publicity/tiers.ts).
    if (decided && publicityEndDate) {
      const max = addMonths(decided, PUBLICITY_MAX_MONTHS);
      if (publicityEndDate < decided) c.issue(F.publicityEndDate!, `${F.publicityEndDate!.label}不能早于处罚决定日期（${decided}）`);
      if (publicityEndDate > max) c.issue(F.publicityEndDate!, `${F.publicityEndDate!.label}不能晚于 ${max}（最长公示期 3 年）`);
    }
    const simple = c.oneOf(SIMPLE_PROCEDURE_FIELD, ['是', '否'] as const);
    const tierLabel = c.oneOf(TIER_FIELD, ['轻微', '一般', '严重'] as const);
    const tierReason = c.str(TIER_REASON_FIELD);
    // An audited choice needs its reason: the record shows why it differs from the credit office's rules.
    if (tierLabel && !tierReason) c.issue(TIER_REASON_FIELD, `另行认定${TIER_FIELD.label}时请填写${TIER_REASON_FIELD.label}`);
    const necessary = c.oneOf(PUBLICITY_NECESSARY_FIELD, ['是', '否'] as const);
    return Object.assign(base, {
      violationType: c.str(F.violationType!) ?? '',
      facts: c.str(F.facts!) ?? '',
      basis: c.str(F.basis!) ?? '',
      penaltyCategories: categories,
      fineAmount,
      confiscatedAmount,
      licenceAffected,
      validUntil: validUntil ?? '',
      publicityEndDate,
      simpleProcedure: simple === '是',
      tier: tierLabel ? tierOfLabel(tierLabel) : null,
      tierReason: tierLabel ? tierReason : null,
      publicityNecessary: necessary === '是',
      ...(raw.decisionState?.trim() === '无效' ? { decisionRevoked: true } : {}),
    });
  });
}

export function recordSchema(kind: RecordKind, ctx: SchemaContext = {}) {
  return kind === 'permit' ? permitSchema(ctx) : penaltySchema(ctx);
}

export { LONG_TERM };
