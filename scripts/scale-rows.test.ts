import { describe, expect, it } from 'vitest';
import { epochDay } from '../src/domain/dates.js';
import { recordSchema } from '../src/domain/publicity/schemas.js';
import { DEFAULT_TIER_RULES } from '../src/domain/publicity/tiers.js';
import { WorkdayCalendar } from '../src/domain/workdays.js';
import { COUNTIES, DEPARTMENTS } from '../src/domain/xinxiang.js';
import { generateDemoRecords } from '../src/seed/demo-records.js';
import { DEMO_SEED, SCALE_FIRST_INDEX, generateLegalPersons, generateNaturalPersons } from '../src/seed/demo-subjects.js';
import { recordValues, referenceValues, type RecordContext } from './scale-rows.js';

// The per-day shortcuts of recordValues must give, on every row and not only on the sampled ones, what the plain
// domain computation gives. A fixed today, so that which penalties have expired does not depend on the run's day.
const today = '2026-12-03';
const countyIds = new Map(COUNTIES.map((c, i) => [c.code, i + 1]));
const ctx: RecordContext = {
  departments: new Map(
    DEPARTMENTS.map((d, i) => [
      d.name,
      { id: i + 1, name: d.name, level: d.level, county_id: d.countyCode === null ? null : (countyIds.get(d.countyCode) ?? null) },
    ]),
  ),
  countyByRegion: countyIds,
  calendar: new WorkdayCalendar(),
  today,
  tierRules: DEFAULT_TIER_RULES.map((r, i) => ({ ...r, id: i + 1, effectiveTo: null })),
};
const subjects = [...generateLegalPersons(2000, DEMO_SEED, { firstIndex: SCALE_FIRST_INDEX })].map((p) => ({
  name: p.name,
  uscc: p.uscc,
  legalRepresentative: p.legalRepresentative,
  subjectType: p.subjectType,
}));
const people = [...generateNaturalPersons(200, DEMO_SEED, { firstIndex: SCALE_FIRST_INDEX })].map((p) => ({ name: p.name, docNumber: p.docNumber }));

describe('seed:scale record values', () => {
  for (const kind of ['permit', 'penalty'] as const) {
    it(`${kind}: the cached values equal the plain computation on every row`, () => {
      // Reports are capped at the moment of loading: a fixed one, late that day, so that some are capped.
      const now = Date.parse(`${today}T20:00:00+08:00`);
      const { valuesOf } = recordValues(kind, ctx, now);
      const schema = recordSchema(kind, { today });
      let expired = 0;
      let capped = 0;
      for (const rec of generateDemoRecords(kind, 3000, {
        seed: 7,
        subjects,
        people: kind === 'penalty' ? people : [],
        endDay: epochDay(today) - 1,
        spanDays: 3 * 365,
        firstSerial: 10_000_000,
        skewed: true,
      })) {
        const fast = valuesOf(rec);
        const parsed = schema.parse(rec.raw);
        expect(fast).toEqual(referenceValues(kind, ctx, now, rec, parsed));
        if (fast.values.includes('expired')) expired++;
        if (fast.values.includes(new Date(now).toISOString())) capped++;
      }
      expect(capped).toBeGreaterThan(0);
      if (kind === 'penalty') expect(expired).toBeGreaterThan(0);
    });
  }
});
