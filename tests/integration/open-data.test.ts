import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv } from 'ajv';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedUsers, sessionUser, type TestApp } from '../helpers/app.js';
import { COMPANY_USCC, rawRecord } from '../helpers/records.js';
import { recordSchema } from '../../src/domain/publicity/schemas.js';
import { addDays, beijingToday, dateColumn } from '../../src/domain/dates.js';
import { usccCheckChar } from '../../src/domain/identifiers.js';
import { createApp } from '../../src/app.js';
import { PublicFields } from '../../src/features/catalogue/service.js';
import { OpenDataRepository } from '../../src/features/open-data/repository.js';
import { MANIFEST, OpenDataService, type Manifest } from '../../src/features/open-data/service.js';
import { restoreCell } from '../../src/platform/csv-cell.js';
import type { RecordKind } from '../../src/domain/publicity/fields.js';

/**
 * The open-data files and the public read API (issue #17) against a real database: what they hold is what the public
 * pages show, masked the same way; the files are whole or absent; old days go; no URL reaches another file.
 */

let t: TestApp;
let seeded: Awaited<ReturnType<typeof seedUsers>>;
let today: string;
let manifest: Manifest;
const ids: Record<string, number> = {};

const NAME = '新乡市开放数据样本食品有限公司';
const ID_NUMBER = '410702198503151235';
const MASKED = '410702********1235';
const WITHDRAWN_DOC = '新市监罚〔2026〕开放撤回1号';
const REVOKED_DOC = '新市监罚〔2026〕开放撤销1号';
const REP_ID = '410702197001011238';

async function save(kind: RecordKind, over: Record<string, string>): Promise<number> {
  const saved = await t.deps.publicity.saveOne(kind, recordSchema(kind).parse(rawRecord(kind, over)), sessionUser(seeded), null);
  if (!saved.ok) throw new Error(JSON.stringify(saved));
  return saved.id;
}

/** A CSV file as rows of cells (BOM checked and removed, formula quotes restored). */
function csvRows(buf: Buffer): string[][] {
  expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const rows = parse(buf.subarray(3).toString('utf8'), { relax_column_count: false }) as string[][];
  return rows.map((r) => r.map(restoreCell));
}

const dayDir = (date: string) => path.join(t.deps.openData.dir, date);
const fileOf = (date: string, name: string) => readFile(path.join(dayDir(date), name));

beforeAll(async () => {
  t = await createTestApp();
  seeded = await seedUsers(t.deps);
  today = beijingToday();
  const company = await t.deps.db.legalPerson.create({ data: { uscc: COMPANY_USCC, name: NAME, subjectType: 'organisation', legalRepresentative: '王开放' } });
  ids.permit = await save('permit', { subjectName: NAME, content: '=HYPERLINK("http://x")' });
  ids.penalty = await save('penalty', { subjectName: NAME, legalRepDocType: '身份证', legalRepDocNumber: REP_ID });
  // A natural person's penalty that is public (a fine of 5 万元 is not 轻微).
  ids.person = await save('penalty', {
    subjectCategory: '自然人',
    uscc: '',
    legalRepresentative: '',
    subjectName: '张开放',
    docType: '身份证',
    docNumber: ID_NUMBER,
    penaltyCategories: '罚款',
    fineAmount: '5',
    content: '罚款人民币 5 万元',
  });
  ids.withdrawn = await save('penalty', { subjectName: NAME, documentNo: WITHDRAWN_DOC });
  await t.deps.publicity.withdraw('penalty', ids.withdrawn, '录入错误', sessionUser(seeded), null);
  ids.revoked = await save('penalty', { subjectName: NAME, documentNo: REVOKED_DOC });
  await t.deps.publicity.revoke(
    'penalty',
    ids.revoked,
    { revokedOn: today, docNo: '新市监撤〔2026〕1号', reason: '复议撤销', knownOn: today },
    sessionUser(seeded),
    null,
  );

  // A black-list entry in force and one that has exited, in a published issue; a public commitment of a natural person.
  const issue = await t.deps.db.listIssue.create({ data: { year: 2025, quarter: 4, serialNo: 71, title: '开放数据样本第71期', publishedAt: new Date() } });
  const entry = async (exited: boolean, n: number) => {
    const base = {
      listType: 'black' as const,
      subjectCategory: 'legal' as const,
      subjectName: NAME,
      uscc: COMPANY_USCC,
      legalPersonId: company.id,
      basisDocNo: `新信办黑〔2025〕开放${n}号`,
      basisAuthority: '新乡市中级人民法院',
      basisDate: dateColumn('2025-06-01'),
      reason: '拒不履行法院判决',
      validUntil: dateColumn('2099-12-31'),
    };
    const nom = await t.deps.db.listNomination.create({
      data: { ...base, status: 'listed', departmentId: seeded.departmentId, createdById: seeded.users.clerk.id },
    });
    await t.deps.db.listEntry.create({
      data: {
        ...base,
        issueId: issue.id,
        nominationId: nom.id,
        department: '新乡市中级人民法院',
        ...(exited ? { exitedAt: new Date(), exitReason: '已履行判决' } : {}),
      },
    });
  };
  await entry(false, 1);
  await entry(true, 2);
  await t.deps.db.commitment.create({
    data: {
      code: '41070020250601000071',
      promisorName: '李开放',
      promisorCategory: 'natural',
      promisorCode: ID_NUMBER,
      commitmentType: '主动型',
      matter: '开放数据样本承诺',
      content: '依法诚信经营',
      liability: '自愿接受失信惩戒',
      madeOn: dateColumn('2025-06-01'),
      disclosure: '可向社会公开',
      departmentId: seeded.departmentId,
      createdById: seeded.users.clerk.id,
    },
  });

  // An objection being handled on the company's penalty: the files mark it as the pages do.
  await t.deps.db.objection.create({
    data: {
      caseNo: 'YY20261203OPENDATA01',
      penaltyId: ids.penalty,
      departmentId: seeded.departmentId,
      subjectName: NAME,
      subjectCode: COMPANY_USCC,
      applicantName: '王开放',
      phone: '13800000000',
      reason: '金额有误',
      acceptBy: dateColumn(addDays(today, 3)),
    },
  });

  const run = await t.deps.openData.publish();
  expect(run).toMatchObject({ date: today, written: true });
  manifest = JSON.parse(await readFile(path.join(dayDir(today), MANIFEST), 'utf8')) as Manifest;
});

