import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, csrfFrom, seedUsers, signIn, type TestApp, binary } from '../helpers/app.js';
import { rawRecord } from '../helpers/records.js';
import { csvOf, importFinished } from '../helpers/imports.js';
import { fieldsOf } from '../../src/domain/publicity/fields.js';
import { exportCsvHeader } from '../../src/features/imports/template.js';

let t: TestApp;
let clerk: Awaited<ReturnType<typeof signIn>>;
let token: string;

beforeAll(async () => {
  t = await createTestApp();
  await seedUsers(t.deps);
  clerk = await signIn(t.app, 't-clerk');
  token = csrfFrom((await clerk.get('/admin/imports/new')).text);
});
afterAll(async () => t.close());

async function upload(kind: 'permit' | 'penalty', content: Buffer | string, name: string) {
  const res = await clerk
    .post('/admin/imports')
    .field('_csrf', token)
    .field('kind', kind)
    .attach('file', Buffer.isBuffer(content) ? content : Buffer.from(content), name);
  expect(res.status, res.text.slice(0, 300)).toBe(303);
  const id = Number(/\/admin\/imports\/(\d+)$/.exec(res.headers.location ?? '')?.[1]);
  return { id, imp: await importFinished(t.deps, id) };
}

describe('batch import (national template)', () => {
  it('imports a good UTF-8 CSV; the rows appear publicly; the import is kept with its counts', async () => {
    const rows = [1, 2, 3].map((i) => rawRecord('penalty', { documentNo: `批量罚〔2026〕${i}号`, subjectName: `新乡市批量测试${i}有限公司` }));
    const { id, imp } = await upload('penalty', csvOf('penalty', rows), '处罚.csv');
    expect(imp.status).toBe('succeeded');
    expect(imp.totalRows).toBe(3);
    expect(imp.insertedRows).toBe(3);
    expect(imp.format).toBe('csv');
    const list = await request(t.app).get('/publicity/penalties?q=批量测试');
    for (const i of [1, 2, 3]) expect(list.text).toContain(`新乡市批量测试${i}有限公司`);
    const page = await clerk.get(`/admin/imports/${id}`);
    expect(page.text).toContain('导入成功');
    expect(await t.deps.db.auditLog.count({ where: { action: 'import.run', targetId: String(id) } })).toBe(1);
    expect((await clerk.get('/admin/imports')).text).toContain('处罚.csv');
    const badPage = await clerk.get('/admin/imports?page=0');
    expect(badPage.status).toBe(400);
    expect(badPage.text).toContain('data-qa="error-summary"');
    expect(badPage.text).toContain('页码应为正整数');
  });

  it('writes nothing when rows are bad, and lists every bad row with row number, column and reason', async () => {
    const before = await t.deps.db.penalty.count();
    const rows = [
      rawRecord('penalty', { documentNo: '坏行罚〔2026〕1号' }),
      rawRecord('penalty', { documentNo: '坏行罚〔2026〕2号', uscc: '91410700174608534F' }),
      rawRecord('penalty', { documentNo: '坏行罚〔2026〕3号', decisionDate: '2026/02/30' }),
      rawRecord('penalty', { documentNo: '坏行罚〔2026〕4号' }),
      rawRecord('penalty', { documentNo: '坏行罚〔2026〕5号', subjectName: '' }),
    ];
    const { id, imp } = await upload('penalty', csvOf('penalty', rows), 'bad.csv');
    expect(imp.status).toBe('failed');
    expect(imp.errorRows).toBe(3);
    expect(await t.deps.db.penalty.count()).toBe(before);
    const errors = imp.errors as { row: number; column: string; message: string }[];
    expect(errors.map((e) => e.row)).toEqual([3, 4, 6]);
    expect(errors[0]).toMatchObject({ column: '统一社会信用代码' });
    expect(errors[0]!.message).toContain('第18位校验码应为 E');
    expect(errors[1]!.message).toContain('不是有效日期');
    expect(errors[2]!.message).toContain('请填写行政相对人名称');
    const page = await clerk.get(`/admin/imports/${id}`);
    expect(page.text).toContain('3 行有错误，未写入任何数据');
    expect(page.text).toContain('第 4 行');
  });

  it('reads a GBK CSV as Excel in China saves it, with Chinese labels as headers', async () => {
    const labels = fieldsOf('permit').map((f) => f.label);
    const keys = fieldsOf('permit').map((f) => f.key);
    const row = rawRecord('permit', { documentNo: 'GBK许〔2026〕1号', subjectName: '新乡市国标编码测试有限公司' });
    const text = [labels.join(','), keys.map((k) => row[k] ?? '').join(',')].join('\r\n');
    const { imp } = await upload('permit', iconv.encode(text, 'gbk'), 'gbk.csv');
    expect(imp.status, JSON.stringify(imp.errors ?? imp.message)).toBe('succeeded');
    const rec = await t.deps.db.permit.findFirstOrThrow({ where: { documentNo: 'GBK许〔2026〕1号' } });
    expect(rec.subjectName).toBe('新乡市国标编码测试有限公司');
  });

  it('reads an XLSX; the same file again is N unchanged (nothing written or audited), a changed file corrects with old values audited', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('行政许可');
    ws.addRow(exportCsvHeader('permit'));
    const keys = fieldsOf('permit').map((f) => f.key);
    for (const i of [1, 2]) {
      const r = rawRecord('permit', { documentNo: `表格许〔2026〕${i}号`, subjectName: `新乡市表格测试${i}有限公司` });
      ws.addRow(keys.map((k) => r[k] ?? ''));
    }
    const file = Buffer.from(await wb.xlsx.writeBuffer());
    const first = await upload('permit', file, 'permits.xlsx');
    expect(first.imp.status, JSON.stringify(first.imp.errors ?? first.imp.message)).toBe('succeeded');
    expect(first.imp.insertedRows).toBe(2);
    const stored = await t.deps.db.permit.findMany({
      where: { documentNo: { startsWith: '表格许' } },
      orderBy: { id: 'asc' },
      select: { id: true, updatedAt: true, importId: true },
    });
    const auditsBefore = await t.deps.db.auditLog.count({ where: { action: 'permit.update' } });
    const again = await upload('permit', file, 'permits.xlsx');
    expect(again.imp.status).toBe('succeeded');
    expect(again.imp.insertedRows).toBe(0);
    expect(again.imp.updatedRows).toBe(0);
    expect(again.imp.unchangedRows).toBe(2);
    expect(await t.deps.db.auditLog.count({ where: { action: 'permit.update' } })).toBe(auditsBefore);
    expect(
      await t.deps.db.permit.findMany({
        where: { documentNo: { startsWith: '表格许' } },
        orderBy: { id: 'asc' },
        select: { id: true, updatedAt: true, importId: true },
      }),
    ).toEqual(stored);
    expect((await clerk.get(`/admin/imports/${again.id}`)).text).toContain('未变化 2 条');

    ws.getRow(2).getCell(keys.indexOf('content') + 1).value = '更正后的许可内容';
    const corrected = await upload('permit', Buffer.from(await wb.xlsx.writeBuffer()), 'permits.xlsx');
    expect(corrected.imp).toMatchObject({ status: 'succeeded', insertedRows: 0, updatedRows: 1, unchangedRows: 1 });
    const audits = await t.deps.db.auditLog.findMany({ where: { action: 'permit.update', id: { gt: 0 } }, orderBy: { id: 'desc' }, take: 1 });
    expect(audits).toHaveLength(1);
    const detail = audits[0]!.detail as { changes: Record<string, [unknown, unknown]> };
    expect(detail.changes).toEqual({ content: [rawRecord('permit', {}).content, '更正后的许可内容'] });
    expect(await t.deps.db.permit.count({ where: { documentNo: { startsWith: '表格许' } } })).toBe(2);
  });

  it('rejects a file that is not what its extension says, and an empty form', async () => {
    const { imp } = await upload('penalty', 'just,some,text\n1,2,3\n', 'fake.xlsx');
    expect(imp.status).toBe('failed');
    expect(imp.message).toMatch(/扩展名|不是/);
    const empty = await clerk.post('/admin/imports').field('_csrf', token).field('kind', 'penalty');
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('请选择要导入的文件');
    const noToken = await clerk.post('/admin/imports').field('kind', 'penalty').attach('file', Buffer.from('a,b'), 'x.csv');
    expect(noToken.status).toBe(403);
  });

  it('serves the templates', async () => {
    const csv = await clerk.get('/admin/imports/templates/penalty.csv');
    expect(csv.status).toBe(200);
    expect(csv.text).toContain('CF_XDR_MC');
    expect(csv.text).toContain('行政相对人名称');
    const xlsx = await binary(clerk.get('/admin/imports/templates/permit.xlsx'));
    expect(xlsx.status).toBe(200);
    expect((xlsx.body as Buffer).subarray(0, 2).toString()).toBe('PK');
    expect((await clerk.get('/admin/imports/templates/other.csv')).status).toBe(404);
  });
});
