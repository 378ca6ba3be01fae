import { existsSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binary, createTestApp, csrfFrom, seedUsers, signIn, type TestApp } from '../helpers/app.js';
import { zipOf } from '../helpers/zip.js';

let t: TestApp;
let reviewer: Awaited<ReturnType<typeof signIn>>;
let token: string;
let published: number;
let draft: number;

const PDF = Buffer.from('%PDF-1.4\n% 信用新乡测试附件\n%%EOF\n');
const CHINESE_NAME = '关于开展2026年度信用承诺工作的通知（附表）.pdf';

const docx = () => zipOf({ '[Content_Types].xml': '<Types/>', 'word/document.xml': '<w:document/>' });

async function xlsx(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('表').addRow(['a']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const upload = (id: number, files: [Buffer, string][], csrf: string | null = token) => {
  let req = reviewer.post(`/admin/articles/${id}/attachments`);
  if (csrf) req = req.field('_csrf', csrf);
  for (const [buf, name] of files) req = req.attach('attachments', buf, name);
  return req;
};

beforeAll(async () => {
  t = await createTestApp();
  const { users } = await seedUsers(t.deps);
  published = (
    await t.deps.db.article.create({
      data: { category: 'notice', title: '附件测试通知', bodyHtml: '<p>正文</p>', publishedAt: new Date(), createdById: users.reviewer.id },
    })
  ).id;
  draft = (await t.deps.db.article.create({ data: { category: 'notice', title: '草稿通知', bodyHtml: '<p>草稿</p>', createdById: users.reviewer.id } })).id;
  reviewer = await signIn(t.app, 't-reviewer');
  token = csrfFrom((await reviewer.get(`/admin/articles/${published}/edit`)).text);
});
afterAll(async () => t.close());

describe('article attachments', () => {
  it('the credit office attaches PDF, Word, Excel and ZIP files; the public page lists them and they download with their Chinese names', async () => {
    const zip = zipOf({ '说明.txt': '附件' });
    const res = await upload(published, [
      [PDF, CHINESE_NAME],
      [docx(), '申报表.docx'],
      [await xlsx(), '汇总表.xlsx'],
      [zip, '材料.zip'],
    ]);
    expect(res.status, res.text.slice(0, 500)).toBe(303);
    expect(res.headers.location).toBe(`/admin/articles/${published}/edit`);
    const rows = await t.deps.db.articleAttachment.findMany({ where: { articleId: published }, orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.fileName, r.mime])).toEqual([
      [CHINESE_NAME, 'application/pdf'],
      ['申报表.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      ['汇总表.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      ['材料.zip', 'application/zip'],
    ]);
    // Stored under a generated name: the user's name never becomes a path.
    for (const r of rows) expect(r.storedAs).toMatch(/^\d{4}-\d{2}\/[0-9a-f-]{36}$/);
    expect(await t.deps.db.auditLog.count({ where: { action: 'article.attachment.add', targetId: String(published) } })).toBe(4);

    const page = await request(t.app).get(`/articles/${published}`);
    expect(page.text).toMatch(/data-qa="article-attachments"[\s\S]*关于开展2026年度信用承诺工作的通知（附表）\.pdf[\s\S]*（0\.1 KB）/);
    const href = `/articles/${published}/attachments/${rows[0]!.id}`;
    expect(page.text).toContain(`href="${href}"`);
    const dl = await binary(request(t.app).get(href));
    expect(dl.status).toBe(200);
    expect(dl.headers['content-type']).toBe('application/pdf');
    expect(dl.headers['x-content-type-options']).toBe('nosniff');
    expect((dl.body as Buffer).equals(PDF)).toBe(true);
    const disposition = dl.headers['content-disposition'] as string;
    expect(disposition).toMatch(/^attachment; filename="[^"]+"; filename\*=UTF-8''/);
    expect(decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(disposition)![1]!)).toBe(CHINESE_NAME);
    // An attachment of another article, or of a draft, is not served publicly.
    expect((await request(t.app).get(`/articles/${draft}/attachments/${rows[0]!.id}`)).status).toBe(404);
  });

  it('refuses a file whose content is not what its extension says, an unsupported type and an oversized file, and stores nothing', async () => {
    const before = await t.deps.db.articleAttachment.count();
    const cases: [Buffer, string, string][] = [
      [Buffer.from('<html>not a pdf</html>'), '伪装.pdf', '内容不是PDF'],
      [await xlsx(), '表格改名.docx', '内容不是Word 文档'],
      [PDF, '其实是PDF.doc', '内容不是Word 文档'],
      [Buffer.from('MZ\x90\x00'), 'setup.exe', '类型不支持'],
      [Buffer.from('PK\x03\x04broken'), '坏的.zip', '内容不是ZIP 压缩包'],
    ];
    for (const [buf, name, message] of cases) {
      const res = await upload(published, [[buf, name]]);
      expect(res.status, name).toBe(400);
      expect(res.text, name).toContain(message);
      expect(res.text).toContain('<title>错误：');
      expect(res.text).toContain('href="#attachments"');
      // The article form keeps its values.
      expect(res.text).toContain('附件测试通知');
    }
    const big = await upload(published, [[Buffer.concat([PDF, Buffer.alloc(20 * 1024 * 1024)]), '太大.pdf']]);
    expect(big.status).toBe(400);
    expect(big.text).toContain('每个附件不超过 20 MB');
    const none = await upload(published, []);
    expect(none.status).toBe(400);
    expect(none.text).toContain('请选择要上传的附件');
    expect(await t.deps.db.articleAttachment.count()).toBe(before);
  });

  it('needs the credit office role and a CSRF token', async () => {
    const before = await t.deps.db.articleAttachment.count();
    expect((await upload(published, [[PDF, 'a.pdf']], null)).status).toBe(403);
    const clerk = await signIn(t.app, 't-clerk');
    const clerkToken = csrfFrom((await clerk.get('/admin/account/password')).text);
    const res = await clerk.post(`/admin/articles/${published}/attachments`).field('_csrf', clerkToken).attach('attachments', PDF, 'a.pdf');
    expect(res.status).toBe(403);
    expect(await t.deps.db.articleAttachment.count()).toBe(before);
  });

  it('an attachment of a draft is downloadable in the back office; deleting removes the row and the file, with an audit entry', async () => {
    expect((await upload(draft, [[PDF, '草稿附件.pdf']])).status).toBe(303);
    const att = await t.deps.db.articleAttachment.findFirstOrThrow({ where: { articleId: draft } });
    const edit = await reviewer.get(`/admin/articles/${draft}/edit`);
    expect(edit.text).toContain('草稿附件.pdf');
    expect(edit.text).toContain(`action="/admin/articles/${draft}/attachments/${att.id}/delete"`);
    expect((await binary(reviewer.get(`/admin/articles/${draft}/attachments/${att.id}`))).status).toBe(200);
    expect((await request(t.app).get(`/articles/${draft}/attachments/${att.id}`)).status).toBe(404);

    const file = path.join(t.deps.uploadDir, att.storedAs);
    expect(existsSync(file)).toBe(true);
    const del = await reviewer.post(`/admin/articles/${draft}/attachments/${att.id}/delete`).type('form').send({ _csrf: token });
    expect(del.status).toBe(303);
    expect(await t.deps.db.articleAttachment.count({ where: { id: att.id } })).toBe(0);
    expect(existsSync(file)).toBe(false);
    expect(await t.deps.db.auditLog.count({ where: { action: 'article.attachment.delete', targetId: String(draft) } })).toBe(1);
    expect((await reviewer.post(`/admin/articles/${draft}/attachments/${att.id}/delete`).type('form').send({ _csrf: token })).status).toBe(404);
  });
});
