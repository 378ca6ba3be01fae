import { describe, it, expect } from 'vitest';
import {
  DEMO_NATURAL_PERSONS,
  DEMO_SEED,
  DEMO_SUBJECTS,
  LEGAL_PERSON_CAPACITY,
  Rng,
  SCALE_FIRST_INDEX,
  generateLegalPersons,
  generateNaturalPersons,
  type DemoLegalPerson,
} from './demo-subjects.js';
import { validateIdNumber, validateOrgCode, validateRegNo, validateUscc } from '../domain/identifiers.js';
import { CITY_DEPARTMENTS, COUNTIES, COUNTY_DEPARTMENTS, DEPARTMENTS, departmentByShortName } from '../domain/xinxiang.js';
import { DEMO_USERS } from './demo-users.js';
import { passwordProblem } from '../platform/passwords.js';

// A fixed "today" keeps the birth-date rule of validateIdNumber deterministic.
const TODAY = new Date('2026-01-01T00:00:00+08:00');
const CHINESE_NAME = /^[\u4e00-\u9fff]{2,40}$/u;
const COUNTY_CODES = new Set(COUNTIES.map((c) => c.code));
const REGION_CODES = new Set(['410700', ...COUNTIES.map((c) => c.regionCode)]);

const take = <T>(it: Iterable<T>): T[] => Array.from(it);

/** Every rule a stored legal person must satisfy, for generated and hand-picked rows alike. */
function expectWellFormed(p: DemoLegalPerson): void {
  const uscc = validateUscc(p.uscc);
  if (!uscc.ok || uscc.placeholder) throw new Error(`${p.uscc}: ${uscc.ok ? 'placeholder' : uscc.reason}`);
  expect(uscc.warnings, p.uscc).toEqual([]);
  expect(REGION_CODES.has(uscc.regionCode), p.uscc).toBe(true);
  expect(p.subjectType === 'soleTrader', p.uscc).toBe(p.uscc.startsWith('92'));
  expect(COUNTY_CODES.has(p.countyCode), p.countyCode).toBe(true);
  expect(p.name, p.uscc).toMatch(CHINESE_NAME);
  expect(p.legalRepresentative).toMatch(/^[\u4e00-\u9fff]{2,3}$/u);
  expect(p.address).toMatch(/^河南省新乡市/);
  expect(p.establishedOn >= '1995-01-01' && p.establishedOn <= '2025-12-31', p.establishedOn).toBe(true);
  expect(Number.isNaN(Date.parse(p.establishedOn))).toBe(false);
  if (p.orgCode !== null) {
    expect(validateOrgCode(p.orgCode)).toMatchObject({ ok: true });
    expect(p.orgCode).toBe(p.uscc.slice(8, 17));
  }
  if (p.regNo !== null) {
    expect(validateRegNo(p.regNo)).toEqual({ ok: true, value: p.regNo, warnings: [] });
    expect(p.regNo.startsWith('4107')).toBe(true);
  }
}

describe('generateLegalPersons', () => {
  it('is deterministic: same seed, same rows; another seed, other rows', () => {
    const a = take(generateLegalPersons(300, 7));
    expect(take(generateLegalPersons(300, 7))).toEqual(a);
    const b = take(generateLegalPersons(300, 8));
    expect(b.filter((p, i) => p.uscc === a[i]?.uscc)).toEqual([]);
  });

  it('makes row i depend only on (seed, i), so a run can start anywhere', () => {
    const all = take(generateLegalPersons(50, DEMO_SEED));
    expect(take(generateLegalPersons(20, DEMO_SEED, { firstIndex: 30 }))).toEqual(all.slice(30));
  });

  const rows = take(generateLegalPersons(20_000, DEMO_SEED));

  it('produces only valid, unique codes and Chinese names', () => {
    for (const p of rows) expectWellFormed(p);
    expect(new Set(rows.map((p) => p.uscc)).size).toBe(rows.length);
    const regNos = rows.flatMap((p) => (p.regNo === null ? [] : [p.regNo]));
    expect(new Set(regNos).size).toBe(regNos.length);
  });

  it('has a plausible mix of subjects, statuses and legacy identifiers', () => {
    const share = (f: (p: DemoLegalPerson) => boolean) => rows.filter(f).length / rows.length;
    expect(share((p) => p.subjectType === 'soleTrader')).toBeGreaterThan(0.3);
    expect(share((p) => p.status === 'active')).toBeGreaterThan(0.8);
    expect(share((p) => p.orgCode !== null)).toBeGreaterThan(0.2);
    expect(share((p) => p.orgCode !== null)).toBeLessThan(0.4);
    expect(share((p) => p.regNo !== null)).toBeGreaterThan(0.2);
    expect(share((p) => p.regNo !== null)).toBeLessThan(0.4);
    for (const prefix of ['91', '92', '93', '51', '52', '12', 'N2'])
      expect(
        rows.some((p) => p.uscc.startsWith(prefix)),
        prefix,
      ).toBe(true);
    expect(new Set(rows.map((p) => p.countyCode)).size).toBe(COUNTIES.length);
    // Bodies created after the USCC reform never had a separate organisation code.
    expect(rows.filter((p) => p.orgCode !== null && p.establishedOn >= '2015-10-01')).toEqual([]);
  });

  it('keeps the scale range apart from the demo range', () => {
    const scale = take(generateLegalPersons(2_000, DEMO_SEED, { firstIndex: SCALE_FIRST_INDEX }));
    const demo = new Set(rows.map((p) => p.uscc));
    expect(scale.filter((p) => demo.has(p.uscc))).toEqual([]);
  });

  it('refuses ranges it cannot keep unique', () => {
    expect(() => generateLegalPersons(2, DEMO_SEED, { firstIndex: LEGAL_PERSON_CAPACITY - 1 }).next()).toThrow(RangeError);
    expect(() => generateLegalPersons(-1).next()).toThrow(RangeError);
  });
});