afterAll(async () => {
  await t?.close();
});

describe('the daily open-data files', () => {
  it('hold exactly the public records, with counts, bytes and SHA-256 as the manifest says', async () => {
    const permitTotal = await t.deps.publicityRepo.publicCount('permit', today);
    t.deps.publicityRepo.forgetCounts();
    const penaltyTotal = await t.deps.publicityRepo.publicCount('penalty', today);
    const lists = await t.deps.listRepo.inForceCounts();
    const commitments = await t.deps.commitmentRepo.publicPage({ q: '' }, 1, 100);
    expect(penaltyTotal).toBe(2);
    const expected: Record<string, number> = {
      permits: permitTotal,
      penalties: penaltyTotal,
      'list-entries': lists.red + lists.black,
      'list-exits': 1,
      commitments: commitments.total,
    };
    expect(manifest.files.map((f) => f.name).sort()).toEqual(
      Object.keys(expected)
        .flatMap((d) => [`${d}.csv`, `${d}.jsonl`])
        .sort(),
    );
    for (const f of manifest.files) {
      const buf = await fileOf(today, f.name);
      expect(f.bytes, f.name).toBe(buf.length);
      expect(f.sha256, f.name).toBe(createHash('sha256').update(buf).digest('hex'));
      const rows = f.format === 'csv' ? csvRows(buf).length - 1 : buf.toString('utf8').trimEnd().split('\n').length;
      expect(rows, f.name).toBe(expected[f.dataset]);
      expect(f.rows, f.name).toBe(expected[f.dataset]);
    }
    // The feed cursor taken before the first read: never past the feed's cursor now.
    expect(manifest.feedCursor).toMatch(/^\d+$/);
    expect(BigInt(manifest.feedCursor!)).toBeLessThanOrEqual(BigInt(await t.deps.publication.currentCursor()));
    expect(manifest.licence.terms.join('')).toContain('1 个工作日');
  });

  it('carry the 2019 field codes with their labels, the masked ID number, and nothing private, withdrawn or revoked', async () => {
    const [header, ...rows] = csvRows(await fileOf(today, 'penalties.csv'));
    const schema = manifest.datasets.find((d) => d.name === 'penalties')!;
    expect(header).toEqual(schema.columns.map((c) => c.code));
    expect(schema.columns.find((c) => c.code === 'CF_WSH')?.label).toBe('行政处罚决定书文号');
    expect(header).not.toContain('CF_FR_ZJHM');
    expect(header).not.toContain('CF_FR_ZJLX');
    const at = (row: string[], code: string) => row[header!.indexOf(code)];
    const person = rows.find((r) => at(r, 'ID') === String(ids.person))!;
    expect(at(person, 'CF_XDR_ZJHM')).toBe(MASKED);
    expect(at(person, 'CF_XDR_MC')).toBe('张开放');
    expect(rows.map((r) => at(r, 'ID')).sort()).toEqual([String(ids.penalty), String(ids.person)].sort());
    expect(
      at(
        rows.find((r) => at(r, 'ID') === String(ids.penalty))!,
        'GS_YYZT',
      ),
    ).toBe('异议处理中');
    expect(at(person, 'GS_YYZT')).toBe('');

    const jsonl = (await fileOf(today, 'penalties.jsonl'))
      .toString('utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, string>);
    expect(jsonl.find((r) => r.ID === String(ids.person))?.CF_XDR_ZJHM).toBe(MASKED);

    // A formula-looking cell is neutralised in the CSV and left as it is in JSON Lines.
    const permitCsv = (await fileOf(today, 'permits.csv')).toString('utf8');
    expect(permitCsv).toContain(`'=HYPERLINK`);

    for (const name of await readdir(dayDir(today))) {
      const text = (await fileOf(today, name)).toString('utf8');
      for (const secret of [ID_NUMBER, REP_ID, WITHDRAWN_DOC, REVOKED_DOC]) expect(text, `${secret} in ${name}`).not.toContain(secret);
    }
    const commitments = (await fileOf(today, 'commitments.jsonl')).toString('utf8');
    expect(commitments).toContain(MASKED);
    const exits = csvRows(await fileOf(today, 'list-exits.csv'));
    expect(exits[1]![exits[0]!.indexOf('MD_TCYY')]).toBe('已履行判决');
  });

  it('leave out a field, or a whole item, that the catalogue does not mark 社会公开', async () => {
    const dir = path.join(t.deps.uploadDir, 'open-data-hidden');
    const shown = new PublicFields(
      new Map([
        ['XZCF/CF_WSH', 'government'],
        ['XYCN', 'authorised'],
      ]),
    );
    const service = new OpenDataService(new OpenDataRepository(t.deps.bulkDb), () => Promise.resolve(shown), dir);
    await service.publish();
    const m = (await service.manifest(today))!;
    const [header, ...rows] = csvRows(await readFile(path.join(dir, today, 'penalties.csv')));
    expect(header).not.toContain('CF_WSH');
    expect(rows).toHaveLength(2);
    const text = (await readFile(path.join(dir, today, 'penalties.jsonl'))).toString('utf8');
    expect(text).not.toContain('CF_WSH');
    expect(text).not.toContain('新市监罚〔2026〕');
    expect(m.datasets.find((d) => d.name === 'penalties')!.columns.map((c) => c.code)).not.toContain('CF_WSH');
    expect(m.files.some((f) => f.dataset === 'commitments')).toBe(false);
  });

  it('are written once a day, and days past 30 and dead runs are removed', async () => {
    const again = await t.deps.openData.publish();
    expect(again.written).toBe(false);
    expect((await t.deps.openData.manifest(today))!.generatedAt).toBe(manifest.generatedAt);

    const root = t.deps.openData.dir;
    const kept = addDays(today, -29);
    const gone = addDays(today, -31);
    for (const d of [kept, gone]) {
      await mkdir(dayDir(d));
      await writeFile(path.join(dayDir(d), MANIFEST), JSON.stringify({ ...manifest, date: d }));
    }
    // What a run killed hours ago leaves behind: a staging folder with a file and no manifest.
    const dead = path.join(root, `.staging-${addDays(today, -1)}-dead`);
    await mkdir(dead);
    await writeFile(path.join(dead, 'penalties.csv'), 'x');
    const hoursAgo = new Date(Date.now() - 3 * 3_600_000);
    await utimes(dead, hoursAgo, hoursAgo);
    expect((await t.deps.openData.days()).map((m) => m.date)).toEqual([today, kept, gone]);

    const run = await t.deps.openData.publish();
    expect(run.removed).toEqual([gone]);
    expect((await readdir(root)).sort()).toEqual([kept, today].sort());
  });

  it('a run that dies halfway publishes nothing, and the next run publishes the whole day', async () => {
    const dir = path.join(t.deps.uploadDir, 'open-data-killed');
    const repo = new OpenDataRepository(t.deps.bulkDb);
    const failing = Object.create(repo) as OpenDataRepository;
    failing.listEntries = async function* () {
      yield* [];
      throw new Error('connection lost halfway');
    };
    const dying = new OpenDataService(failing, () => t.deps.catalogue.publicFields(), dir);
    await expect(dying.publish()).rejects.toThrow('connection lost halfway');
    expect(await dying.manifest(today)).toBeNull();
    expect(await dying.days()).toEqual([]);
    // Nothing of the day is visible: no day folder, and the staging folder went with the failure.
    expect(await readdir(dir)).toEqual([]);

    const healthy = new OpenDataService(repo, () => t.deps.catalogue.publicFields(), dir);
    expect((await healthy.publish()).written).toBe(true);
    expect((await healthy.manifest(today))!.files).toHaveLength(10);
  });
});

describe('/open-data pages', () => {
  it('list the day, its files and the licence, and download a CSV as an attachment', async () => {
    const page = await request(t.app).get('/open-data');
    expect(page.status).toBe(200);
    expect(page.text).toContain(`/open-data/${today}/penalties.csv`);
    expect(page.text).toContain(manifest.files[0]!.sha256);
    expect(page.text).toContain('信用新乡公共信用信息开放数据使用协议');
    const csv = await request(t.app).get(`/open-data/${today}/penalties.csv`).buffer(true);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename=/);
    const jsonl = await request(t.app).get(`/open-data/${today}/penalties.jsonl`).buffer(true);
    expect(jsonl.headers['content-type']).toBe('application/jsonl; charset=utf-8');
    const m = await request(t.app).get(`/open-data/${today}/manifest.json`);
    expect(m.status).toBe(200);
    expect(m.body.date).toBe(today);
  });

  it('answer 400 for a malformed day, 404 for a missing file, and never leave the day folder', async () => {
    for (const bad of ['2026-13-45', 'abc', '2026-02-30', '..', '%2e%2e']) {
      const res = await request(t.app).get(`/open-data/${bad}/penalties.csv`);
      expect(res.status, bad).toBe(400);
      expect(res.text).toContain('日期');
    }
    const missing = [
      `/open-data/${today}/nothing.csv`,
      `/open-data/${addDays(today, -400)}/penalties.csv`,
      `/open-data/${today}/..%2F..%2F..%2Fetc%2Fpasswd`,
      `/open-data/${today}/%2e%2e%2f${addDays(today, -29)}%2fmanifest.json`,
      `/open-data/${today}/..%5Cmanifest.json`,
      `/open-data/${today}/.%2Fpenalties.csv`,
    ];
    for (const url of missing) {
      const res = await request(t.app).get(url);
      expect(res.status, url).toBe(404);
      expect(res.text).not.toContain('root:');
    }
    expect((await request(t.app).get(`/open-data/${today}/../../etc/passwd`)).status).toBe(404);
  });
});

