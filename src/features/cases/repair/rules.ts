/**
 * 信用修复 eligibility by the rules in force (《信用修复管理办法》 of 2026, 条例 Art. 43; docs/domain.md "Credit repair").
 *
 * The minimum publicity period is the record's severity tier's (src/domain/publicity/tiers.ts): 轻微 as soon as the
 * legal duty is fulfilled, 一般 3 months, 严重 1 year, from the decision date. No office table may change that any
 * more. What the credit office still keeps (table repair_rule, each row with the days it is in effect):
 *  - bars (repairable = false): other legal conditions that rule a repair out (e.g. 《市场监督管理信用修复管理办法》),
 *    read as of the day of the application;
 *  - the sector minimums of NDRC Order 58 (in effect to 2026-03-31), read as of the decision date, only so that a
 *    decision made before 2026-04-01 gets the shorter of the two minimums (从旧兼从轻).
 */
import { z } from 'zod';
import { addMonths, parseDate } from '../../../domain/dates.js';
import { ORDER58_WINDOW, TIER_LABELS, TIER_WINDOWS, TIERS_IN_FORCE_FROM, type Tier } from '../../../domain/publicity/tiers.js';

export interface RepairRuleData {
  id: number;
  name: string;
  penaltyCategory: string | null;
  keyword: string | null;
  departmentName: string | null;
  minMonths: number;
  repairable: boolean;
  basis: string;
  active: boolean;
  /** YYYY-MM-DD (or a @db.Date); the first day in effect */
  effectiveFrom: Date | string;
  /** the last day in effect; null = open */
  effectiveTo: Date | string | null;
}

export interface PenaltyFacts {
  penaltyCategories: readonly string[];
  violationType: string;
  basis: string;
  content: string;
  authority: string;
  departmentName: string;
  /** YYYY-MM-DD */
  decisionDate: string;
  tier: Tier;
}

export interface Eligibility {
  tier: Tier;
  /** the minimum publicity period applied, in months (0: 轻微, once the duty is fulfilled) */
  minMonths: number;
  /** first day the penalty may be repaired: decision date + minMonths */
  eligibleFrom: string;
  /** why that minimum, in Chinese, for the form, the case and a refusal */
  basisText: string;
  /** Order 58 minimum rules that set a shorter period for an older decision (empty otherwise) */
  matched: RepairRuleData[];
  /** bars in effect today that match; empty when repair is possible */
  barredBy: RepairRuleData[];
}

const day = (v: Date | string): string => (typeof v === 'string' ? v : v.toISOString().slice(0, 10));

/** Whether a rule is in effect on `on` (YYYY-MM-DD). */
export function inEffect(rule: RepairRuleData, on: string): boolean {
  return rule.active && day(rule.effectiveFrom) <= on && (rule.effectiveTo === null || day(rule.effectiveTo) >= on);
}

/** A rule matches when every condition it has is met; a rule without conditions matches every penalty. */
export function ruleMatches(rule: RepairRuleData, p: PenaltyFacts): boolean {
  if (!rule.active) return false;
  if (rule.penaltyCategory && !p.penaltyCategories.includes(rule.penaltyCategory)) return false;
  if (rule.keyword) {
    const text = [p.violationType, p.basis, p.content, p.authority].join('\n');
    if (!text.includes(rule.keyword)) return false;
  }
  if (rule.departmentName && !p.departmentName.includes(rule.departmentName)) return false;
  return true;
}

const TIER_MIN_TEXT: Record<Tier, string> = {
  minor: '轻微失信信息：履行法定义务、纠正失信行为后即可申请信用修复（《信用修复管理办法》）',
  general: '一般失信信息：最短公示期 3 个月（《信用修复管理办法》）',
  serious: '严重失信信息：最短公示期 1 年（《信用修复管理办法》）',
};

/**
 * When `p` may be repaired and whether a bar rules it out on `today`. A decision before 2026-04-01 gets the shorter of
 * its tier's minimum and Order 58's (3 months, or the longest matching sector minimum then in effect).
 */
