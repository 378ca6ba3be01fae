import { describe, expect, it } from 'vitest';
import { DEMO_NATURAL_PERSONS, DEMO_SEED, DEMO_SUBJECTS } from './demo-subjects.js';
import { generateDemoRecords } from './demo-records.js';
import { recordSchema } from '../domain/publicity/schemas.js';

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
});
