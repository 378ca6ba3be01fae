import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addMonths } from '../../../domain/dates.js';
import { eligibility, refusalReasons, ruleMatches, type PenaltyFacts, type RepairRuleData } from './rules.js';

const rule = (over: Partial<RepairRuleData>): RepairRuleData => ({
  id: 1,
  name: '一般',
  penaltyCategory: null,
  keyword: null,
  departmentName: null,
  minMonths: 3,
  repairable: true,
  basis: '令第58号',
  active: true,
  ...over,
});
const penalty = (over: Partial<PenaltyFacts> = {}): PenaltyFacts => ({
  penaltyCategories: ['罚款'],
  violationType: '违反大气污染防治管理制度',
  basis: '《中华人民共和国大气污染防治法》第九十九条',
  content: '罚款 2 万元',
  authority: '新乡市生态环境局',
  departmentName: '新乡市生态环境局',
  decisionDate: '2026-01-31',
  ...over,
});

const RULES = [
  rule({ id: 1 }),
  rule({ id: 2, name: '安全生产', keyword: '安全生产', minMonths: 12 }),
  rule({ id: 3, name: '应急', departmentName: '应急管理', minMonths: 12 }),
  rule({ id: 4, name: '吊销营业执照', keyword: '吊销营业执照', departmentName: '市场监督管理', minMonths: 0, repairable: false, basis: '市场监管办法' }),
];

describe('repair rules', () => {
  it('a general penalty may be repaired three months after the decision', () => {
    const e = eligibility(RULES, penalty());
    expect(e.minMonths).toBe(3);
    expect(e.eligibleFrom).toBe('2026-04-30');
    expect(refusalReasons(e, '2026-04-29')).toEqual([expect.stringContaining('最短公示期未满：该行政处罚最短公示期为 3 个月，2026-04-30 起')]);
    expect(refusalReasons(e, '2026-04-30')).toEqual([]);
  });

  it('the longest period of the matching rules applies (安全生产 by keyword or by department)', () => {
    expect(eligibility(RULES, penalty({ basis: '《中华人民共和国安全生产法》第九十九条' })).minMonths).toBe(12);
    expect(eligibility(RULES, penalty({ departmentName: '新乡市应急管理局' })).eligibleFrom).toBe('2027-01-31');
  });

  it('a revoked business licence under the market-supervision rules is never repairable, whatever the date', () => {
    const e = eligibility(RULES, penalty({ content: '吊销营业执照', departmentName: '新乡市市场监督管理局', decisionDate: '2020-01-01' }));
    expect(refusalReasons(e, '2026-11-27')).toEqual(['该行政处罚不适用信用修复（吊销营业执照）：市场监管办法']);
    // the same penalty by another department is not caught by that rule
    expect(eligibility(RULES, penalty({ content: '吊销营业执照' })).barredBy).toEqual([]);
  });

  it('inactive rules are ignored, and an empty table still keeps the national floor of three months', () => {
    expect(ruleMatches(rule({ active: false }), penalty())).toBe(false);
    expect(eligibility([], penalty()).minMonths).toBe(3);
  });

  it('addMonths clamps to the end of the month and never goes backwards', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01'), max: new Date('2090-12-31'), noInvalidDate: true }), fc.integer({ min: 0, max: 60 }), (d, n) => {
        const iso = d.toISOString().slice(0, 10);
        const out = addMonths(iso, n);
        expect(out >= iso).toBe(true);
        expect(Number.isNaN(Date.parse(`${out}T00:00:00Z`))).toBe(false);
      }),
    );
  });
});