export function eligibility(rules: readonly RepairRuleData[], p: PenaltyFacts, today: string): Eligibility {
  const barredBy = rules.filter((r) => !r.repairable && inEffect(r, today) && ruleMatches(r, p));
  const tierMin = TIER_WINDOWS[p.tier].minMonths;
  let minMonths = tierMin;
  let basisText = TIER_MIN_TEXT[p.tier];
  let matched: RepairRuleData[] = [];
  if (p.decisionDate < TIERS_IN_FORCE_FROM) {
    const old = rules.filter((r) => r.repairable && inEffect(r, p.decisionDate) && ruleMatches(r, p));
    const oldMin = Math.max(ORDER58_WINDOW.minMonths, ...old.map((r) => r.minMonths));
    if (oldMin < tierMin) {
      minMonths = oldMin;
      matched = old.filter((r) => r.minMonths === oldMin);
      basisText = `2026年4月1日前作出的处罚，从旧兼从轻适用国家发展改革委令第58号：最短公示期 ${oldMin} 个月${matched.length ? `（${matched.map((r) => r.name).join('、')}）` : ''}`;
    }
  }
  return { tier: p.tier, minMonths, eligibleFrom: addMonths(p.decisionDate, minMonths), basisText, matched, barredBy };
}

/** The Chinese sentence that says from when a record may be repaired. */
export function eligibleText(e: Eligibility): string {
  return e.minMonths === 0
    ? `${TIER_LABELS[e.tier]}失信信息，履行法定义务后即可申请信用修复（自 ${e.eligibleFrom} 起）`
    : `${TIER_LABELS[e.tier]}失信信息，最短公示期 ${e.minMonths} 个月，${e.eligibleFrom} 起方可申请信用修复`;
}

/** Why a request is refused at submission, in Chinese; empty when it may proceed to the department. */
export function refusalReasons(e: Eligibility, today: string): string[] {
  const out = e.barredBy.map((r) => `该行政处罚不适用信用修复（${r.name}）：${r.basis}`);
  if (today < e.eligibleFrom) out.push(`最短公示期未满：该行政处罚为${eligibleText(e)}（${e.basisText}）`);
  return out;
}

/** The rule form of the credit office. */
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `最多 ${max} 个字`)
    .optional()
    .transform((v) => v || null);

const optionalDay = (label: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      const d = parseDate(v);
      if (!d) {
        ctx.addIssue({ code: 'custom', message: `${label}格式应为 YYYY-MM-DD` });
        return z.NEVER;
      }
      return d;
    });

export const ruleSchema = z
  .object({
    name: z.string().trim().min(1, '请填写规则名称').max(100, '规则名称最多 100 个字'),
    penaltyCategory: optionalText(64),
    keyword: optionalText(64),
    departmentName: optionalText(64),
    minMonths: z.coerce
      .number({ error: '最短公示期应为整数' })
      .int('最短公示期应为整数')
      .min(0, '最短公示期不能为负')
      .max(36, '最短公示期不超过 36 个月（最长公示期三年）'),
    repairable: z.enum(['yes', 'no'], { error: '请选择是否可以修复' }).transform((v) => v === 'yes'),
    basis: z.string().trim().min(1, '请填写依据（不予修复时作为理由告知申请人）').max(500, '依据最多 500 个字'),
    active: z
      .string()
      .optional()
      .transform((v) => v === 'yes'),
    effectiveFrom: optionalDay('生效日期').pipe(z.string({ error: '请填写生效日期' })),
    effectiveTo: optionalDay('失效日期'),
  })
  .superRefine((v, ctx) => {
    if (v.effectiveTo !== null && v.effectiveTo < v.effectiveFrom) ctx.addIssue({ code: 'custom', path: ['effectiveTo'], message: '失效日期不能早于生效日期' });
    // Since 2026-04-01 the minimum period is the tier's (《信用修复管理办法》): an office rule can no longer set one.
    if (v.repairable && (v.effectiveTo === null || v.effectiveTo >= TIERS_IN_FORCE_FROM))
      ctx.addIssue({
        code: 'custom',
        path: ['effectiveTo'],
        message: '2026年4月1日起最短公示期由失信信息的严重程度决定（《信用修复管理办法》），“可以修复”的最短公示期规则须在 2026-03-31 前失效',
      });
  });
