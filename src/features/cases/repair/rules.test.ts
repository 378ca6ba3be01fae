import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addMonths } from '../../../domain/dates.js';
import { TIERS, TIER_WINDOWS, type Tier } from '../../../domain/publicity/tiers.js';
import { eligibility, eligibleText, inEffect, refusalReasons, ruleMatches, ruleSchema, type PenaltyFacts, type RepairRuleData } from './rules.js';

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
  effectiveFrom: '2023-05-01',
  effectiveTo: '2026-03-31',
  ...over,
});
const penalty = (over: Partial<PenaltyFacts> = {}): PenaltyFacts => ({
  penaltyCategories: ['罚款'],
  violationType: '违反大气污染防治管理制度',
  basis: '《中华人民共和国大气污染防治法》第九十九条',
  content: '罚款 2 万元',
  authority: '新乡市生态环境局',
  departmentName: '新乡市生态环境局',
  decisionDate: '2026-05-31',
  tier: 'general',
  ...over,
});

const RULES = [
  rule({ id: 1 }),
  rule({ id: 2, name: '安全生产', keyword: '安全生产', minMonths: 12 }),
  rule({ id: 3, name: '应急', departmentName: '应急管理', minMonths: 12 }),
  rule({
    id: 4,
    name: '吊销营业执照',
    keyword: '吊销营业执照',
    departmentName: '市场监督管理',
    minMonths: 0,
    repairable: false,
    basis: '市场监管办法',
    effectiveFrom: '2021-09-01',
    effectiveTo: null,
  }),
];

describe('repair eligibility by tier (《信用修复管理办法》)', () => {
  it('一般: three months after the decision, the date in the refusal', () => {
    const e = eligibility(RULES, penalty(), '2026-08-30');
    expect(e.minMonths).toBe(3);
    expect(e.eligibleFrom).toBe('2026-08-31');
    expect(refusalReasons(e, '2026-08-30')).toEqual([expect.stringContaining('一般失信信息，最短公示期 3 个月，2026-08-31 起方可申请信用修复')]);
    expect(refusalReasons(e, '2026-08-31')).toEqual([]);
  });

  it('严重: one year; 轻微: at once, once the duty is fulfilled', () => {
    expect(eligibility(RULES, penalty({ tier: 'serious' }), '2026-12-01').eligibleFrom).toBe('2027-05-31');
    const minor = eligibility(RULES, penalty({ tier: 'minor' }), '2026-05-31');
    expect(minor.minMonths).toBe(0);
    expect(minor.eligibleFrom).toBe('2026-05-31');
    expect(refusalReasons(minor, '2026-05-31')).toEqual([]);
    expect(eligibleText(minor)).toContain('履行法定义务后即可申请信用修复');
  });

  it('Order 58 sector minimums no longer lengthen a decision made since 2026-04-01', () => {
    const e = eligibility(RULES, penalty({ basis: '《中华人民共和国安全生产法》第九十九条', departmentName: '新乡市应急管理局' }), '2026-12-01');
    expect(e.minMonths).toBe(3);
    expect(e.matched).toEqual([]);
  });

  it('before 2026-04-01: the shorter of the tier minimum and Order 58 (从旧兼从轻)', () => {
    // 严重 would be 12 months; Order 58 gave 3 months to an ordinary penalty.
    const e = eligibility(RULES, penalty({ tier: 'serious', decisionDate: '2026-01-31' }), '2026-05-01');
    expect(e.minMonths).toBe(3);
    expect(e.eligibleFrom).toBe('2026-04-30');
    expect(e.basisText).toContain('从旧兼从轻');
    // 安全生产 had 12 months under Order 58, as has 严重: equal, the tier is named.
    const safety = eligibility(RULES, penalty({ tier: 'serious', decisionDate: '2026-01-31', basis: '《中华人民共和国安全生产法》' }), '2026-05-01');
    expect(safety.minMonths).toBe(12);
    expect(safety.basisText).toContain('严重失信信息');
    // 一般 with the 12-month sector rule: the tier's 3 months are shorter.
    expect(eligibility(RULES, penalty({ decisionDate: '2025-06-30', basis: '安全生产' }), '2026-05-01').minMonths).toBe(3);
  });

  it('the minimum never exceeds the tier minimum, for every tier and decision date', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Tier>(...TIERS),
        fc.date({ min: new Date('2023-05-01'), max: new Date('2030-12-31'), noInvalidDate: true }),
        fc.boolean(),
        (tier, d, safety) => {
          const decisionDate = d.toISOString().slice(0, 10);
          const e = eligibility(RULES, penalty({ tier, decisionDate, basis: safety ? '安全生产' : 'x' }), '2031-01-01');
          expect(e.minMonths).toBeLessThanOrEqual(TIER_WINDOWS[tier].minMonths);
          expect(e.eligibleFrom).toBe(addMonths(decisionDate, e.minMonths));
          expect(e.eligibleFrom >= decisionDate).toBe(true);
        },
      ),
    );
  });

  it('a bar in effect on the day of the application refuses, whatever the date; an ended bar does not', () => {
    const revoked = penalty({ content: '吊销营业执照', departmentName: '新乡市市场监督管理局', decisionDate: '2025-01-01' });
    expect(refusalReasons(eligibility(RULES, revoked, '2026-11-27'), '2026-11-27')).toEqual(['该行政处罚不适用信用修复（吊销营业执照）：市场监管办法']);
    const ended = RULES.map((r) => (r.id === 4 ? { ...r, effectiveTo: '2026-11-30' } : r));
    expect(eligibility(ended, revoked, '2026-12-01').barredBy).toEqual([]);
    // the same penalty by another department is not caught by that rule
    expect(eligibility(RULES, penalty({ content: '吊销营业执照' }), '2026-11-27').barredBy).toEqual([]);
  });

  it('inactive rules are ignored; effective dates are inclusive', () => {
    expect(ruleMatches(rule({ active: false }), penalty())).toBe(false);
    expect(inEffect(rule({}), '2026-03-31')).toBe(true);
    expect(inEffect(rule({}), '2026-04-01')).toBe(false);
    expect(inEffect(rule({ effectiveFrom: new Date('2023-05-01T00:00:00Z') }), '2023-05-01')).toBe(true);
    expect(eligibility([], penalty(), '2026-12-01').minMonths).toBe(3);
  });

  it('the office cannot add a minimum-period rule in effect after 2026-03-31', () => {
    const base = { name: '消防', minMonths: '12', repairable: 'yes', basis: 'x', active: 'yes', effectiveFrom: '2023-05-01' };
    expect(ruleSchema.safeParse(base).success).toBe(false);
    expect(ruleSchema.safeParse({ ...base, effectiveTo: '2026-03-31' }).success).toBe(true);
    expect(ruleSchema.safeParse({ ...base, repairable: 'no' }).success).toBe(true);
    expect(ruleSchema.safeParse({ ...base, repairable: 'no', effectiveTo: '2020-01-01' }).success).toBe(false);
  });
});
