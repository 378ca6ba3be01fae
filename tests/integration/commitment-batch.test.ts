import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { PDFParse } from 'pdf-parse';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binary, createTestApp, csrfFrom, seedUsers, signIn, type TestApp } from '../helpers/app.js';
import { commitmentCsv, csvOf, importFinished } from '../helpers/imports.js';
import { COMPANY_USCC, rawRecord } from '../helpers/records.js';
import { COMMITMENT_FIELDS } from '../../src/features/commitments/fields.js';
import { beijingToday } from '../../src/domain/dates.js';

let t: TestApp;
let clerk: Awaited<ReturnType<typeof signIn>>;
let token: string;
const PERSON_ID = '410702199001011237';
const today = beijingToday().replace(/-/g, '');

beforeAll(async () => {
  t = await createTestApp();
  await seedUsers(t.deps);
  clerk = await signIn(t.app, 't-clerk');
  token = csrfFrom((await clerk.get('/admin/imports/new?kind=commitment')).text);
});
afterAll(async () => t.close());

function row(over: Record<string, string> = {}): Record<string, string> {
  return {
    promisorName: '新乡市批量承诺有限公司',
    promisorCategory: '法人及非法人组织',
    promisorCode: COMPANY_USCC,
    commitmentType: '证明事项型',
    matter: '批量承诺事由',
    content: '所报材料真实有效',
    liability: '撤销决定并记入信用记录',
    madeOn: '2026/01/15',
    disclosure: '可向社会公开',
    ...over,
  };
}

async function upload(content: Buffer | string, name: string, kind = 'commitment') {
  const res = await clerk
    .post('/admin/imports')
    .field('_csrf', token)
    .field('kind', kind)
    .attach('file', Buffer.isBuffer(content) ? content : Buffer.from(content), name);
  expect(res.status, res.text.slice(0, 300)).toBe(303);
  const id = Number(/\/admin\/imports\/(\d+)$/.exec(res.headers.location ?? '')?.[1]);
  return { id, imp: await importFinished(t.deps, id) };
}

async function pdfText(pdf: Buffer): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    return (await parser.getText()).text;
  } finally {
    await parser.destroy();
  }
}

