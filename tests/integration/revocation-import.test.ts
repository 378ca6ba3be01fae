import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binary, createTestApp, csrfFrom, seedUsers, sessionUser, signIn, type TestApp } from '../helpers/app.js';
import { COMPANY_USCC, rawRecord } from '../helpers/records.js';
import { csvOf, importFinished } from '../helpers/imports.js';
import { penaltySchema, recordSchema } from '../../src/domain/publicity/schemas.js';
import { addDays, beijingToday, isoDay } from '../../src/domain/dates.js';
import { revocationDue } from '../../src/domain/objection-deadlines.js';
import type { RecordKind } from '../../src/domain/publicity/fields.js';

/**
 * 条例 Art. 42 through the doors other than the 登记撤销 form: a batch row whose template state says the decision no
 * longer stands revokes the stored record with the same 1-working-day tracking, and the open export carries every
 * revocation as a notice (已停止公示 / 撤销; a permit's 当前状态 无效). The due date is whatever the calendar says for
 * the import's Beijing day, so the test holds on any day at any hour.
 */

let t: TestApp;
let seeded: Awaited<ReturnType<typeof seedUsers>>;

beforeAll(async () => {
  t = await createTestApp();
  seeded = await seedUsers(t.deps);
});
afterAll(async () => t.close());

async function importCsv(kind: RecordKind, text: string, name = `${kind}.csv`) {
  const clerk = await signIn(t.app, 't-clerk');
  const token = csrfFrom((await clerk.get('/admin/imports/new')).text);
  const res = await clerk.post('/admin/imports').field('_csrf', token).field('kind', kind).attach('file', Buffer.from(text), name);
  const id = Number(/(\d+)$/.exec(res.headers.location ?? '')?.[1]);
  return { id, result: await importFinished(t.deps, id) };
}

async function exported(kind: RecordKind): Promise<{ header: string[]; rows: string[][] }> {
  const reviewer = await signIn(t.app, 't-reviewer');
  const since = addDays(beijingToday(), -1);
  const body = ((await binary(reviewer.get(`/admin/exports?kind=${kind}&since=${since}&format=csv`))).body as Buffer).toString('utf8');
  const lines = body
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .filter(Boolean);
  // No cell of these records holds a comma, quote or line break.
  return { header: lines[0]!.split(','), rows: lines.slice(1).map((l) => l.split(',')) };
}

