/**
 * Fills a database with Xinxiang's reference data and, for demos, with accounts and subjects.
 * Every step is idempotent: a second run creates nothing and never overwrites what people changed
 * (passwords, the `active` flag of a department, subjects edited in the back office).
 */
import type { Db } from '../platform/database/client.js';
import { hashPassword } from '../platform/passwords.js';
import { DEMO_USERS } from './demo-users.js';
import { COUNTIES, DEPARTMENTS, authoritiesOf, departmentByShortName, type DepartmentRef } from '../domain/xinxiang.js';
import {
  DEMO_NATURAL_PERSONS,
  DEMO_SEED,
  DEMO_SUBJECTS,
  generateLegalPersons,
  generateNaturalPersons,
  type DemoLegalPerson,
  type DemoNaturalPerson,
} from './demo-subjects.js';
import { dateColumn } from '../domain/dates.js';
import { ensureDefaultTierRules } from '../features/publicity/tier-rule-repository.js';
import { ensureCatalogue } from './catalogue.js';

export interface ReferenceSummary {
  created: { counties: number; departments: number; authorities: number; tierRules: number; catalogueItems: number };
  /** Rows whose reference fields differed from the constants and were brought in line. */
  updated: { counties: number; departments: number };
}

export interface DemoSummary {
  created: { counties: number; departments: number; authorities: number; users: number; legalPersons: number; naturalPersons: number };
  updated: { counties: number; departments: number };
}

export interface SeedDemoOptions {
  /** Generated legal persons on top of DEMO_SUBJECTS; rows 0…n−1 of DEMO_SEED. */
  legalPersons?: number;
  naturalPersons?: number;
  log?: (line: string) => void;
}

// Well under PostgreSQL's 65 535 bind parameters per statement at 11 columns a row.
const BATCH = 1000;

/**
 * Creates missing counties and departments and corrects reference fields that drifted from the
 * constants. Compared in memory rather than upserted row by row, so that the summary can say what
 * actually changed and a re-run issues no writes at all.
 */
export async function seedReference(db: Db): Promise<ReferenceSummary> {
  const counties = await syncCounties(db);
  const countyIds = await countyIdsByCode(db);
  const departments = await syncDepartments(db, countyIds);
  const authorities = await addMissingAuthorities(db);
  // The migration writes the default tier rules; this brings them back into a table someone emptied.
  const tierRules = await ensureDefaultTierRules(db);
  // 条例 Art. 11: the catalogue of what the platform holds, and which fields of it the public may see.
  const catalogueItems = await ensureCatalogue(db);
  return {
    created: { counties: counties.created, departments: departments.created, authorities, tierRules, catalogueItems },
    updated: { counties: counties.updated, departments: departments.updated },
  };
}

async function syncCounties(db: Db): Promise<{ created: number; updated: number }> {
  const existing = new Map((await db.county.findMany()).map((c) => [c.code, c]));
  const missing = COUNTIES.filter((c) => !existing.has(c.code));
  const { count: created } = await db.county.createMany({
    data: missing.map((c) => ({ code: c.code, name: c.name, kind: c.kind, sortOrder: c.sortOrder })),
    skipDuplicates: true,
  });
  let updated = 0;
  for (const c of COUNTIES) {
    const row = existing.get(c.code);
    if (row === undefined || (row.name === c.name && row.kind === c.kind && row.sortOrder === c.sortOrder)) continue;
    await db.county.update({ where: { code: c.code }, data: { name: c.name, kind: c.kind, sortOrder: c.sortOrder } });
    updated++;
  }
  return { created, updated };
}

export async function countyIdsByCode(db: Db): Promise<Map<string, number>> {
  return new Map((await db.county.findMany({ select: { id: true, code: true } })).map((c) => [c.code, c.id]));
}

function departmentFields(d: DepartmentRef, countyIds: ReadonlyMap<string, number>) {
  const countyId = d.countyCode === null ? null : countyIds.get(d.countyCode);
  if (countyId === undefined) throw new Error(`部门“${d.name}”所属县（市、区）${d.countyCode ?? ''} 不存在`);
  return { name: d.name, shortName: d.shortName, uscc: d.uscc, level: d.level, countyId };
}

async function syncDepartments(db: Db, countyIds: ReadonlyMap<string, number>): Promise<{ created: number; updated: number }> {
  const existing = new Map((await db.department.findMany()).map((d) => [d.name, d]));
  // createMany keeps list order, and the back office lists departments by id.
  const { count: created } = await db.department.createMany({
    data: DEPARTMENTS.filter((d) => !existing.has(d.name)).map((d) => departmentFields(d, countyIds)),
    skipDuplicates: true,
  });
  let updated = 0;
  for (const d of DEPARTMENTS) {
    const row = existing.get(d.name);
    if (row === undefined) continue;
    const want = departmentFields(d, countyIds);
    if (row.shortName === want.shortName && row.uscc === want.uscc && row.level === want.level && row.countyId === want.countyId) continue;
    // `active` is deliberately left alone: deactivating a department is an administrator's decision.
    await db.department.update({ where: { id: row.id }, data: want });
    updated++;
  }
  return { created, updated };
}

/**
 * Gives each department the authorities it starts with (authoritiesOf). Only missing (department, code) pairs are
 * added: a name, alias or kind an administrator changed, or an authority they removed, stays as they left it.
 */