describe('generateNaturalPersons', () => {
  const people = take(generateNaturalPersons(20_000, DEMO_SEED));

  it('is deterministic', () => {
    expect(take(generateNaturalPersons(200, DEMO_SEED))).toEqual(people.slice(0, 200));
    expect(take(generateNaturalPersons(10, DEMO_SEED, { firstIndex: 100 }))).toEqual(people.slice(100, 110));
  });

  it('produces valid, unique Xinxiang ID numbers of people born 1950–2005, with Chinese names', () => {
    for (const p of people) {
      const r = validateIdNumber(p.docNumber, { today: TODAY });
      if (!r.ok) throw new Error(`${p.docNumber}: ${r.reason}`);
      expect(r.legacy15).toBe(false);
      expect(r.regionCode.startsWith('4107')).toBe(true);
      expect(r.birthDate >= '1950-01-01' && r.birthDate <= '2005-12-31').toBe(true);
      expect(p.name).toMatch(/^[\u4e00-\u9fff]{2,3}$/u);
    }
    expect(new Set(people.map((p) => p.docNumber)).size).toBe(people.length);
  });
});

describe('hand-picked demo data', () => {
  it('has valid, distinct subjects', () => {
    for (const p of DEMO_SUBJECTS) expectWellFormed(p);
    expect(new Set(DEMO_SUBJECTS.map((p) => p.uscc)).size).toBe(DEMO_SUBJECTS.length);
  });

  it('has valid natural persons', () => {
    for (const p of DEMO_NATURAL_PERSONS) expect(validateIdNumber(p.docNumber, { today: TODAY })).toMatchObject({ ok: true, legacy15: false });
  });
});

describe('Xinxiang reference data', () => {
  it('lists the 15 areas with unique 6-digit codes and names', () => {
    expect(COUNTIES).toHaveLength(15);
    expect(new Set(COUNTIES.map((c) => c.code)).size).toBe(15);
    expect(new Set(COUNTIES.map((c) => c.name)).size).toBe(15);
    for (const c of COUNTIES) {
      expect(c.code).toMatch(/^4107\d\d$/);
      expect(COUNTY_CODES.has(c.regionCode) && c.regionCode !== '' && !c.regionCode.startsWith('41077')).toBe(true);
    }
    expect(COUNTIES.filter((c) => c.kind === 'zone')).toHaveLength(3);
  });

  it('gives every department a unique, fully valid 机关 USCC and fits the columns', () => {
    expect(CITY_DEPARTMENTS.length).toBeGreaterThanOrEqual(45);
    expect(COUNTY_DEPARTMENTS.length).toBeGreaterThan(0);
    expect(new Set(DEPARTMENTS.map((d) => d.uscc)).size).toBe(DEPARTMENTS.length);
    expect(new Set(DEPARTMENTS.map((d) => d.name)).size).toBe(DEPARTMENTS.length);
    expect(new Set(DEPARTMENTS.map((d) => d.shortName)).size).toBe(DEPARTMENTS.length);
    for (const d of DEPARTMENTS) {
      expect(validateUscc(d.uscc)).toMatchObject({ ok: true, department: '1', category: '1', warnings: [] });
      expect(d.name.length).toBeLessThanOrEqual(64);
      expect(d.shortName.length).toBeLessThanOrEqual(32);
      expect(d.countyCode === null).toBe(d.level === 'city');
      if (d.level === 'city') expect(d.uscc.slice(2, 8)).toBe('410700');
    }
  });

  it('has demo users with acceptable passwords and existing departments', () => {
    for (const u of DEMO_USERS) {
      expect(passwordProblem(u.password), u.username).toBeNull();
      if (u.department !== null) expect(departmentByShortName(u.department), u.department).toBeDefined();
    }
  });

  it('offers a deterministic PRNG', () => {
    const a = new Rng(1);
    const b = new Rng(1);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });
});
