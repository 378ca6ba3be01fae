import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { seedDemo } from '../../src/seed/subjects.js';
import { seedDemoRecords } from '../../src/seed/records.js';
import { seedDemoLists } from '../../src/seed/lists.js';
import { seedDemoColumns } from '../../src/seed/columns.js';
import { readStored } from '../../src/platform/attachments.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

// The demo content of the public columns and back-office queues (src/seed/columns.ts, issue #15).
let t: TestApp;
const seed = () => seedDemoColumns(t.deps.db, t.deps.pool, { uploadDir: t.deps.uploadDir });

beforeAll(async () => {
  t = await createTestApp();
  await seedDemo(t.deps.db, { legalPersons: 100, naturalPersons: 20 });
  await seedDemoRecords(t.deps.db, t.deps.pool, { permits: 20, penalties: 50 });
  await seedDemoLists(t.deps.db);
  expect(await seed()).toEqual({ articles: 11, commitments: 20, measures: 7, listEntries: 6 });
}, 120_000);
afterAll(async () => t.close());

describe('demo columns', () => {
  it('fills every article column, with valid PDF attachments', async () => {
    for (const [category, title] of [
      ['policy', '河南省社会信用条例'],
      ['news', '新乡市召开社会信用体系建设工作推进会'],
      ['notice', '关于开展红黑名单季度认定工作的通知'],
    ] as const) {
      const res = await request(t.app).get(`/policies?category=${category}`);
      expect(res.status).toBe(200);
      expect(res.text).toContain(title);
    }
    const policies = await request(t.app).get('/policies');
    expect(policies.text).toContain('做好行政处罚信息信用修复工作的通知');
    const withFiles = await t.deps.db.articleAttachment.findMany();
    expect(withFiles.length).toBeGreaterThanOrEqual(4);
    for (const a of withFiles) {
      expect(a.mime).toBe('application/pdf');
      const pdf = await readStored(t.deps.uploadDir, a.storedAs);
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(pdf.subarray(-6).toString()).toContain('%%EOF');
    }
    const article = await t.deps.db.article.findFirstOrThrow({ where: { title: '河南省社会信用条例' }, include: { attachments: true } });
    const page = await request(t.app).get(`/articles/${article.id}`);
    expect(page.text).toContain('河南省社会信用条例（摘要）.pdf');
    const download = await request(t.app).get(`/articles/${article.id}/attachments/${article.attachments[0]!.id}`);
    expect(download.status).toBe(200);
    // Published on different past days, none today or later.
    const days = new Set((await t.deps.db.article.findMany()).map((a) => a.publishedAt!.toISOString().slice(0, 10)));
    expect(days.size).toBe(11);
  });

  it('shows commitments of several types and departments, with broken ones carrying their 未履行内容 and 违诺责任追究', async () => {
    const all = await t.deps.db.commitment.findMany();
    expect(new Set(all.map((c) => c.commitmentType)).size).toBeGreaterThanOrEqual(6);
    expect(new Set(all.map((c) => c.departmentId)).size).toBeGreaterThanOrEqual(10);
    const broken = all.filter((c) => c.fulfilment === '部分履行' || c.fulfilment === '全部未履行');
    // The two of the columns' demo, and (src/seed/lists.ts) one broken more than 5 years ago, no longer public.
    expect(broken).toHaveLength(3);
    for (const c of broken) expect(c.unfulfilledContent && c.liabilityPursued).toBeTruthy();
    expect(all.filter((c) => c.fulfilment === '全部履行').length).toBeGreaterThanOrEqual(4);
    expect(all.filter((c) => c.disclosure === '可向社会公开').length).toBeGreaterThanOrEqual(15);
    // A person's commitment too, validated as the form validates an ID number, and never public.
    expect(all.filter((c) => c.promisorCategory === 'natural').map((c) => c.disclosure)).toEqual(['不可公开']);
    const res = await request(t.app).get('/commitments');
    expect(res.status).toBe(200);
    expect(res.text).toContain('原阳县金穗水稻种植专业合作社');
  });

  it('publishes an earlier issue with measure tasks, feedback, and one exited black-list entry', async () => {
    const issues = await t.deps.db.listIssue.findMany({ orderBy: [{ year: 'asc' }, { quarter: 'asc' }], include: { entries: true, notices: true } });
    // Last quarter's (src/seed/lists.ts), the one before it (this demo), and one of six years ago (条例 Art. 19).
    expect(issues).toHaveLength(3);
    const earlier = issues.at(-2)!;
    // Numbered by quarter, although the demo created them in another order.
    expect(issues.map((i) => i.serialNo)).toEqual([1, 2, 3]);
    expect(earlier.title).toContain('总第2期');
    expect(earlier.entries.filter((e) => e.listType === 'black')).toHaveLength(3);
    expect(earlier.entries.filter((e) => e.listType === 'red')).toHaveLength(3);
    expect(earlier.entries.filter((e) => e.exitedAt)).toHaveLength(1);
    expect(earlier.notices.some((n) => n.kind === 'exit')).toBe(true);
    // Both lists' measures made tasks; some were answered, some still wait.
    const tasks = await t.deps.db.measureTask.findMany({ where: { entry: { issueId: earlier.id } }, include: { entry: true } });
    expect(new Set(tasks.map((x) => x.entry.listType))).toEqual(new Set(['red', 'black']));
    const statuses = new Set(tasks.map((x) => x.status));
    for (const s of ['implemented', 'notImplemented', 'pending', 'stopped']) expect(statuses).toContain(s);

    const lists = await request(t.app).get('/lists');
    expect(lists.status).toBe(200);
    expect(lists.text).toContain(`${earlier.year}年第${earlier.quarter}季度`);
    const page = await request(t.app).get(`/lists/${earlier.id}`);
    expect(page.status).toBe(200);
    const stillListed = earlier.entries.find((e) => e.listType === 'black' && !e.exitedAt)!;
    expect(page.text).toContain(stillListed.subjectName);
  });

  it('adds nothing when run again', async () => {
    const counts = async () =>
      Promise.all([
        t.deps.db.article.count(),
        t.deps.db.articleAttachment.count(),
        t.deps.db.commitment.count(),
        t.deps.db.measure.count(),
        t.deps.db.measureTask.count(),
        t.deps.db.listIssue.count(),
        t.deps.db.listEntry.count(),
      ]);
    const before = await counts();
    expect(await seed()).toEqual({ articles: 0, commitments: 0, measures: 0, listEntries: 0 });
    expect(await counts()).toEqual(before);
  });
});
