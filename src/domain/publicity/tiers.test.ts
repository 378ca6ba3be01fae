import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, addMonths } from '../dates.js';
import {
  DEFAULT_TIER_RULES,
  DISCLOSURE_LIMIT_MONTHS,
  TIERS,
  assignTier,
  defaultTier,
  order58End,
  order58Window,
  publicityPeriod,
  tierWindow,
  type Tier,
  type TierRule,
} from './tiers.js';

const RULES: TierRule[] = DEFAULT_TIER_RULES.map((r, i) => ({ ...r, id: i + 1, effectiveTo: null }));

// Any day from 2015 to 2035, as YYYY-MM-DD.
const dayArb = fc.integer({ min: 0, max: 365 * 20 }).map((n) => addDays('2015-01-01', n));
const tierArb = fc.constantFrom<Tier>(...TIERS);

describe('publicity period by tier', () => {
  it('decisions from 2026-04-01: the tier maximum when no end date is given', () => {
    expect(publicityPeriod({ decisionDate: '2026-05-10', tier: 'serious', necessary: false, requestedEnd: null })).toEqual({
      ok: true,
      published: true,
      publicUntil: '2029-05-10',
      rule: '2026',
    });
    expect(publicityPeriod({ decisionDate: '2026-05-10', tier: 'general', necessary: false, requestedEnd: null })).toMatchObject({ publicUntil: '2027-05-10' });
    expect(publicityPeriod({ decisionDate: '2026-05-10', tier: 'minor', necessary: true, requestedEnd: null })).toMatchObject({ publicUntil: '2026-08-10' });
    expect(publicityPeriod({ decisionDate: '2026-05-10', tier: 'minor', necessary: false, requestedEnd: null })).toMatchObject({ published: false });
  });

  it('honours a 公示截止期 inside the window and refuses one outside it, naming the window', () => {
    expect(publicityPeriod({ decisionDate: '2026-05-10', tier: 'general', necessary: false, requestedEnd: '2026-12-31' })).toMatchObject({
      ok: true,
      publicUntil: '2026-12-31',
    });
    const refused = publicityPeriod({ decisionDate: '2026-05-10', tier: 'general', necessary: false, requestedEnd: '2028-01-01' });
    expect(refused.ok).toBe(false);
    if (!refused.ok)
      expect(refused.message).toBe(
        '公示截止期 2028-01-01 超出一般失信信息的公示期限（自处罚决定日期起至少 3 个月、最长 1 年），应在 2026-08-10 至 2027-05-10 之间',
      );
    const short = publicityPeriod({ decisionDate: '2026-05-10', tier: 'serious', necessary: false, requestedEnd: '2026-11-10' });
    expect(short.ok).toBe(false);
    if (!short.ok) expect(short.message).toContain('应在 2027-05-10 至 2029-05-10 之间');
  });

  it('before 2026-04-01: the shorter of Order 58 and the tier, and says which', () => {
    // Order 58 alone: 3 years from the decision (2025-06-01 → 2028-06-01); 一般 allows 1 year.
    expect(publicityPeriod({ decisionDate: '2025-06-01', tier: 'general', necessary: false, requestedEnd: null })).toEqual({
      ok: true,
      published: true,
      publicUntil: '2026-06-01',
      rule: '2026',
    });
    // The department chose 4 months under Order 58: shorter than 严重's minimum, so Order 58 applies.
    expect(publicityPeriod({ decisionDate: '2025-06-01', tier: 'serious', necessary: false, requestedEnd: '2025-10-01' })).toEqual({
      ok: true,
      published: true,
      publicUntil: '2025-10-01',
      rule: 'order58',
    });
    // A minor record not marked necessary is not published any more.
    expect(publicityPeriod({ decisionDate: '2025-06-01', tier: 'minor', necessary: false, requestedEnd: null })).toMatchObject({
      published: false,
      rule: '2026',
    });
    // The end date is judged by the window it was reported under.
    expect(publicityPeriod({ decisionDate: '2025-06-01', tier: 'serious', necessary: false, requestedEnd: '2025-07-01' }).ok).toBe(false);
    expect(order58End('2025-06-01', null)).toBe('2028-06-01');
  });

  it('property: a period accepted is inside its tier window (or Order 58’s, never longer), for every tier and date', () => {
    fc.assert(
      fc.property(dayArb, tierArb, fc.boolean(), fc.option(fc.integer({ min: 0, max: 1400 })), (decisionDate, tier, necessary, offset) => {
        const requestedEnd = offset === null ? null : addDays(decisionDate, offset);
        const r = publicityPeriod({ decisionDate, tier, necessary, requestedEnd });
        if (!r.ok) {
          // Refused only when the end date really is outside the window that judged it.
          const w = decisionDate >= '2026-04-01' ? tierWindow(tier, decisionDate) : order58Window(decisionDate);
          expect(requestedEnd! < w.min || requestedEnd! > w.max).toBe(true);
          return;
        }
        expect(r.publicUntil <= addMonths(decisionDate, DISCLOSURE_LIMIT_MONTHS)).toBe(true);
        if (!r.published) {
          expect(tier).toBe('minor');
          expect(necessary).toBe(false);
          return;
        }
        const w = tierWindow(tier, decisionDate);
        if (r.rule === '2026') expect(r.publicUntil >= w.min && r.publicUntil <= w.max).toBe(true);
        else {
          expect(decisionDate < '2026-04-01').toBe(true);
          expect(r.publicUntil < w.min).toBe(true);
        }
        if (requestedEnd !== null) expect(r.publicUntil <= requestedEnd || r.publicUntil === w.min).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: the transition never lengthens a period beyond what Order 58 gave', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 365 * 11 }).map((n) => addDays('2015-04-01', n)),
        tierArb,
        fc.boolean(),
        fc.option(fc.integer({ min: 0, max: 1200 })),
        (decisionDate, tier, necessary, offset) => {
          fc.pre(decisionDate < '2026-04-01');
          const requestedEnd = offset === null ? null : addDays(decisionDate, offset);
          const r = publicityPeriod({ decisionDate, tier, necessary, requestedEnd }, { clamp: true });
          expect(r.ok).toBe(true);
          if (r.ok && r.published) expect(r.publicUntil <= order58End(decisionDate, requestedEnd)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('property: with clamp, existing data always gets a period, inside the tier window from 2026-04-01', () => {
    fc.assert(
      fc.property(dayArb, tierArb, fc.option(fc.integer({ min: -100, max: 3000 })), (decisionDate, tier, offset) => {
        fc.pre(decisionDate >= '2026-04-01');
        const requestedEnd = offset === null ? null : addDays(decisionDate, offset);
        const r = publicityPeriod({ decisionDate, tier, necessary: true, requestedEnd }, { clamp: true });
        expect(r.ok).toBe(true);
        const w = tierWindow(tier, decisionDate);
        if (r.ok) expect(r.publicUntil >= w.min && r.publicUntil <= w.max).toBe(true);
      }),
    );
  });
});

describe('default tier from the rules', () => {
  const facts = { decisionDate: '2026-06-01', departmentId: 7, penaltyCategories: ['罚款'], fineAmount: '2', simpleProcedure: false };

  it('by 处罚类别, the most severe wins; 简易程序 decides alone', () => {
    expect(defaultTier(RULES, { ...facts, penaltyCategories: ['警告'], fineAmount: null }).tier).toBe('minor');
    expect(defaultTier(RULES, { ...facts, penaltyCategories: ['通报批评'], fineAmount: null }).tier).toBe('minor');
    expect(defaultTier(RULES, facts).tier).toBe('general');
    expect(defaultTier(RULES, { ...facts, penaltyCategories: ['警告', '吊销许可证件'] })).toEqual({
      tier: 'serious',
      reason: '处罚类别「吊销许可证件」按规则认定为严重',
    });
    for (const c of ['责令关闭', '限制从业']) expect(defaultTier(RULES, { ...facts, penaltyCategories: [c] }).tier).toBe('serious');
    expect(defaultTier(RULES, { ...facts, simpleProcedure: true }).tier).toBe('minor');
    expect(defaultTier(RULES, { ...facts, penaltyCategories: [] }).tier).toBe('general');
  });

  it('fine thresholds: general, or the department’s own in place of the general one', () => {
    expect(defaultTier(RULES, { ...facts, fineAmount: '100' }).tier).toBe('serious');
    expect(defaultTier(RULES, { ...facts, fineAmount: '99.999999' }).tier).toBe('general');
    const own: TierRule = {
      id: 99,
      kind: 'fine',
      penaltyCategory: null,
      departmentId: 7,
      minFineAmount: '20',
      tier: 'serious',
      effectiveFrom: '2026-04-01',
      effectiveTo: null,
    };
    expect(defaultTier([...RULES, own], { ...facts, fineAmount: '20' }).reason).toBe('罚款 20 万元，达到本部门标准 20 万元，按规则认定为严重');
    expect(defaultTier([...RULES, own], { ...facts, fineAmount: '150', departmentId: 7 }).tier).toBe('serious');
    // Another department keeps the general threshold.
    expect(defaultTier([...RULES, own], { ...facts, fineAmount: '20', departmentId: 8 }).tier).toBe('general');
  });

  it('reads the rules in effect on the decision date (the first rules for older decisions)', () => {
    const ended: TierRule[] = RULES.map((r) => (r.penaltyCategory === '警告' ? { ...r, effectiveTo: '2026-09-30' } : r));
    const later: TierRule = {
      id: 100,
      kind: 'category',
      penaltyCategory: '警告',
      departmentId: null,
      minFineAmount: null,
      tier: 'general',
      effectiveFrom: '2026-10-01',
      effectiveTo: null,
    };
    const warn = { ...facts, penaltyCategories: ['警告'], fineAmount: null };
    expect(defaultTier([...ended, later], { ...warn, decisionDate: '2026-09-30' }).tier).toBe('minor');
    expect(defaultTier([...ended, later], { ...warn, decisionDate: '2026-10-01' }).tier).toBe('general');
    expect(defaultTier([...ended, later], { ...warn, decisionDate: '2024-01-01' }).tier).toBe('minor');
  });

  it('a department’s own tier replaces the default, with its reason', () => {
    expect(assignTier(RULES, facts, { tier: 'serious', reason: '情节严重' })).toEqual({ tier: 'serious', reason: '情节严重', source: 'department' });
    expect(assignTier(RULES, facts, { tier: null, reason: null })).toMatchObject({ tier: 'general', source: 'rule' });
  });
});
