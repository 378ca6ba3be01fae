import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PDFParse } from 'pdf-parse';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { recordSchema } from '../../src/domain/publicity/schemas.js';
import { applyFeed, mirrorView, type FeedEvent } from '../../src/features/publication/service.js';
import { binary, createTestApp, csrfFrom, seedUsers, sessionUser, signIn, type TestApp } from '../helpers/app.js';
import { COMPANY_USCC, rawRecord } from '../helpers/records.js';
import { day, monthsFrom } from '../helpers/dates.js';

/**
 * Issue #17: the public changes feed. A mirror built from the feed (a full replay from since=0, and another from a
 * snapshot of the public view at a known cursor) follows a withdrawal, a repair, an expiry, an archiving, a
 * revocation, a correction, a list exit, and a commitment broken, one no longer 可向社会公开 and one whose 5 years of
 * 违诺 disclosure are over, and ends up with exactly what the portal's own pages show.
 */

let t: TestApp;
let seeded: Awaited<ReturnType<typeof seedUsers>>;
const penalties: number[] = [];
let permitId = 0;
let entryId = 0;
/** [broken while public, disclosure withdrawn, 5 years of 违诺 disclosure over] */
const commitments: number[] = [];
const NAME = '新乡市镜像样本商贸有限公司';

async function readFeed(since: string, limit = 3): Promise<{ events: FeedEvent[]; next: string }> {
  const events: FeedEvent[] = [];
  let cursor = since;
  for (;;) {
    const res = await request(t.app).get(`/api/v1/public/changes?since=${cursor}&limit=${limit}`);
    expect(res.status).toBe(200);
    events.push(...(res.body.items as FeedEvent[]));
    cursor = res.body.next as string;
    if (!res.body.hasMore) return { events, next: cursor };
  }
}

/** What the portal's own pages show of the test's items: 200 on the public record page or the list in force. */
async function portalView(): Promise<Map<string, string>> {
  const shown = new Map<string, string>();
  for (const id of penalties) {
    const res = await request(t.app).get(`/publicity/penalties/${id}`);
    if (res.status === 200) shown.set(`penalty:${id}`, res.text);
  }
  const permit = await request(t.app).get(`/publicity/permits/${permitId}`);
  if (permit.status === 200) shown.set(`permit:${permitId}`, permit.text);
  const black = await request(t.app).get(`/lists/black`);
  if (black.text.includes('新惩〔2026〕镜像1号')) shown.set(`list_entry:${entryId}`, black.text);
  for (const id of commitments) {
    const res = await request(t.app).get(`/commitments/${id}`);
    if (res.status === 200) shown.set(`commitment:${id}`, res.text);
  }
  return shown;
}

function onlyOurs(view: Map<string, Record<string, unknown>>): Map<string, Record<string, unknown>> {
  const ours = new Set([
    ...penalties.map((id) => `penalty:${id}`),
    `permit:${permitId}`,
    `list_entry:${entryId}`,
    ...commitments.map((id) => `commitment:${id}`),
  ]);
  return new Map([...view].filter(([k]) => ours.has(k)));
}

beforeAll(async () => {
  t = await createTestApp();
  seeded = await seedUsers(t.deps);
  await t.deps.db.legalPerson.create({ data: { uscc: COMPANY_USCC, name: NAME, subjectType: 'organisation' } });
  const clerk = sessionUser(seeded);
  for (let i = 0; i < 5; i++) {
    const saved = await t.deps.publicity.saveOne('penalty', recordSchema('penalty').parse(rawRecord('penalty', { subjectName: NAME })), clerk, null);
    if (!saved.ok) throw new Error('penalty not saved');
    penalties.push(saved.id);
  }
  const permit = await t.deps.publicity.saveOne('permit', recordSchema('permit').parse(rawRecord('permit', { subjectName: NAME })), clerk, null);
  if (!permit.ok) throw new Error('permit not saved');
  permitId = permit.id;

  // A black-list entry, published (in force at once: a black list has no 公示期).
  const reviewer = { ...clerk, id: seeded.users.reviewer.id, username: 't-reviewer', role: 'reviewer' as const };
  const n = await t.deps.lists.nominate(
    {
      listType: 'black',
      subjectCategory: 'legal',
      subjectName: NAME,
      uscc: COMPANY_USCC,
      docType: null,
      docNumber: null,
      basisDocNo: '新惩〔2026〕镜像1号',
      basisAuthority: '新乡市市场监督管理局',
      basisDate: day(-60),
      reason: '严重违法失信',
      validUntil: monthsFrom(24),
    },
    clerk,
    null,
  );
  await t.deps.lists.review(n, 'accept', undefined, reviewer, null);
  await t.deps.lists.servePriorNotice(
    n,
    { noticeNo: '新告〔2026〕镜像1号', measures: '限制参与政府采购', servedOn: day(-30), objectionDays: 7 },
    reviewer,
    null,
  );
  const issue = await t.deps.lists.createIssue(Number(day().slice(0, 4)), 2, reviewer, null);
  await t.deps.lists.addEntries(issue, [n], reviewer, null);
  await t.deps.lists.publish(issue, reviewer, null);
  entryId = (await t.deps.db.listEntry.findFirstOrThrow({ where: { nominationId: n }, select: { id: true } })).id;

  for (let i = 0; i < 3; i++) {
    const c = await t.deps.commitments.createOne(
      {
        promisorName: NAME,
        promisorCategory: 'legal',
        promisorCode: COMPANY_USCC,
        commitmentType: '容缺受理型',
        matter: `食品经营许可容缺受理（镜像${i + 1}）`,
        content: '30 日内补齐材料',
        liability: '撤销许可',
        madeOn: day(-10),
        validUntil: null,
        disclosure: '可向社会公开',
        remark: null,
        fulfilment: null,
        unfulfilledContent: null,
        liabilityPursued: null,
      },
      seeded.departmentId,
      clerk.id,
    );
    commitments.push(c.id);
  }
});
afterAll(async () => t.close());

