import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedUsers, type TestApp } from '../helpers/app.js';
import { rawRecord } from '../helpers/records.js';
import { csvOf } from '../helpers/imports.js';
import { penaltySchema } from '../../src/domain/publicity/schemas.js';
import { writeFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

let t: TestApp;
let clerk: Express.User;
const dir = mkdtempSync(path.join(os.tmpdir(), 'xx-prop-'));

beforeAll(async () => {
  t = await createTestApp();
  const seeded = await seedUsers(t.deps);
  clerk = { id: seeded.users.clerk.id, username: 't-clerk', displayName: 'c', role: 'clerk', departmentId: seeded.departmentId, departmentName: null };
});
afterAll(async () => t.close());

// Field damage of the kinds seen in real department spreadsheets.
const damage = fc.constantFrom<[string, string]>(
  ['uscc', '91410700174608534F'],
  ['uscc', '9.14107E+17'],
  ['decisionDate', '2026/02/30'],
  ['decisionDate', '2099/01/01'],
  ['fineAmount', '-5'],
  ['fineAmount', '1.1234567'],
  ['subjectName', ''],
  ['penaltyCategories', '打板子'],
  ['subjectCategory', '法人'],
  ['validUntil', '2020/01/01'],
  ['documentNo', ''],
);

let serial = 0;

describe('batch import properties', () => {
  it('every row reported bad is absent afterwards, the report matches the schema exactly, and a clean file is written whole', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(damage, { nil: null, freq: 2 }), { minLength: 1, maxLength: 12 }), async (plan) => {
        const batch = ++serial;
        const rows = plan.map((d, i) => rawRecord('penalty', { documentNo: `性质罚〔${batch}〕${i + 1}号`, ...(d ? { [d[0]]: d[1] } : {}) }));
        const schema = penaltySchema();
        const expectedBad = rows.map((r, i) => (schema.safeParse(r).success ? null : i + 2)).filter((n): n is number => n !== null);
        const file = path.join(dir, `b${batch}.csv`);
        writeFileSync(file, csvOf('penalty', rows));
        const { id } = await t.deps.imports.start('penalty', { path: file, originalName: 'p.csv', size: 1 }, clerk, null);
        const imp = await t.deps.imports.waitFinished(id);
        const reported = [...new Set(((imp.errors as { row: number }[] | null) ?? []).map((e) => e.row))].sort((a, b) => a - b);
        expect(reported).toEqual(expectedBad);
        const stored = await t.deps.db.penalty.count({ where: { documentNo: { startsWith: `性质罚〔${batch}〕` } } });
        if (expectedBad.length) {
          expect(imp.status).toBe('failed');
          expect(stored).toBe(0);
        } else {
          expect(imp.status).toBe('succeeded');
          expect(stored).toBe(rows.length);
        }
      }),
      { numRuns: 15 },
    );
  }, 120_000);
});
