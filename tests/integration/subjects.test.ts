import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_NATURAL_PERSONS, DEMO_SUBJECTS } from '../../src/seed/demo-subjects.js';
import { parseSubjectCode } from '../../src/features/subjects/repository.js';
import { seedDemo } from '../../src/seed/subjects.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await seedDemo(t.deps.db, { legalPersons: 300, naturalPersons: 50 });
});
afterAll(async () => t.close());

async function find(input: string) {
  const code = parseSubjectCode(input);
  if (code.kind === 'invalid' || code.kind === 'notACode') throw new Error(`not a valid code: ${input}`);
  return t.deps.subjects.findLegalPersonByCode(code);
}

describe('legal-person library lookups', () => {
  const withLegacy = DEMO_SUBJECTS.find((s) => s.orgCode && s.regNo)!;

  it('finds a subject by its USCC, typed loosely (spaces, lower case)', async () => {
    const found = await find(`  ${withLegacy.uscc!.toLowerCase()} `);
    expect(found?.name).toBe(withLegacy.name);
  });

  it('finds the same subject by its legacy 组织机构代码 (with or without hyphen) and 工商注册号', async () => {
    const org = withLegacy.orgCode!;
    expect((await find(org))?.uscc).toBe(withLegacy.uscc);
    expect((await find(`${org.slice(0, 8)}-${org.slice(8)}`))?.uscc).toBe(withLegacy.uscc);
    expect((await find(withLegacy.regNo!))?.uscc).toBe(withLegacy.uscc);
  });

  it('has indexes on USCC and both legacy codes', async () => {
    const indexes = await t.deps.db.$queryRaw<{ indexname: string }[]>`SELECT indexname FROM pg_indexes WHERE tablename = 'legal_person'`;
    expect(indexes.map((i) => i.indexname)).toEqual(expect.arrayContaining(['legal_person_org_code_idx', 'legal_person_reg_no_idx', 'legal_person_uscc_key']));
  });

  it('answers null for a valid code nobody has, and a reason for a broken one', async () => {
    const unknown = '91410700MA44000001';
    const parsed = parseSubjectCode(unknown);
    if (parsed.kind === 'uscc') expect(await t.deps.subjects.findLegalPersonByCode(parsed)).toBeNull();
    const broken = withLegacy.uscc!.slice(0, 17) + (withLegacy.uscc!.endsWith('1') ? '2' : '1');
    const bad = parseSubjectCode(broken);
    expect(bad.kind).toBe('invalid');
    if (bad.kind === 'invalid') expect(bad.reason).toMatch(/第18位/);
    expect(parseSubjectCode('新乡').kind).toBe('notACode');
  });

  it('every seeded subject has a valid, unique USCC and a county', async () => {
    const rows = await t.deps.db.legalPerson.findMany({ select: { uscc: true, countyId: true } });
    expect(rows.length).toBeGreaterThanOrEqual(300);
    for (const r of rows) {
      if (r.uscc) expect(parseSubjectCode(r.uscc).kind, r.uscc).toBe('uscc');
      expect(r.countyId).not.toBeNull();
    }
  });
});

describe('natural-person library', () => {
  it('is keyed on document type and number together', async () => {
    const p = DEMO_NATURAL_PERSONS[0]!;
    const found = await t.deps.subjects.findNaturalPerson('residentId', p.docNumber);
    expect(found?.name).toBe(p.name);
    expect(await t.deps.subjects.findNaturalPerson('passport', p.docNumber)).toBeNull();
    await expect(t.deps.db.naturalPerson.create({ data: { docType: 'residentId', docNumber: p.docNumber, name: '重复' } })).rejects.toThrow();
    await t.deps.db.naturalPerson.create({ data: { docType: 'passport', docNumber: p.docNumber, name: '护照持有人' } });
  });
});

describe('demo seed', () => {
  it('is idempotent: a second run creates nothing', async () => {
    const again = await seedDemo(t.deps.db, { legalPersons: 300, naturalPersons: 50 });
    expect(Object.values(again.created).every((n) => n === 0)).toBe(true);
  });
});
