/**
 * 信用修复 eligibility: which minimum publicity period applies to a penalty, and whether it may be repaired at
 * all. The rules are data (table repair_rule, edited by the credit office) so that a change of national or
 * provincial policy is a form, not a release.
 */
import { z } from 'zod';
import { addMonths } from '../../../domain/dates.js';

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
}

export interface Eligibility {
  /** the longest minimum period of the matching rules, in months */
  minMonths: number;
  /** first day the penalty may be repaired: decision date + minMonths */
  eligibleFrom: string;
  /** rules that matched, for the record */
  matched: RepairRuleData[];
  /** non-repairable rules that matched; empty when repair is possible */
  barredBy: RepairRuleData[];
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

/** When no rule matches (the table was emptied), the national floor still applies. */
export const DEFAULT_MIN_MONTHS = 3;

export function eligibility(rules: readonly RepairRuleData[], p: PenaltyFacts): Eligibility {
  const matched = rules.filter((r) => ruleMatches(r, p));
  const barredBy = matched.filter((r) => !r.repairable);
  const periods = matched.filter((r) => r.repairable).map((r) => r.minMonths);
  const minMonths = periods.length ? Math.max(...periods) : DEFAULT_MIN_MONTHS;
  return { minMonths, eligibleFrom: addMonths(p.decisionDate, minMonths), matched, barredBy };
}

/** Why a request is refused at submission, in Chinese; empty when it may proceed to the department. */
export function refusalReasons(e: Eligibility, today: string): string[] {
  const out = e.barredBy.map((r) => `该行政处罚不适用信用修复（${r.name}）：${r.basis}`);
  if (today < e.eligibleFrom) {
    const basis = e.matched.filter((r) => r.repairable && r.minMonths === e.minMonths).map((r) => r.basis)[0];
    out.push(`最短公示期未满：该行政处罚最短公示期为 ${e.minMonths} 个月，${e.eligibleFrom} 起方可申请信用修复${basis ? `（${basis}）` : ''}`);
  }
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

export const ruleSchema = z.object({
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
});
