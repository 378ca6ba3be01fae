import { describe, expect, it } from 'vitest';
import { DEMO_NATURAL_PERSONS, DEMO_SEED, DEMO_SUBJECTS } from './demo-subjects.js';
import { generateDemoRecords, tierShowcase } from './demo-records.js';
import { recordSchema, type PenaltyInput } from '../domain/publicity/schemas.js';
import { DEFAULT_TIER_RULES, assignTier, publicityPeriod } from '../domain/publicity/tiers.js';
import { epochDay } from '../domain/dates.js';

const opts = {
  seed: DEMO_SEED,
  subjects: DEMO_SUBJECTS,
  people: DEMO_NATURAL_PERSONS.map((p) => ({ name: p.name, docNumber: p.docNumber })),
  endDay: 20_400,
  spanDays: 730,
};

describe('demo 双公示 records', () => {
  for (const kind of ['permit', 'penalty'] as const) {
    it(`${kind}: every generated record passes the national record schema`, () => {
      const schema = recordSchema(kind, { today: '2026-11-27' });
      for (const r of generateDemoRecords(kind, 500, opts)) {
        const parsed = schema.safeParse(r.raw);
        expect(parsed.success, JSON.stringify(parsed.error?.issues.map((i) => i.message))).toBe(true);
      }
    });
  }

  it('is deterministic and gives unique document numbers', () => {
    const a = [...generateDemoRecords('penalty', 200, opts)].map((r) => r.raw.documentNo);
    const b = [...generateDemoRecords('penalty', 200, opts)].map((r) => r.raw.documentNo);
    expect(a).toEqual(b);
    expect(new Set(a).size).toBe(a.length);
  });

  it('the tier showcase passes the schema and shows every tier, one not published and one past its maximum', () => {
    const today = '2026-11-27';
    const schema = recordSchema('penalty', { today });
    const rules = DEFAULT_TIER_RULES.map((r, i) => ({ ...r, id: i + 1, effectiveTo: null }));
    const seen = new Set<string>();
    let hidden = 0;
    let expired = 0;
    for (const r of tierShowcase(DEMO_SUBJECTS, epochDay(today) - 1)) {
      const parsed = schema.safeParse(r.raw);
      expect(parsed.success, JSON.stringify(parsed.error?.issues.map((i) => i.message))).toBe(true);
      const p = parsed.data as PenaltyInput;
      const facts = { decisionDate: p.decisionDate, departmentId: 1, penaltyCategories: p.penaltyCategories, fineAmount: p.fineAmount, simpleProcedure: false };
      const tier = assignTier(rules, facts, { tier: p.tier, reason: p.tierReason });
      seen.add(`${tier.tier}/${tier.source}`);
      const period = publicityPeriod({ decisionDate: p.decisionDate, tier: tier.tier, necessary: p.publicityNecessary, requestedEnd: p.publicityEndDate });
      expect(period.ok).toBe(true);
      if (period.ok && !period.published) hidden++;
      if (period.ok && period.published && period.publicUntil < today) expired++;
    }
    expect([...seen].sort()).toEqual(['general/rule', 'minor/rule', 'serious/department', 'serious/rule']);
    expect(hidden).toBe(1);
    expect(expired).toBe(1);
  });
});
