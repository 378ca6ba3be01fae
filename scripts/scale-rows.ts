/**
 * The column values seed:scale stores for a generated 双公示 record (scripts/seed-scale.ts), apart from the loading
 * itself so that a benchmark of the row generator (scripts/bench-loader.ts) and the loader share one definition.
 */
import { addDays } from '../src/domain/dates.js';
import { arrayLiteral } from '../src/platform/database/copy.js';
import type { WorkdayCalendar } from '../src/domain/workdays.js';
import type { DemoRecord } from '../src/seed/demo-records.js';
import {
  CATEGORY_KEYS,
  DOC_TYPE_KEYS,
  KIND_LABELS,
  fieldsOf,
  type DocTypeLabel,
  type RecordKind,
  type SubjectCategoryLabel,
} from '../src/domain/publicity/fields.js';
import { recordSchema, splitCategories, type PenaltyInput, type PermitInput } from '../src/domain/publicity/schemas.js';
import { assignTier, publicityPeriod, rulesInEffect, type PeriodResult, type Tier, type TierRule } from '../src/domain/publicity/tiers.js';
import { LEFT_COLUMNS, penaltyPublicity, publicityOf, recordColumns as writerColumns, type RecordInput } from '../src/features/publicity/writer.js';

/** One record in this many is also checked against the real record schema. */
const CHECK_EVERY = 1000;

export type CopyValue = string | number | boolean | null;

const text = (raw: Record<string, string>, key: string): string | null => {
  const v = raw[key];
  return v === undefined || v === '' ? null : v;
};
/** The generator writes YYYY/MM/DD with zero padding; the schema stores YYYY-MM-DD. */
const isoDate = (v: string): string => v.replaceAll('/', '-');

/**
 * What recordSchema(kind) returns for a generated raw record, without zod. The generator only produces
 * well-formed values, so this maps rather than validates; typing it as the schema's output makes the compiler
 * list every field, and the sampled comparison in recordValues checks the values.
 * Object.assign rather than `{ ...base, … }`: V8 builds a spread followed by more properties many times slower,
 * which at millions of rows is minutes (docs/performance.md#loading-the-scale-data).
 */
function inputOf(kind: RecordKind, raw: Record<string, string>, decisionDate = isoDate(raw.decisionDate ?? '')): RecordInput {
  const docType = text(raw, 'docType');
  const base = {
    subjectName: raw.subjectName ?? '',
    subjectCategory: CATEGORY_KEYS[raw.subjectCategory as SubjectCategoryLabel],
    uscc: text(raw, 'uscc'),
    regNo: text(raw, 'regNo'),
    orgCode: text(raw, 'orgCode')?.toUpperCase().replace('-', '') ?? null,
    taxRegNo: text(raw, 'taxRegNo'),
    institutionCertNo: text(raw, 'institutionCertNo'),
    socialOrgCertNo: text(raw, 'socialOrgCertNo'),
    legalRepresentative: text(raw, 'legalRepresentative'),
    legalRepDocType: null,
    legalRepDocNumber: null,
    docType: docType === null ? null : DOC_TYPE_KEYS[docType as DocTypeLabel],
    docNumber: text(raw, 'docNumber'),
    documentNo: raw.documentNo ?? '',
    decisionDate,
    content: raw.content ?? '',
    authority: raw.authority ?? '',
    authorityCode: raw.authorityCode ?? '',
    sourceName: raw.sourceName ?? '',
    sourceCode: raw.sourceCode ?? '',
    remark: text(raw, 'remark'),
  };
  if (kind === 'permit') {
    const permit: PermitInput = Object.assign(base, {
      documentName: raw.documentName ?? '',
      permitCategory: raw.permitCategory ?? '',
      certificateName: text(raw, 'certificateName'),
      permitNo: text(raw, 'permitNo'),
      validFrom: isoDate(raw.validFrom ?? ''),
      validTo: isoDate(raw.validTo ?? ''),
      permitState: text(raw, 'permitState') ?? '有效',
    });
    return permit;
  }
  const publicityEnd = text(raw, 'publicityEndDate');
  const penalty: PenaltyInput = Object.assign(base, {
    violationType: raw.violationType ?? '',
    facts: raw.facts ?? '',
    basis: raw.basis ?? '',
    penaltyCategories: splitCategories(raw.penaltyCategories ?? ''),
    fineAmount: text(raw, 'fineAmount'),
    confiscatedAmount: text(raw, 'confiscatedAmount'),
    licenceAffected: text(raw, 'licenceAffected'),
    validUntil: isoDate(raw.validUntil ?? ''),
    publicityEndDate: publicityEnd === null ? null : isoDate(publicityEnd),
    simpleProcedure: raw.simpleProcedure === '是',
    tier: null,
    tierReason: null,
    publicityNecessary: false,
  });
  return penalty;
}