describe('the public changes feed', () => {
  it("mirrors from a full replay, from a snapshot and from the day's open-data files all end equal to the public view, tombstones included", async () => {
    const today = day();
    // Mirror A replays from 0; mirror B starts from the public view at a known cursor.
    const a = new Map<string, FeedEvent>();
    const first = await readFeed('0');
    applyFeed(a, first.events);
    const snap = await t.deps.publication.snapshot();
    // Mirror C starts from the day's open-data files and follows the feed from the cursor their manifest records.
    await t.deps.openData.publish({ force: true });
    const manifest = (await t.deps.openData.manifest(today))!;
    const c = new Map<string, FeedEvent>();
    const KIND_OF: Record<string, FeedEvent['kind']> = { permits: 'permit', penalties: 'penalty', 'list-entries': 'list_entry', commitments: 'commitment' };
    for (const f of manifest.files.filter((x) => x.format === 'jsonl' && KIND_OF[x.dataset])) {
      const text = await readFile(path.join(t.deps.openData.dir, today, f.name), 'utf8');
      for (const line of text.split('\n').filter(Boolean)) {
        const row = JSON.parse(line) as Record<string, string>;
        const kind = KIND_OF[f.dataset]!;
        c.set(`${kind}:${row.ID}`, { kind, id: Number(row.ID), event: 'published', effectiveOn: today, payload: row } as FeedEvent);
      }
    }
    expect([...onlyOurs(mirrorView(c, today)).keys()].sort()).toEqual([...(await portalView()).keys()].sort());
    const b = new Map<string, FeedEvent>(
      snap.items.map((i) => [`${i.kind}:${i.id}`, { kind: i.kind, id: i.id, event: 'published', effectiveOn: today, payload: i.payload } as FeedEvent]),
    );
    expect(onlyOurs(mirrorView(a, today)).size).toBe(10);
    expect([...onlyOurs(mirrorView(a, today)).keys()].sort()).toEqual([...(await portalView()).keys()].sort());

    const clerk = sessionUser(seeded);
    const [withdrawn, repaired, expired, archived, corrected] = penalties as [number, number, number, number, number];
    await t.deps.publicity.withdraw('penalty', withdrawn, '决定书有误，撤回', clerk, null);
    // The approved repair's effect, as CaseRepository applies it.
    await t.deps.bulkPool.query(
      `UPDATE penalty SET repaired_at = now(), public_until = LEAST(public_until, $2::date - 1), is_public = false,
              left_publication_at = now(), left_reason = 'repaired', updated_at = now() WHERE id = $1`,
      [repaired, today],
    );
    // Two periods that ended yesterday: the nightly job takes them out; one is then archived (档案化申请 approved).
    await t.deps.bulkPool.query(`UPDATE penalty SET public_until = $2::date - 1 WHERE id = ANY($1::int[])`, [[expired, archived], today]);
    expect(await t.deps.publicity.expirePublicity()).toBeGreaterThanOrEqual(2);
    await t.deps.bulkPool.query(`UPDATE penalty SET archived_at = now(), archive_reason = 'requested' WHERE id = $1`, [archived]);
    // A correction of the same 文书号 is an update with the new public fields.
    const old = await t.deps.db.penalty.findUniqueOrThrow({ where: { id: corrected }, select: { documentNo: true } });
    await t.deps.publicity.saveOne(
      'penalty',
      recordSchema('penalty').parse(
        rawRecord('penalty', { subjectName: NAME, documentNo: old.documentNo, content: '警告，罚款人民币 3000 元', fineAmount: '0.3' }),
      ),
      clerk,
      null,
    );
    await t.deps.publicity.revoke('permit', permitId, { revokedOn: today, docNo: '新复决〔2026〕1号', reason: '复议撤销', knownOn: today }, clerk, null);
    const reviewer = { ...clerk, id: seeded.users.reviewer.id, username: 't-reviewer', role: 'reviewer' as const };
    await t.deps.lists.exit(entryId, '信用修复后退出', reviewer, null);
    const [broken, hidden, over] = commitments as [number, number, number];
    // A breach recorded: still public (for 5 years), with the 违诺 fields.
    await t.deps.commitmentRepo.updateFulfilment(
      broken,
      { fulfilment: '全部未履行', unfulfilledContent: '逾期未补齐材料', liabilityPursued: '已撤销许可' },
      today,
    );
    // 公开类型 changed to 特定范围内公开 (a correction): it leaves the public column.
    await t.deps.bulkPool.query(`UPDATE commitment SET disclosure = '特定范围内公开', updated_at = now() WHERE id = $1`, [hidden]);
    // A breach established 5 years and a day ago (Art. 19): its disclosure is over.
    await t.deps.bulkPool.query(
      `UPDATE commitment SET fulfilment = '部分履行', unfulfilled_content = '部分材料未补齐', liability_pursued = '已警示',
              breached_on = ($2::date - interval '60 months')::date - 1, updated_at = now() WHERE id = $1`,
      [over, today],
    );

    const rest = await readFeed(first.next);
    applyFeed(a, rest.events);
    const fromSnap = await readFeed(snap.cursor);
    applyFeed(b, fromSnap.events);
    expect(manifest.feedCursor).toMatch(/^\d+$/);
    applyFeed(c, (await readFeed(manifest.feedCursor!)).events);

    const portal = await portalView();
    const viewA = onlyOurs(mirrorView(a, today));
    const viewB = onlyOurs(mirrorView(b, today));
    expect([...viewA.keys()].sort()).toEqual([`commitment:${broken}`, `penalty:${corrected}`]);
    expect([...viewA.keys()].sort()).toEqual([...portal.keys()].sort());
    expect(viewB).toEqual(viewA);
    expect([...onlyOurs(mirrorView(c, today)).keys()].sort()).toEqual([...portal.keys()].sort());
    expect(viewA.get(`penalty:${corrected}`)?.content).toBe('警告，罚款人民币 3000 元');
    expect(portal.get(`penalty:${corrected}`)).toContain('警告，罚款人民币 3000 元');
    expect(viewA.get(`commitment:${broken}`)).toMatchObject({ fulfilment: '全部未履行', unfulfilledContent: '逾期未补齐材料', promisorCode: COMPANY_USCC });
    expect(portal.get(`commitment:${broken}`)).toContain('逾期未补齐材料');
    expect(rest.events.filter((e) => e.kind === 'commitment' && e.id === broken).map((e) => e.event)).toEqual(['updated']);

    // Every removal is a tombstone: kind, id, event, day, reason, and no personal data.
    const tomb = new Map(rest.events.filter((e) => !e.payload).map((e) => [`${e.kind}:${e.id}:${e.event}`, e]));
    for (const key of [
      `penalty:${withdrawn}:withdrawn`,
      `penalty:${repaired}:repaired`,
      `penalty:${expired}:expired`,
      `penalty:${archived}:expired`,
      `penalty:${archived}:archived`,
      `permit:${permitId}:revoked`,
      `list_entry:${entryId}:exited`,
      `commitment:${hidden}:withdrawn`,
      `commitment:${over}:archived`,
    ])
      expect(tomb.get(key), key).toMatchObject({ subjectKey: null, payload: null });
    expect(tomb.get(`penalty:${withdrawn}:withdrawn`)).toMatchObject({ effectiveOn: today, reason: '决定书有误，撤回' });
    expect(tomb.get(`penalty:${expired}:expired`)?.effectiveOn).toBe(today);
    expect(tomb.get(`commitment:${hidden}:withdrawn`)?.effectiveOn).toBe(today);
    // recorded today as not broken, so the past is not rewritten: it leaves today, not on the rule's earlier day
    expect(tomb.get(`commitment:${over}:archived`)?.effectiveOn).toBe(today);
    // The events are in cursor order and the cursor of the last one is the feed's current cursor.
    const cursors = [...first.events, ...rest.events].map((e) => BigInt(e.cursor));
    expect(cursors).toEqual([...cursors].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
    expect(await t.deps.publication.currentCursor()).toBe(rest.next);
  });

  it('marks 异议处理中 while an objection is handled, as the record pages do, and drops the mark when it is settled', async () => {
    const clerk = sessionUser(seeded);
    const pen = await t.deps.publicity.saveOne('penalty', recordSchema('penalty').parse(rawRecord('penalty', { subjectName: NAME })), clerk, null);
    const per = await t.deps.publicity.saveOne('permit', recordSchema('permit').parse(rawRecord('permit', { subjectName: NAME })), clerk, null);
    if (!pen.ok || !per.ok) throw new Error('records not saved');
    const items = [
      { key: `penalty:${pen.id}`, page: `/publicity/penalties/${pen.id}`, target: { penaltyId: pen.id } },
      { key: `permit:${per.id}`, page: `/publicity/permits/${per.id}`, target: { permitId: per.id } },
      { key: `commitment:${commitments[0]}`, page: `/commitments/${commitments[0]}`, target: { commitmentId: commitments[0] } },
    ];
    const mirror = new Map<string, FeedEvent>();
    let cursor = '0';
    /** The feed since the last call, applied to the mirror: each item's mark there and on its public page. */
    const marks = async () => {
      const { events, next } = await readFeed(cursor, 1000);
      cursor = next;
      applyFeed(mirror, events);
      const out: { key: string; feed: boolean; page: boolean; events: number }[] = [];
      for (const i of items) {
        const page = await request(t.app).get(i.page);
        expect(page.status, i.page).toBe(200);
        out.push({
          key: i.key,
          feed: mirror.get(i.key)?.payload?.objectionPending === true,
          page: page.text.includes('data-qa="objection-pending"'),
          events: events.filter((e) => `${e.kind}:${e.id}` === i.key).length,
        });
      }
      return out;
    };
    for (const m of await marks()) expect(m, m.key).toMatchObject({ feed: false, page: false });

    const opened = [];
    for (const [n, i] of items.entries()) {
      opened.push(
        await t.deps.db.objection.create({
          data: {
            caseNo: `YYMARK${Date.now()}${n}`,
            ...i.target,
            departmentId: seeded.departmentId,
            subjectName: NAME,
            subjectCode: COMPANY_USCC,
            applicantName: '张三',
            phone: '13800000000',
            reason: '记录有误',
            acceptBy: new Date(`${day(3)}T00:00:00Z`),
          },
        }),
      );
    }
    for (const m of await marks()) expect(m, m.key).toMatchObject({ feed: true, page: true, events: 1 });
    const updated = (await readFeed('0', 1000)).events.filter((e) => e.event === 'updated' && e.payload?.objectionPending === true);
    expect(updated.map((e) => `${e.kind}:${e.id}`).sort()).toEqual(items.map((i) => i.key).sort());

    // forwarded to the department: still being handled, nothing new to tell
    await t.deps.db.objection.updateMany({ where: { id: { in: opened.map((o) => o.id) } }, data: { status: 'accepted' } });
    for (const m of await marks()) expect(m, m.key).toMatchObject({ feed: true, page: true, events: 0 });

    await t.deps.db.objection.updateMany({ where: { id: { in: opened.map((o) => o.id) } }, data: { status: 'upheld', settledAt: new Date() } });
    for (const m of await marks()) expect(m, m.key).toMatchObject({ feed: false, page: false, events: 1 });
  });

  it('never carries a natural person’s ID number: it is masked as on the public pages', async () => {
    const clerk = sessionUser(seeded);
    const saved = await t.deps.publicity.saveOne(
      'penalty',
      recordSchema('penalty').parse(
        rawRecord('penalty', {
          subjectName: '张三',
          subjectCategory: '自然人',
          uscc: '',
          legalRepresentative: '',
          docType: '身份证',
          docNumber: '410702199003071233',
        }),
      ),
      clerk,
      null,
    );
    expect(saved.ok).toBe(true);
    const { events } = await readFeed('0', 1000);
    const mine = events.filter((e) => e.kind === 'penalty' && saved.ok && e.id === saved.id);
    expect(mine.length).toBeGreaterThan(0);
    const text = JSON.stringify(mine);
    expect(text).not.toContain('410702199003071233');
    expect(mine[0]).toMatchObject({ subjectKey: null, payload: { docNumber: '410702********1233' } });
  });

  it('answers bad parameters with 400 and a Chinese message, and limits each IP', async () => {
    for (const q of ['', '?since=abc', '?since=-1', '?since=0&limit=0', '?since=0&limit=1001', '?since=0&limit=x', '?since=1&since=2']) {
      const res = await request(t.app).get(`/api/v1/public/changes${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.reason, q).toMatch(/[\u4e00-\u9fff]/);
    }
    // Counters live in PostgreSQL and are shared by every app on the database: start this IP's budget afresh.
    await t.deps.db.rateLimit.deleteMany({ where: { key: { startsWith: 'changes-feed:' } } });
    const limited = createApp(t.deps, { env: 'test', sessionSecret: 'test-secret-test-secret-test-secret-0123', feedLimit: { windowMs: 60_000, limit: 2 } });
    expect((await request(limited).get('/api/v1/public/changes?since=0')).status).toBe(200);
    expect((await request(limited).get('/api/v1/public/changes?since=0')).status).toBe(200);
    const over = await request(limited).get('/api/v1/public/changes?since=0');
    expect(over.status).toBe(429);
    expect(over.body.error).toBe('调用过于频繁，请稍后再试');
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await request(t.app).get('/api/v1/openapi.json')).body;
    expect(doc.paths['/public/changes'].get.parameters.map((p: { name: string }) => p.name)).toEqual(['since', 'limit']);
    expect(doc.paths['/subjects/{code}/credit-check'].get.parameters.map((p: { name: string }) => p.name)).toContain('asOf');
  });
});

describe('the credit check as of a day', () => {
  let apiKey = '';
  beforeAll(async () => {
    const admin = await signIn(t.app, 't-admin');
    const keys = await admin.get('/admin/api-keys');
    const made = await admin
      .post('/admin/api-keys')
      .type('form')
      .send({ departmentId: String(seeded.departmentId), name: '招投标系统', _csrf: csrfFrom(keys.text) });
    apiKey = /data-qa="api-key">([^<]+)</.exec(made.text)?.[1] ?? '';
  });

  it('refuses a malformed day, a future day and a day before the history starts, with 400', async () => {
    const start = await t.deps.publication.historyStart();
    for (const [asOf, text] of [
      ['2026-13-01', '有效日期'],
      ['yesterday', '有效日期'],
      [day(1), '不能晚于今天'],
      [day(-3650), `自 ${start} 起`],
    ] as const) {
      const res = await request(t.app).get(`/api/v1/subjects/${COMPANY_USCC}/credit-check?asOf=${asOf}`).set('Authorization', `Bearer ${apiKey}`);
      expect(res.status, asOf).toBe(400);
      expect(res.body.reason, asOf).toContain(text);
    }
  });

  it('answers today with asOf and the same fields', async () => {
    const res = await request(t.app).get(`/api/v1/subjects/${COMPANY_USCC}/credit-check?asOf=${day()}`).set('Authorization', `Bearer ${apiKey}`);
    expect(res.status).toBe(200);
    expect(res.body.asOf).toBe(day());
  });

  it('on the back-office form: a bad day is a field error beside any codes error; a valid day prints 「截至」 on the page and the PDF', async () => {
    const clerk = await signIn(t.app, 't-clerk');
    const form = await clerk.get('/admin/credit-check');
    const bad = await clerk
      .post('/admin/credit-check')
      .type('form')
      .send({ codes: '', asOf: day(2), _csrf: csrfFrom(form.text) });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('href="#asOf"');
    expect(bad.text).toContain('href="#codes"');
    expect(bad.text).toContain('核查日期不能晚于今天');

    const asOf = day();
    const run = await clerk
      .post('/admin/credit-check')
      .type('form')
      .send({ codes: COMPANY_USCC, asOf, purpose: '历史核查', _csrf: csrfFrom(form.text) });
    expect(run.status).toBe(303);
    const label = `截至 ${asOf.slice(0, 4)}年${asOf.slice(5, 7)}月${asOf.slice(8, 10)}日`;
    expect((await clerk.get(run.headers.location!)).text).toContain(label);
    const pdf = await binary(clerk.get(`${run.headers.location!}/report.pdf`));
    const parser = new PDFParse({ data: new Uint8Array(pdf.body as Buffer) });
    try {
      expect((await parser.getText()).text.replace(/\s+/g, '')).toContain(label.replace(/\s+/g, ''));
    } finally {
      await parser.destroy();
    }
  });
});
