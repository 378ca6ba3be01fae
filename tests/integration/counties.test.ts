import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedUsers, type TestApp } from '../helpers/app.js';
import { rawRecord } from '../helpers/records.js';
import { day, slashDay } from '../helpers/dates.js';
import { recordSchema } from '../../src/domain/publicity/schemas.js';
import { writeRecords } from '../../src/features/publicity/writer.js';
import { usccCheckChar } from '../../src/domain/identifiers.js';
import { dateColumn } from '../../src/domain/dates.js';
import type { RecordKind } from '../../src/domain/publicity/fields.js';

const uscc = (first17: string) => first17 + usccCheckChar(first17);
/** Registered in 红旗区 (410702) and 卫辉市 (410781): the writer places their records in those counties by the code. */
const HONGQI = uscc('91410702MA44HQ001');
const WEIHUI = uscc('91410781MA44WH001');

let t: TestApp;
let seeded: Awaited<ReturnType<typeof seedUsers>>;

/** Writes records of one kind as reported at the given instants (the 及时率 counts working days from the decision). */
async function write(kind: RecordKind, rows: { over: Record<string, string>; reportedAt: Date }[]) {
  const ctx = await t.deps.publicity.writeContext(seeded.departmentId, null, null);
  const client = await t.deps.pool.connect();
  try {
    await client.query('BEGIN');
    const schema = recordSchema(kind);
    await writeRecords(
      client,
      kind,
      rows.map((r, i) => ({ rowNo: i + 1, input: schema.parse(rawRecord(kind, r.over)), reportedAt: r.reportedAt })),
      ctx,
      { auditAction: `${kind}.update`, username: 'test', ip: null },
    );
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}

beforeAll(async () => {
  t = await createTestApp();
  seeded = await seedUsers(t.deps);
  await t.deps.db.county.createMany({
    data: [
      { code: '410702', name: '红旗区', kind: 'district', sortOrder: 1 },
      { code: '410781', name: '卫辉市', kind: 'city', sortOrder: 10 },
      { code: '410771', name: '新乡高新技术产业开发区', kind: 'zone', sortOrder: 13 },
    ],
  });
  // Decided 30 days ago: inside every publicity period whatever today is. Reported on the decision day (on time)
  // or today (30 days on, more than 7 working days whatever the holidays: late).
  const decided = slashDay(-30);
  const onTime = new Date(`${day(-30)}T10:00:00+08:00`);
  const late = new Date();
  const hq = { subjectName: '新乡市红旗测试商贸有限公司', uscc: HONGQI, decisionDate: decided };
  await write('permit', [
    { over: { ...hq, documentNo: 'HQ-PERMIT-1', validFrom: decided }, reportedAt: late },
    { over: { subjectName: '卫辉市测试建材有限公司', uscc: WEIHUI, decisionDate: decided, validFrom: decided, documentNo: 'WH-PERMIT-1' }, reportedAt: onTime },
  ]);
  await write('penalty', [
    { over: { ...hq, documentNo: 'HQ-PENALTY-1' }, reportedAt: onTime },
    { over: { ...hq, documentNo: 'HQ-PENALTY-HIDDEN' }, reportedAt: onTime },
  ]);
  // Taken out of publication (as a withdrawal or a rule does): counted as reported, never shown.
  await t.deps.db.penalty.updateMany({ where: { documentNo: 'HQ-PENALTY-HIDDEN' }, data: { isPublic: false } });

  // A black-list entry in force for the 红旗区 company, one for the 卫辉市 company, and one exited in 红旗区.
  const issue = await t.deps.db.listIssue.create({ data: { year: 2026, quarter: 1, serialNo: 91, title: '第91期', publishedAt: new Date() } });
  const entry = async (name: string, code: string, basisDocNo: string, exited: boolean) => {
    const lp = await t.deps.db.legalPerson.findUniqueOrThrow({ where: { uscc: code } });
    const base = {
      listType: 'black' as const,
      subjectCategory: 'legal' as const,
      subjectName: name,
      uscc: code,
      legalPersonId: lp.id,
      basisDocNo,
      basisAuthority: '新乡市市场监督管理局',
      basisDate: dateColumn(day(-60)),
      reason: '严重失信行为',
      validUntil: dateColumn(day(700)),
    };
    const n = await t.deps.db.listNomination.create({
      data: { ...base, status: 'listed', departmentId: seeded.departmentId, createdById: seeded.users.clerk.id },
    });
    await t.deps.db.listEntry.create({
      data: {
        ...base,
        issueId: issue.id,
        nominationId: n.id,
        department: '新乡市市场监督管理局',
        ...(exited ? { exitedAt: new Date(), exitReason: '信用修复' } : {}),
      },
    });
  };
  await entry('新乡市红旗测试商贸有限公司', HONGQI, '新市监认〔2026〕HQ1号', false);
  await entry('卫辉市测试建材有限公司', WEIHUI, '新市监认〔2026〕WH1号', false);
  await entry('新乡市红旗测试商贸有限公司', HONGQI, '新市监认〔2026〕HQ-EXITED号', true);
});
afterAll(async () => t.close());

describe('县市区 pages', () => {
  it('the index lists every county, grouped by kind, each linking to its page', async () => {
    const res = await request(t.app).get('/counties');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<title>县市区信用 - 信用新乡</title>');
    expect(res.text).toMatch(/市辖区[\s\S]*href="\/counties\/410702">红旗区[\s\S]*县级市[\s\S]*卫辉市[\s\S]*功能区[\s\S]*新乡高新技术产业开发区/);
  });

  it("a county's figures count its own records and subjects only, public ones as the 双公示 columns do", async () => {
    const res = await request(t.app).get('/counties/410702');
    expect(res.status).toBe(200);
    // Reported: 1 permit + 2 penalties (the hidden one too); public: 1 permit, 1 penalty; one company registered.
    expect(res.text).toMatch(/data-qa="figure-reported">3</);
    expect(res.text).toMatch(/data-qa="figure-permits">1</);
    expect(res.text).toMatch(/data-qa="figure-penalties">1</);
    expect(res.text).toMatch(/data-qa="figure-subjects">1</);
    expect(res.text).toMatch(/data-qa="county-permits"[\s\S]*新乡市红旗测试商贸有限公司/);
    expect(res.text).not.toContain('卫辉市测试建材有限公司');
    // Links to the 双公示 lists filtered by the county.
    const county = await t.deps.db.county.findUniqueOrThrow({ where: { code: '410702' } });
    expect(res.text).toContain(`href="/publicity/penalties?county=${county.id}"`);
  });

  it("its departments' 及时率 judge every record of the county against 7 working days", async () => {
    const res = await request(t.app).get('/counties/410702');
    // 3 records of the 市场监管局 in 红旗区: 2 on time (the penalties), 1 late (the permit).
    expect(res.text).toMatch(/data-qa="county-timeliness"[\s\S]*新乡市市场监督管理局<\/th><td>3<\/td><td>2<\/td><td>1<\/td><td>66\.7%<\/td>/);
    const weihui = await request(t.app).get('/counties/410781');
    expect(weihui.text).toMatch(/data-qa="county-timeliness"[\s\S]*新乡市市场监督管理局<\/th><td>1<\/td><td>1<\/td><td>0<\/td><td>100\.0%<\/td>/);
  });

  it('lists the black-list entries in force of subjects registered there, not exited ones nor other counties', async () => {
    const res = await request(t.app).get('/counties/410702');
    expect(res.text).toMatch(/data-qa="county-black"[\s\S]*新市监认〔2026〕HQ1号/);
    expect(res.text).not.toContain('HQ-EXITED');
    expect(res.text).not.toContain('WH1号');
  });

  it('a county without records shows empty sections, not an error', async () => {
    const res = await request(t.app).get('/counties/410771');
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/data-qa="figure-reported">0</);
    expect(res.text).toContain('该期间暂无报送信息');
  });

  it('an unknown or hostile code is a Chinese 404, never a 500', async () => {
    for (const code of ['410799', '999999', 'abc', '4107021', "410702'--", '%E4%BD%A0', '%00', 'x'.repeat(300)]) {
      const res = await request(t.app).get(`/counties/${code}`);
      expect(res.status, code).toBe(404);
      expect(res.text, code).toContain('该县（市、区）不存在');
    }
    // A broken %-escape never reaches the route: the app's Chinese 400.
    const broken = await request(t.app).get('/counties/41070%');
    expect(broken.status).toBe(400);
    expect(broken.text).toContain('请求有误');
  });
});