/** The first field where the shortcut and the schema disagree, or null. */
function difference(fast: RecordInput, schema: RecordInput): string | null {
  const a = fast as unknown as Record<string, unknown>;
  const b = schema as unknown as Record<string, unknown>;
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (JSON.stringify(a[key] ?? null) !== JSON.stringify(b[key] ?? null)) return `${key}: ${JSON.stringify(a[key])} ≠ ${JSON.stringify(b[key])}`;
  }
  return null;
}

export interface DepartmentRow {
  id: number;
  name: string;
  level: 'city' | 'county';
  county_id: number | null;
}

export interface RecordContext {
  departments: ReadonlyMap<string, DepartmentRow>;
  /** county code → id, to place a 市直 department's record in its subject's county */
  countyByRegion: ReadonlyMap<string, number>;
  calendar: WorkdayCalendar;
  today: string;
  /** tier_rule, as writeContext loads it */
  tierRules: TierRule[];
}

/** The columns writeRecords stages (its recordColumns + the bookkeeping columns we fill). */
export function recordColumns(kind: RecordKind): { own: string[]; extra: string[] } {
  const extra = ['reported_at', 'department_id', 'county_id', 'publicity_scope', 'is_public', 'report_workdays'];
  return { own: writerColumns(kind), extra: kind === 'penalty' ? [...extra, ...LEFT_COLUMNS] : extra };
}

type Values = { values: CopyValue[]; publishedAt: string | null };

/**
 * The values as writeRecords' line() with PublicityService.writeContext() would store them, computed plainly from
 * the domain functions: the reference that recordValues' shortcut is checked against.
 */