describe('信用承诺 batch import', () => {
  it('imports a UTF-8 CSV: codes in sequence, the public ones listed on /commitments, the import kept and audited', async () => {
    const rows = [
      row({ matter: '批量承诺甲' }),
      row({ matter: '批量承诺乙', promisorName: '张三', promisorCategory: '自然人', promisorCode: PERSON_ID, fulfilment: '全部履行' }),
      row({ matter: '批量承诺丙（不公开）', disclosure: '不可公开' }),
    ];
    const { id, imp } = await upload(commitmentCsv(rows), '承诺.csv');
    expect(imp.status, JSON.stringify(imp.errors ?? imp.message)).toBe('succeeded');
    expect(imp.kind).toBe('commitment');
    expect(imp.insertedRows).toBe(3);
    const written = await t.deps.db.commitment.findMany({ where: { importId: id }, orderBy: { id: 'asc' } });
    expect(written.map((c) => c.matter)).toEqual(['批量承诺甲', '批量承诺乙', '批量承诺丙（不公开）']);
    const serials = written.map((c) => Number(c.code.slice(14)));
    expect(written.every((c) => c.code.startsWith(`410700${today}`) && c.code.length === 20)).toBe(true);
    expect(serials).toEqual([serials[0]!, serials[0]! + 1, serials[0]! + 2]);
    expect(written[0]!.legalPersonId).not.toBeNull();
    expect(written[1]!.fulfilment).toBe('全部履行');

    const list = await request(t.app).get('/commitments?q=');
    expect(list.text).toContain('批量承诺甲');
    expect(list.text).toContain('批量承诺乙');
    expect(list.text).not.toContain('批量承诺丙');
    expect(list.text).not.toContain(PERSON_ID);
    const page = await clerk.get(`/admin/imports/${id}`);
    expect(page.text).toContain('导入成功');
    expect(page.text).toContain('信用承诺');
    expect(page.text).toContain('href="/admin/commitments"');
    const audit = await t.deps.db.auditLog.findFirstOrThrow({ where: { action: 'import.run', targetId: String(id) } });
    expect(audit.detail).toMatchObject({ kind: '信用承诺', inserted: 3, codes: `${written[0]!.code}–${written[2]!.code}` });
  });

  it('writes nothing when any row is bad, and lists every bad row with row number, column and a Chinese message', async () => {
    const before = await t.deps.db.commitment.count();
    const rows = [
      row({ matter: '坏批次1' }),
      row({ matter: '坏批次2', promisorCode: '91410700174608534F' }),
      row({ matter: '坏批次3', madeOn: '2026/02/30' }),
      row({ matter: '坏批次4', content: '' }),
      row({ matter: '坏批次5', fulfilment: '部分履行' }),
      row({ matter: '坏批次6', commitmentType: '随便型' }),
    ];
    const { id, imp } = await upload(commitmentCsv(rows), 'bad.csv');
    expect(imp.status).toBe('failed');
    expect(imp.errorRows).toBe(5);
    expect(await t.deps.db.commitment.count()).toBe(before);
    const errors = imp.errors as { row: number; column: string; message: string }[];
    expect([...new Set(errors.map((e) => e.row))]).toEqual([3, 4, 5, 6, 7]);
    expect(errors.find((e) => e.row === 3)).toMatchObject({ column: '承诺人代码' });
    expect(errors.find((e) => e.row === 3)!.message).toContain('第18位校验码应为 E');
    expect(errors.find((e) => e.row === 4)).toMatchObject({ column: '承诺作出日期', message: '承诺作出日期不是有效日期' });
    expect(errors.find((e) => e.row === 5)).toMatchObject({ column: '承诺内容', message: '请填写承诺内容' });
    expect(
      errors
        .filter((e) => e.row === 6)
        .map((e) => e.column)
        .sort(),
    ).toEqual(['未履行的承诺内容', '违诺责任追究内容'].sort());
    expect(errors.find((e) => e.row === 7)).toMatchObject({ column: '承诺类型' });
    const page = await clerk.get(`/admin/imports/${id}`);
    expect(page.text).toContain('5 行有错误，未写入任何数据');
    for (const n of [3, 4, 5, 6, 7]) expect(page.text).toContain(`第 ${n} 行`);
  });

  it('reads a GBK CSV with field codes as headers', async () => {
    const r = row({ matter: 'GBK编码承诺', promisorName: '新乡市国标承诺有限公司' });
    const text = [COMMITMENT_FIELDS.map((f) => f.code).join(','), COMMITMENT_FIELDS.map((f) => r[f.key] ?? '').join(',')].join('\r\n');
    const { imp } = await upload(iconv.encode(text, 'gbk'), 'gbk.csv');
    expect(imp.status, JSON.stringify(imp.errors ?? imp.message)).toBe('succeeded');
    const c = await t.deps.db.commitment.findFirstOrThrow({ where: { matter: 'GBK编码承诺' } });
    expect(c.promisorName).toBe('新乡市国标承诺有限公司');
  });

  it('reads the XLSX template filled in, and rejects a numeric code cell', async () => {
    const tpl = await binary(clerk.get('/admin/imports/templates/commitment.xlsx'));
    expect(tpl.status).toBe(200);
    expect(tpl.headers['content-disposition']).toContain("filename*=UTF-8''");
    const fill = async (code: string | number) => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(tpl.body as never);
      const ws = wb.worksheets[0]!;
      const r = row({ matter: `表格承诺${typeof code}` });
      COMMITMENT_FIELDS.forEach((f, i) => {
        ws.getCell(3, i + 1).value = f.key === 'promisorCode' ? code : (r[f.key] ?? null);
      });
      return Buffer.from(await wb.xlsx.writeBuffer());
    };
    const good = await upload(await fill(COMPANY_USCC), 'commitments.xlsx');
    expect(good.imp.status, JSON.stringify(good.imp.errors ?? good.imp.message)).toBe('succeeded');
    expect(good.imp.format).toBe('xlsx');
    expect(await t.deps.db.commitment.count({ where: { matter: '表格承诺string' } })).toBe(1);

    const bad = await upload(await fill(Number('410702199001011237')), 'numeric.xlsx');
    expect(bad.imp.status).toBe('failed');
    const errors = bad.imp.errors as { row: number; column: string; message: string }[];
    expect(errors[0]).toMatchObject({ row: 3, column: '承诺人代码' });
    expect(errors[0]!.message).toContain('数值格式');
    expect(await t.deps.db.commitment.count({ where: { matter: '表格承诺number' } })).toBe(0);
  });

  it('points to the right import when a 双公示 file is uploaded as commitments', async () => {
    const { imp } = await upload(csvOf('penalty', [rawRecord('penalty')]), 'penalty.csv');
    expect(imp.status).toBe('failed');
    expect(imp.message).toContain('这是行政处罚的文件');
  });

  it('hands out 承诺编码 without collisions while single entries run concurrently', async () => {
    const formToken = csrfFrom((await clerk.get('/admin/commitments/new')).text);
    const single = (i: number) =>
      clerk
        .post('/admin/commitments')
        .type('form')
        .send({ ...row({ matter: `并发单条${i}`, madeOn: '2026-01-15' }), _csrf: formToken });
    const many = Array.from({ length: 300 }, (_, i) => row({ matter: `并发批量${i}` }));
    const [batch, ...singles] = await Promise.all([upload(commitmentCsv(many), 'many.csv'), single(1), single(2), single(3)]);
    expect(batch.imp.status).toBe('succeeded');
    for (const s of singles) expect(s.status).toBe(303);
    const all = await t.deps.db.commitment.findMany({ where: { code: { startsWith: `410700${today}` } }, select: { code: true } });
    const serials = all.map((c) => Number(c.code.slice(14))).sort((a, b) => a - b);
    expect(new Set(serials).size).toBe(all.length);
    expect(serials).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));
  });

  it('serves the CSV template with the Chinese labels', async () => {
    const csv = await clerk.get('/admin/imports/templates/commitment.csv');
    expect(csv.status).toBe(200);
    for (const s of ['承诺人名称', 'CN_CNRDM', '违诺责任追究内容']) expect(csv.text).toContain(s);
    expect((await clerk.get('/admin/imports/new?kind=commitment')).text).toContain('/admin/imports/templates/commitment.xlsx');
  });
});