describe('a batch row that says the decision was revoked', () => {
  it('revokes a stored permit (当前状态 无效) like 登记撤销, and a resent file is no error', async () => {
    const kept = rawRecord('permit');
    const row = rawRecord('permit');
    const first = await importCsv('permit', csvOf('permit', [kept, row]));
    expect(first.result.status).toBe('succeeded');
    const stored = await t.deps.db.permit.findUniqueOrThrow({
      where: { authorityCode_documentNo: { authorityCode: row.authorityCode!, documentNo: row.documentNo! } },
    });
    expect((await request(t.app).get(`/publicity/permits/${stored.id}`)).status).toBe(200);

    const today = beijingToday();
    const second = await importCsv('permit', csvOf('permit', [kept, { ...row, permitState: '无效' }]));
    expect(second.result.status).toBe('succeeded');
    const rec = await t.deps.db.permit.findUniqueOrThrow({ where: { id: stored.id } });
    expect(rec.withdrawnAt).not.toBeNull();
    expect(rec.isPublic).toBe(false);
    expect(rec.withdrawReason).toContain(`批量导入第 ${second.id} 号`);
    expect(isoDay(rec.revokedOn!)).toBe(today);
    expect(isoDay(rec.revocationKnownOn!)).toBe(today);
    expect(isoDay(rec.revocationDueBy!)).toBe(revocationDue(today, t.deps.publicity.calendar));
    // The other row of the file is an ordinary record, still public.
    const other = await t.deps.db.permit.findUniqueOrThrow({
      where: { authorityCode_documentNo: { authorityCode: kept.authorityCode!, documentNo: kept.documentNo! } },
    });
    expect(other).toMatchObject({ withdrawnAt: null, revokedOn: null });

    // The import's result page says so.
    const clerk = await signIn(t.app, 't-clerk');
    expect((await clerk.get(`/admin/imports/${second.id}`)).text).toMatch(/data-qa="import-revoked">1 条记录/);
    expect((await clerk.get(`/admin/imports/${first.id}`)).text).not.toContain('import-revoked');
    const detail = await request(t.app).get(`/publicity/permits/${stored.id}`);
    expect(detail.status).toBe(410);
    const audit = await t.deps.db.auditLog.findMany({ where: { action: 'permit.revoke', targetId: String(stored.id) } });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.detail).toMatchObject({ importId: second.id });
    // The revocation report lists it with its due date.
    const reviewer = await signIn(t.app, 't-reviewer');
    expect((await reviewer.get('/admin/revocations')).text).toContain(row.documentNo!);

    // Departments resend whole tables: the revoked row again is left as it is, not refused as a withdrawn record.
    const third = await importCsv('permit', csvOf('permit', [kept, { ...row, permitState: '无效' }]));
    expect(third.result.status).toBe('succeeded');
    expect(await t.deps.db.auditLog.count({ where: { action: 'permit.revoke', targetId: String(stored.id) } })).toBe(1);

    // The open export carries it as a notice in the template's own state column, which reads back as a revocation.
    const { header, rows } = await exported('permit');
    const line = rows.find((r) => r.includes(row.documentNo!));
    expect(line?.[header.indexOf('XK_ZT')]).toBe('无效');
    expect(rows.find((r) => r.includes(kept.documentNo!))?.[header.indexOf('XK_ZT')]).toBe('有效');
  });

  it('revokes a penalty whose 2015-shape row says 当前状态 撤销', async () => {
    const saved = await t.deps.publicity.saveOne('penalty', recordSchema('penalty').parse(rawRecord('penalty')), sessionUser(seeded), null);
    if (!saved.ok) throw new Error('could not create the penalty');
    const rec = await t.deps.db.penalty.findUniqueOrThrow({ where: { id: saved.id } });
    const header = [
      '行政处罚决定书文号',
      '处罚名称',
      '处罚类别1',
      '处罚事由',
      '处罚依据',
      '行政相对人名称',
      '统一社会信用代码',
      '法定代表人姓名',
      '处罚结果',
      '处罚决定日期',
      '处罚机关',
      '当前状态',
    ];
    const line = [
      rec.documentNo,
      '销售过期食品',
      '警告',
      '当事人销售超过保质期的食品',
      '《中华人民共和国食品安全法》第一百二十四条',
      rec.subjectName,
      COMPANY_USCC,
      '王建国',
      '警告',
      isoDay(rec.decisionDate).replace(/-/g, '/'),
      '新乡市市场监督管理局',
      '撤销',
    ];
    const imp = await importCsv('penalty', `${header.join(',')}\r\n${line.join(',')}\r\n`, 'old.csv');
    expect(imp.result.status).toBe('succeeded');
    const after = await t.deps.db.penalty.findUniqueOrThrow({ where: { id: saved.id } });
    expect(after).toMatchObject({ isPublic: false });
    expect(after.revokedOn).not.toBeNull();
    expect((await request(t.app).get(`/publicity/penalties/${saved.id}`)).status).toBe(410);
  });

  it('a 2015 penalty row with 当前状态 正常 is an ordinary record', () => {
    const parsed = penaltySchema().parse({ ...rawRecord('penalty'), decisionState: '有效' });
    expect(parsed.decisionRevoked).toBeUndefined();
  });
});

describe('the open export carries revocations as a notice', () => {
  it('a penalty revoked on its page goes out as 已停止公示 / 撤销', async () => {
    const saved = await t.deps.publicity.saveOne('penalty', recordSchema('penalty').parse(rawRecord('penalty')), sessionUser(seeded), null);
    if (!saved.ok) throw new Error('could not create the penalty');
    const { documentNo } = await t.deps.db.penalty.findUniqueOrThrow({ where: { id: saved.id } });
    const today = beijingToday();
    await t.deps.publicity.revoke(
      'penalty',
      saved.id,
      { revokedOn: today, docNo: '新政复决〔2026〕9号', reason: '复议撤销', knownOn: today },
      sessionUser(seeded),
      null,
    );
    const { withdrawnAt } = await t.deps.db.penalty.findUniqueOrThrow({ where: { id: saved.id } });
    const { header, rows } = await exported('penalty');
    const line = rows.find((r) => r.includes(documentNo));
    expect(line).toBeDefined();
    expect([line![header.indexOf('GS_ZT')], line![header.indexOf('GS_TZYY')], line![header.indexOf('GS_TZRQ')]]).toEqual([
      '已停止公示',
      '撤销',
      beijingToday(withdrawnAt!).replace(/-/g, '/'),
    ]);
  });

  it('a record withdrawn for another reason is still left out', async () => {
    const saved = await t.deps.publicity.saveOne('penalty', recordSchema('penalty').parse(rawRecord('penalty')), sessionUser(seeded), null);
    if (!saved.ok) throw new Error('could not create the penalty');
    const { documentNo } = await t.deps.db.penalty.findUniqueOrThrow({ where: { id: saved.id } });
    await t.deps.db.penalty.update({ where: { id: saved.id }, data: { withdrawnAt: new Date(), withdrawReason: '录入错误', isPublic: false } });
    const { rows } = await exported('penalty');
    expect(rows.some((r) => r.includes(documentNo))).toBe(false);
  });
});
