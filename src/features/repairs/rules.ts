/**
 * 信用修复 eligibility: which minimum publicity period applies to a penalty, and whether it may be repaired at
 * all. The rules are data (table repair_rule, edited by the credit office) so that a change of national or
 * provincial policy is a form, not a release.
 */
import { addMonths } from '../../domain/dates.js';

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