describe('blank 信用承诺书', () => {
  it('is a PDF with the letter as real Chinese text, linked from the public and admin pages', async () => {
    const res = await binary(request(t.app).get('/commitments/letters/general.pdf'));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="[^"]*"; filename\*=UTF-8''/);
    const pdf = res.body as Buffer;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.toString('latin1')).toContain('/ToUnicode');
    const text = (await pdfText(pdf)).replace(/\s+/g, '');
    for (const s of [
      '信用承诺书',
      '承诺人名称',
      '统一社会信用代码',
      '法定代表人',
      '真实、准确、完整',
      '依法依规诚信经营',
      '监督检查',
      '失信惩戒对象名单',
      '联合惩戒',
      '承诺人（盖章）',
      '法定代表人（签字）',
      '年月日',
    ]) {
      expect(text).toContain(s);
    }
    const repair = await binary(request(t.app).get('/commitments/letters/repair.pdf'));
    const repairText = (await pdfText(repair.body as Buffer)).replace(/\s+/g, '');
    expect(repairText).toContain('信用修复承诺书');
    expect(repairText).toContain('已经纠正失信行为');
    expect((await request(t.app).get('/commitments/letters/nope.pdf')).status).toBe(404);
    expect((await request(t.app).get('/commitments')).text).toContain('href="/commitments/letters/repair.pdf"');
    expect((await clerk.get('/admin/commitments')).text).toContain('href="/commitments/letters/general.pdf"');
    expect((await clerk.get('/admin/commitments/new')).text).toContain('href="/commitments/letters/general.pdf"');
  });
});
