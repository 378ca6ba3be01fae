import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PENALTY_FIELDS } from '../../src/domain/publicity/fields.js';
import { readFirstSheet } from '../../src/platform/xlsx-reader.js';
import { createTestApp, csrfFrom, seedUsers, signIn, type TestApp } from '../helpers/app.js';
import { CJK_KEYS, cjkPenalties, cjkPenalty, penaltySheet } from '../helpers/cjk-records.js';
import { writeXlsx, type XlsxLayout } from '../helpers/xlsx-build.js';

// Real files must import correctly (issue #12): CJK text, characters outside the BMP included, goes from an XLSX
// written as Excel writes it (shared strings) or as WPS does (inline strings) through the import service into the
// database and onto the public pages byte for byte, and an export of such records re-imports as unchanged.
let t: TestApp;
let clerk: Awaited<ReturnType<typeof signIn>>;
let token: string;
let dir: string;

beforeAll(async () => {
  t = await createTestApp();
  await seedUsers(t.deps);
  clerk = await signIn(t.app, 't-clerk');
  token = csrfFrom((await clerk.get('/admin/imports/new')).text);
  dir = await mkdtemp(join(tmpdir(), 'xlsx-cjk-'));
});
afterAll(async () => {
  await t.close();
  await rm(dir, { recursive: true, force: true });
});

const finished = (id: number, seconds: number) => t.deps.imports.waitFinished(id, seconds * 1000);

async function upload(file: Buffer, name: string, seconds = 30) {
  const res = await clerk.post('/admin/imports').field('_csrf', token).field('kind', 'penalty').attach('file', file, name);
  expect(res.status, res.text.slice(0, 300)).toBe(303);
  const id = Number(/\/admin\/imports\/(\d+)$/.exec(res.headers.location ?? '')?.[1]);
  return { id, imp: await finished(id, seconds) };
}

/** Cells that differ between what the file held and what the database holds, keyed by 文书号. */
async function mismatches(prefix: string, expected: Iterable<Record<string, string>>): Promise<string[]> {
  const stored = await t.deps.db.penalty.findMany({
    where: { documentNo: { startsWith: prefix } },
    select: { documentNo: true, subjectName: true, legalRepresentative: true, violationType: true, facts: true, basis: true, content: true, remark: true },
  });
  const byNo = new Map(stored.map((s) => [s.documentNo, s as Record<string, string | null>]));
  const out: string[] = [];
  let n = 0;
  for (const e of expected) {
    n++;
    const s = byNo.get(e.documentNo!);
    if (!s) {
      out.push(`${e.documentNo}: missing`);
      continue;
    }
    for (const k of CJK_KEYS) if (s[k] !== e[k]) out.push(`${e.documentNo} ${k}: ${JSON.stringify(s[k])} ≠ ${JSON.stringify(e[k])}`);
  }
  if (stored.length !== n) out.push(`stored ${stored.length} rows, file had ${n}`);
  return out;
}

async function roundTrip(prefix: string, rows: number, layout: XlsxLayout, seconds: number) {
  const path = join(dir, `${prefix}.xlsx`);
  await writeXlsx(path, penaltySheet(cjkPenalties(prefix, rows)), layout);
  const { imp } = await upload(await readFile(path), `${prefix}.xlsx`, seconds);
  expect(imp.status, JSON.stringify(imp.errors ?? imp.message).slice(0, 500)).toBe('succeeded');
  expect(imp).toMatchObject({ format: 'xlsx', totalRows: rows, insertedRows: rows, errorRows: 0 });
  expect((await mismatches(prefix, cjkPenalties(prefix, rows))).slice(0, 10)).toEqual([]);
}

describe('XLSX with CJK text, byte for byte', () => {
  it.each(['shared', 'inline'] as const)('1,000 rows (%s strings) round-trip into the database', async (layout) => {
    await roundTrip(layout === 'shared' ? '堃表罚' : '喆表罚', 1000, layout, 60);
  });

  it('20,000 rows (Excel layout, shared strings) round-trip into the database', async () => {
    await roundTrip('𪚥万罚', 20_000, 'shared', 120);
  }, 150_000);

  it('the public detail page shows a sample of the imported text unchanged', async () => {
    for (const i of [1, 500, 1000]) {
      for (const prefix of ['堃表罚', '喆表罚']) {
        const e = cjkPenalty(prefix, i);
        const rec = await t.deps.db.penalty.findUniqueOrThrow({
          where: { authorityCode_documentNo: { authorityCode: e.authorityCode!, documentNo: e.documentNo! } },
          select: { id: true },
        });
        const page = await request(t.app).get(`/publicity/penalties/${rec.id}`);
        expect(page.status).toBe(200);
        for (const k of ['subjectName', 'facts', 'violationType', 'documentNo'] as const) expect(page.text, `${prefix} ${i} ${k}`).toContain(e[k]);
        expect(page.text).not.toContain('\ufffd');
      }
    }
  });

  it('an XLSX export of CJK records re-imports with 0 errors and 0 changes', async () => {
    const since = new Date();
    await roundTrip('䶮导出罚', 300, 'inline', 60);
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const ended = new Promise((r) => out.once('end', r));
    const exported = await t.deps.exports.xlsx('penalty', since, out);
    await ended;
    expect(exported).toBe(300);
    // Formula-like cells went out with a leading ' (csv-cell), so no spreadsheet runs them.
    const exportPath = join(dir, 'export.xlsx');
    await writeFile(exportPath, Buffer.concat(chunks));
    const remarks: string[] = [];
    for await (const row of readFirstSheet(exportPath)) {
      const c = row.cells[PENALTY_FIELDS.findIndex((f) => f.key === 'remark')];
      if (row.rowNumber > 1 && c?.t === 's') remarks.push(c.v);
    }
    expect(remarks.filter((r) => r.startsWith("'=")).length).toBe(30);
    expect(remarks.filter((r) => /^[=+\-@]/.test(r))).toEqual([]);
    const audits = await t.deps.db.auditLog.count({ where: { action: 'penalty.update' } });
    const { imp } = await upload(Buffer.concat(chunks), '导出.xlsx', 60);
    expect(imp.status, JSON.stringify(imp.errors ?? imp.message).slice(0, 500)).toBe('succeeded');
    expect(imp).toMatchObject({ totalRows: 300, insertedRows: 0, updatedRows: 0, unchangedRows: 300, errorRows: 0 });
    expect(await t.deps.db.auditLog.count({ where: { action: 'penalty.update' } })).toBe(audits);
    // The formula-like 备注 went out with a leading ' and came back without it.
    expect(await mismatches('䶮导出罚', cjkPenalties('䶮导出罚', 300))).toEqual([]);
  });
});