describe('the public read API', () => {
  it('answers a subject as its page does, without a key', async () => {
    const res = await request(t.app).get(`/api/v1/public/subjects/${COMPANY_USCC}`);
    expect(res.status).toBe(200);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.body).toMatchObject({ uscc: COMPANY_USCC, name: NAME, legalRepresentative: '王开放' });
    const penalties = (res.body.sections as { key: string; records: { id: number }[] }[]).find((s) => s.key === 'penalties')!;
    expect(penalties.records.map((r) => r.id).sort()).toEqual([ids.penalty].sort());
    expect(JSON.stringify(res.body)).not.toContain(REP_ID);
  });

  it('answers a record as its page does: masked, no private field; 404 withdrawn, 410 revoked', async () => {
    const person = await request(t.app).get(`/api/v1/public/records/penalties/${ids.person}`);
    expect(person.status).toBe(200);
    expect(person.body.uscc).toBeNull();
    const fields = person.body.fields as { code: string; value: string }[];
    expect(fields.find((f) => f.code === 'CF_XDR_ZJHM')?.value).toBe(MASKED);
    expect(JSON.stringify(person.body)).not.toContain(ID_NUMBER);
    const legal = await request(t.app).get(`/api/v1/public/records/penalties/${ids.penalty}`);
    expect(legal.status).toBe(200);
    expect(JSON.stringify(legal.body)).not.toContain(REP_ID);
    expect((legal.body.fields as { code: string }[]).map((f) => f.code)).not.toContain('CF_FR_ZJHM');
    expect((await request(t.app).get(`/api/v1/public/records/permits/${ids.permit}`)).status).toBe(200);
    expect((await request(t.app).get(`/api/v1/public/records/penalties/${ids.withdrawn}`)).status).toBe(404);
    const revoked = await request(t.app).get(`/api/v1/public/records/penalties/${ids.revoked}`);
    expect(revoked.status).toBe(410);
    expect(revoked.body.error).toContain('撤销');
  });

  it('answers bad input with 400 and a Chinese reason, unknown subjects with 404', async () => {
    const bad = await request(t.app).get('/api/v1/public/subjects/91410700174608534X');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('统一社会信用代码无效');
    expect((await request(t.app).get('/api/v1/public/subjects/abc')).status).toBe(400);
    const unknown = `91410700MA44C1P05${usccCheckChar('91410700MA44C1P05')}`;
    const none = await request(t.app).get(`/api/v1/public/subjects/${unknown}`);
    expect(none.status).toBe(404);
    expect(none.body.error).toContain(unknown);
    for (const url of [
      '/api/v1/public/records/people/1',
      '/api/v1/public/records/penalties/0',
      '/api/v1/public/records/penalties/9999999999',
      '/api/v1/public/records/penalties/1e3',
    ]) {
      const res = await request(t.app).get(url);
      expect(res.status, url).toBe(400);
      expect(res.body.reason).toMatch(/[\u4e00-\u9fff]/);
    }
    expect((await request(t.app).get('/api/v1/public/records/penalties/2147483647')).status).toBe(404);
  });

  it('limits calls per IP', async () => {
    // Counters live in PostgreSQL and are shared by every app on the database: start this IP's budget afresh.
    await t.deps.db.rateLimit.deleteMany({ where: { key: { startsWith: 'public-api:' } } });
    const app = createApp(t.deps, { env: 'test', sessionSecret: 'test-secret-test-secret-test-secret-0123', publicApiLimit: { windowMs: 60_000, limit: 2 } });
    const url = `/api/v1/public/records/penalties/${ids.penalty}`;
    expect((await request(app).get(url)).status).toBe(200);
    expect((await request(app).get(url)).status).toBe(200);
    const third = await request(app).get(url);
    expect(third.status).toBe(429);
    expect(third.body.error).toContain('频繁');
    expect(third.headers['retry-after']).toBe('60');
  });

  it('is described by the served OpenAPI document, which validates, and every answer matches its schema', async () => {
    const served = await request(t.app).get('/api/v1/openapi.json');
    expect(served.status).toBe(200);
    type Doc = { paths: Record<string, { get: { responses: Record<string, { content: { 'application/json': { schema: object } } }> } }> };
    const api = (await SwaggerParser.validate(served.body as never)) as unknown as Doc;
    // OpenAPI 3.0 schemas are JSON Schema with `nullable`, which Ajv knows; the two formats used are checked by shape.
    const ajv = new Ajv({ strict: false });
    ajv.addFormat('date', /^\d{4}-\d{2}-\d{2}$/);
    ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T/);
    const calls: [string, string, string][] = [
      ['/public/subjects/{code}', `/api/v1/public/subjects/${COMPANY_USCC}`, '200'],
      ['/public/subjects/{code}', '/api/v1/public/subjects/abc', '400'],
      ['/public/records/{kind}/{id}', `/api/v1/public/records/penalties/${ids.person}`, '200'],
      ['/public/records/{kind}/{id}', `/api/v1/public/records/permits/${ids.permit}`, '200'],
      ['/public/records/{kind}/{id}', `/api/v1/public/records/penalties/${ids.withdrawn}`, '404'],
      ['/public/records/{kind}/{id}', `/api/v1/public/records/penalties/${ids.revoked}`, '410'],
    ];
    for (const [path, url, status] of calls) {
      const res = await request(t.app).get(url);
      expect(String(res.status), url).toBe(status);
      const validate = ajv.compile(api.paths[path]!.get.responses[status]!.content['application/json'].schema);
      expect(validate(res.body), `${url}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    }
    // The check can fail: an answer missing a required property is refused.
    const record = ajv.compile(api.paths['/public/records/{kind}/{id}']!.get.responses['200']!.content['application/json'].schema);
    expect(record({ kind: 'penalty', id: 1 })).toBe(false);
  });
});