async function addMissingAuthorities(db: Db): Promise<number> {
  const departmentIds = new Map((await db.department.findMany({ select: { id: true, name: true } })).map((d) => [d.name, d.id]));
  const data = DEPARTMENTS.flatMap((d) =>
    authoritiesOf(d).map((a) => ({ departmentId: departmentIds.get(d.name)!, name: a.name, uscc: a.uscc, permits: a.permits, penalties: a.penalties })),
  );
  return (await db.departmentAuthority.createMany({ data, skipDuplicates: true })).count;
}

/** Seeds reference data, the demo accounts, DEMO_SUBJECTS and a few thousand generated subjects. */
export async function seedDemo(db: Db, opts: SeedDemoOptions = {}): Promise<DemoSummary> {
  const log = opts.log ?? (() => {});
  const reference = await seedReference(db);
  log(`县（市、区）新增 ${reference.created.counties} 个，部门新增 ${reference.created.departments} 个，可报送机关新增 ${reference.created.authorities} 个`);

  const users = await seedUsers(db);
  log(`演示账号新增 ${users} 个`);

  const countyIds = await countyIdsByCode(db);
  const legalPersons = await insertLegalPersons(db, countyIds, [DEMO_SUBJECTS, generateLegalPersons(opts.legalPersons ?? 2000, DEMO_SEED)]);
  log(`法人新增 ${legalPersons} 个`);
  const naturalPersons = await insertNaturalPersons(db, [DEMO_NATURAL_PERSONS, generateNaturalPersons(opts.naturalPersons ?? 500, DEMO_SEED)]);
  log(`自然人新增 ${naturalPersons} 个`);

  return {
    created: { ...reference.created, users, legalPersons, naturalPersons },
    updated: reference.updated,
  };
}

/** Creates missing demo accounts; an existing username is never touched, so a changed password survives. */
async function seedUsers(db: Db): Promise<number> {
  const taken = new Set(
    (await db.user.findMany({ where: { username: { in: DEMO_USERS.map((u) => u.username) } }, select: { username: true } })).map((u) => u.username),
  );
  const missing = DEMO_USERS.filter((u) => !taken.has(u.username));
  if (missing.length === 0) return 0;

  const departmentIds = new Map((await db.department.findMany({ select: { id: true, name: true } })).map((d) => [d.name, d.id]));
  const data = await Promise.all(
    missing.map(async (u) => {
      let departmentId: number | null = null;
      if (u.department !== null) {
        const ref = departmentByShortName(u.department);
        departmentId = (ref && departmentIds.get(ref.name)) ?? null;
        if (departmentId === null) throw new Error(`演示账号 ${u.username} 的部门“${u.department}”不存在`);
      }
      return { username: u.username, displayName: u.displayName, role: u.role, departmentId, passwordHash: await hashPassword(u.password) };
    }),
  );
  return (await db.user.createMany({ data, skipDuplicates: true })).count;
}

function* batches<T>(sources: Iterable<Iterable<T>>, size: number): Generator<T[]> {
  let batch: T[] = [];
  for (const source of sources) {
    for (const item of source) {
      batch.push(item);
      if (batch.length === size) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length > 0) yield batch;
}

/** Inserts subjects whose USCC is not yet stored; returns how many were new. */
export async function insertLegalPersons(db: Db, countyIds: ReadonlyMap<string, number>, sources: Iterable<Iterable<DemoLegalPerson>>): Promise<number> {
  let created = 0;
  for (const batch of batches(sources, BATCH)) {
    // Prisma spends a noticeable time per row preparing createMany even when every row is a duplicate
    // (docs/performance.md#imports-and-bulk-writing), so a cheap lookup first keeps a re-run fast; skipDuplicates still covers a concurrent seed.
    const stored = await db.legalPerson.findMany({ where: { uscc: { in: batch.map((p) => p.uscc) } }, select: { uscc: true } });
    const known = new Set(stored.map((p) => p.uscc));
    const fresh = batch.filter((p) => !known.has(p.uscc));
    if (fresh.length === 0) continue;
    const data = fresh.map((p) => ({
      uscc: p.uscc,
      name: p.name,
      legalRepresentative: p.legalRepresentative,
      subjectType: p.subjectType,
      status: p.status,
      address: p.address,
      establishedOn: dateColumn(p.establishedOn),
      countyId: countyIds.get(p.countyCode) ?? null,
      orgCode: p.orgCode,
      regNo: p.regNo,
    }));
    created += (await db.legalPerson.createMany({ data, skipDuplicates: true })).count;
  }
  return created;
}

/** Inserts people whose (docType, docNumber) is not yet stored; returns how many were new. */
export async function insertNaturalPersons(db: Db, sources: Iterable<Iterable<DemoNaturalPerson>>): Promise<number> {
  let created = 0;
  for (const batch of batches(sources, BATCH)) {
    const stored = await db.naturalPerson.findMany({
      where: { docType: 'residentId', docNumber: { in: batch.map((p) => p.docNumber) } },
      select: { docNumber: true },
    });
    const known = new Set(stored.map((p) => p.docNumber));
    const fresh = batch.filter((p) => !known.has(p.docNumber));
    if (fresh.length === 0) continue;
    created += (await db.naturalPerson.createMany({ data: fresh, skipDuplicates: true })).count;
  }
  return created;
}