export function referenceValues(kind: RecordKind, ctx: RecordContext, now: number, rec: DemoRecord, input: RecordInput): Values {
  const dept = ctx.departments.get(rec.departmentName);
  if (!dept) throw new Error(`部门“${rec.departmentName}”不存在`);

  // As seedDemoRecords: reported `reportDelay` working days after the decision, never in the future.
  const reportedDay = ctx.calendar.addWorkingDays(input.decisionDate, rec.reportDelay);
  const reportedAt = new Date(Math.min(Date.parse(`${reportedDay}T10:00:00+08:00`), now));
  // From here on as writeRecords' line() with PublicityService.writeContext().
  const reportedBeijing = new Date(reportedAt.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  const workdays =
    ctx.calendar.knows(input.decisionDate) && ctx.calendar.knows(reportedBeijing) ? ctx.calendar.workingDaysBetween(input.decisionDate, reportedBeijing) : null;
  const region =
    input.uscc && input.uscc.length === 18 ? input.uscc.slice(2, 8) : input.docNumber && input.docType === 'residentId' ? input.docNumber.slice(0, 6) : null;
  const countyId = dept.level === 'county' ? dept.county_id : region ? (ctx.countyByRegion.get(region) ?? null) : null;
  const rules = publicityOf(kind, input, { marketSupervision: dept.name.includes('市场监督管理') });
  const period = kind === 'penalty' ? penaltyPublicity(input as PenaltyInput, { tierRules: ctx.tierRules, departmentId: dept.id }) : null;
  if (period && 'message' in period) throw new Error(`生成的行政处罚记录公示期无效（${rec.raw.documentNo}）：${period.message}`);
  const expired = period !== null && rules.isPublic && period.published && period.publicUntil < ctx.today;
  const pub = { scope: rules.scope, isPublic: rules.isPublic && (period === null || (period.published && !expired)) };

  const fields = input as unknown as Record<string, unknown>;
  const values: CopyValue[] = [];
  for (const f of fieldsOf(kind)) {
    const v = fields[f.key];
    values.push(Array.isArray(v) ? arrayLiteral(v as string[]) : ((v as string | null | undefined) ?? null));
  }
  if (period) {
    const p = input as PenaltyInput;
    values.push(p.simpleProcedure, period.publicUntil, period.tier.tier, period.tier.source, period.tier.reason || null, p.publicityNecessary, period.rule);
  }
  values.push(reportedAt.toISOString(), dept.id, countyId, pub.scope, pub.isPublic, workdays);
  // As the nightly job would have: the first minutes of the day after the last public day (Beijing).
  if (period) values.push(expired ? `${addDays(period.publicUntil, 1)}T00:05:00+08:00` : null, expired ? 'expired' : null);
  return { values, publishedAt: pub.isPublic ? reportedAt.toISOString() : null };
}

/** What is kept per decision day (see recordValues). */
interface Day {
  iso: string;
  /** tier rules in effect */
  rules: TierRule[];
  /** by report delay */
  reports: Reported[];
  /** publicity period by tier */
  periods: Map<Tier, PeriodResult>;
}

/** What a decision day and report delay give: the report instant and its working days (see referenceValues). */
interface Reported {
  at: string;
  workdays: number | null;
}

/**
 * The staged columns of `kind` (as a list) and, for a generated record, their values and what the safe path's
 * INSERT … SELECT derives from them (published_at).
 *
 * What depends only on the decision day, the report delay, the department or the tier (the report instant, working
 * days, the tier rules in effect, the publicity period, the day a record left publication) is computed once per
 * distinct value and kept: millions of records share a few thousand days, and recomputing them per row was most of
 * the loader's CPU (docs/performance.md#loading-the-scale-data). One record in CHECK_EVERY is also computed by
 * referenceValues (the domain functions as writeRecords calls them) and by the real schema, and must agree.
 */
export function recordValues(kind: RecordKind, ctx: RecordContext, now = Date.now()): { columns: string[]; valuesOf: (rec: DemoRecord) => Values } {
  const { own, extra } = recordColumns(kind);
  const columns = [...own, ...extra];
  const schema = recordSchema(kind, { today: ctx.today });
  const keys = fieldsOf(kind).map((f) => f.key);
  const penalty = kind === 'penalty';
  let seen = 0;

  const departments = new Map<string, { dept: DepartmentRow; marketSupervision: boolean }>();
  const departmentOf = (name: string) => {
    let d = departments.get(name);
    if (d === undefined) {
      const dept = ctx.departments.get(name);
      if (!dept) throw new Error(`部门“${name}”不存在`);
      d = { dept, marketSupervision: dept.name.includes('市场监督管理') };
      departments.set(name, d);
    }
    return d;
  };
  // Keyed by the generator's own date string: it hands out one string per day, so the lookup hashes no new string.
  const days = new Map<string, Day>();
  const dayOf = (raw: string): Day => {
    let d = days.get(raw);
    if (d === undefined) {
      const iso = isoDate(raw);
      d = { iso, rules: rulesInEffect(ctx.tierRules, iso), reports: [], periods: new Map() };
      days.set(raw, d);
    }
    return d;
  };
  const reportedOf = (day: Day, delay: number): Reported => {
    let r = day.reports[delay];
    if (r === undefined) {
      const reportedDay = ctx.calendar.addWorkingDays(day.iso, delay);
      const at = new Date(Math.min(Date.parse(`${reportedDay}T10:00:00+08:00`), now));
      const beijing = new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
      const workdays = ctx.calendar.knows(day.iso) && ctx.calendar.knows(beijing) ? ctx.calendar.workingDaysBetween(day.iso, beijing) : null;
      r = { at: at.toISOString(), workdays };
      day.reports[delay] = r;
    }
    return r;
  };
  const periodOf = (day: Day, p: PenaltyInput, tier: Tier): PeriodResult => {
    // Generated penalties carry neither a 公示截止期 nor 公示必要性; anything else is computed as it comes.
    const plain = p.publicityEndDate === null && !p.publicityNecessary;
    let r = plain ? day.periods.get(tier) : undefined;
    if (r === undefined) {
      r = publicityPeriod({ decisionDate: p.decisionDate, tier, necessary: p.publicityNecessary, requestedEnd: p.publicityEndDate });
      if (plain) day.periods.set(tier, r);
    }
    return r;
  };
  const leftAt = new Map<string, string>();
  const leftAtOf = (publicUntil: string): string => {
    let r = leftAt.get(publicUntil);
    if (r === undefined) {
      r = `${addDays(publicUntil, 1)}T00:05:00+08:00`;
      leftAt.set(publicUntil, r);
    }
    return r;
  };

  const valuesOf = (rec: DemoRecord): Values => {
    const day = dayOf(rec.raw.decisionDate ?? '');
    const input = inputOf(kind, rec.raw, day.iso);
    const { dept, marketSupervision } = departmentOf(rec.departmentName);
    const reported = reportedOf(day, rec.reportDelay);
    const region =
      input.uscc !== null && input.uscc.length === 18
        ? input.uscc.slice(2, 8)
        : input.docNumber && input.docType === 'residentId'
          ? input.docNumber.slice(0, 6)
          : null;
    const countyId = dept.level === 'county' ? dept.county_id : region ? (ctx.countyByRegion.get(region) ?? null) : null;
    const rules = publicityOf(kind, input, { marketSupervision });

    const fields = input as unknown as Record<string, unknown>;
    const values: CopyValue[] = [];
    for (let i = 0; i < keys.length; i++) {
      const v = fields[keys[i]!];
      values.push(Array.isArray(v) ? arrayLiteral(v as string[]) : ((v as string | null | undefined) ?? null));
    }
    let isPublic = rules.isPublic;
    let left: string | null = null;
    if (penalty) {
      // penaltyPublicity, with the rules in effect and the period kept per day.
      const p = input as PenaltyInput;
      const tier = assignTier(
        day.rules,
        {
          decisionDate: p.decisionDate,
          departmentId: dept.id,
          penaltyCategories: p.penaltyCategories,
          fineAmount: p.fineAmount,
          simpleProcedure: p.simpleProcedure,
        },
        { tier: p.tier, reason: p.tierReason },
      );
      const period = periodOf(day, p, tier.tier);
      if (!period.ok) throw new Error(`生成的行政处罚记录公示期无效（${rec.raw.documentNo}）：${period.message}`);
      const expired = rules.isPublic && period.published && period.publicUntil < ctx.today;
      isPublic = rules.isPublic && period.published && !expired;
      values.push(p.simpleProcedure, period.publicUntil, tier.tier, tier.source, tier.reason || null, p.publicityNecessary, period.rule);
      if (expired) left = leftAtOf(period.publicUntil);
    }
    values.push(reported.at, dept.id, countyId, rules.scope, isPublic, reported.workdays);
    if (penalty) values.push(left, left === null ? null : 'expired');
    const out = { values, publishedAt: isPublic ? reported.at : null };

    if (seen++ % CHECK_EVERY === 0) {
      const parsed = schema.safeParse(rec.raw);
      if (!parsed.success) throw new Error(`生成的${KIND_LABELS[kind]}记录未通过校验：${parsed.error.issues.map((i) => i.message).join('；')}`);
      const diff = difference(input, parsed.data);
      if (diff) throw new Error(`快速转换与校验结果不一致（${rec.raw.documentNo}）：${diff}`);
      const reference = referenceValues(kind, ctx, now, rec, parsed.data);
      if (JSON.stringify(reference) !== JSON.stringify(out))
        throw new Error(`快速计算的列值与逐项计算不一致（${rec.raw.documentNo}）：${JSON.stringify(out)} ≠ ${JSON.stringify(reference)}`);
    }
    return out;
  };
  return { columns, valuesOf };
}
