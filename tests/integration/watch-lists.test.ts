import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, csrfFrom, seedUsers, sessionUser, signIn, TEST_PASSWORD, type TestApp } from '../helpers/app.js';
import { COMPANY_USCC, rawRecord } from '../helpers/records.js';
import { orgCodeCheckChar, usccCheckChar } from '../../src/domain/identifiers.js';
import { hashPassword } from '../../src/platform/passwords.js';
import { newApiKey } from '../../src/features/api/keys.js';
import { sha256 } from '../../src/features/watch-lists/snapshot.js';
import { verify, BACKOFF_MS } from '../../src/features/watch-lists/webhook.js';
import { writeXlsx } from '../helpers/xlsx-build.js';

/** A valid USCC of a Xinxiang company whose organisation code is MA + `n` (6 digits). */
function uscc(n: number): string {
  const org8 = `MA${String(n).padStart(6, '0')}`;
  const body = `91410700${org8}${orgCodeCheckChar(org8)}`;
  return body + usccCheckChar(body);
}

const UNWATCHED = uscc(900001);
const OTHER = uscc(900002);

let t: TestApp;
let seeded: Awaited<ReturnType<typeof seedUsers>>;
let clerk: Awaited<ReturnType<typeof signIn>>;
let otherClerk: Awaited<ReturnType<typeof signIn>>;
let reviewer: Awaited<ReturnType<typeof signIn>>;
let listId: number;

/** What the webhook receiver in this test got, and what it answers next. */
const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
let answer = 500;
let server: Server;
let hookUrl = '';

beforeAll(async () => {
  t = await createTestApp({ allowLoopbackWebhooks: true });
  seeded = await seedUsers(t.deps);
  await t.deps.db.user.create({
    data: {
      username: 'eco-clerk',
      displayName: '环境局填报员',
      role: 'clerk',
      departmentId: seeded.otherDepartmentId,
      passwordHash: await hashPassword(TEST_PASSWORD),
    },
  });
  clerk = await signIn(t.app, 't-clerk');
  otherClerk = await signIn(t.app, 'eco-clerk');
  reviewer = await signIn(t.app, 't-reviewer');
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = answer;
      res.end(answer === 200 ? 'ok' : 'x'.repeat(5000));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await t.close();
});

async function penalty(over: Record<string, string> = {}): Promise<number> {
  const ct = csrfFrom((await clerk.get('/admin/penalties/new')).text);
  const res = await clerk
    .post('/admin/penalties')
    .type('form')
    .send({ ...rawRecord('penalty', over), _csrf: ct });
  expect(res.status, res.text.slice(0, 300)).toBe(303);
  return Number(/\/(\d+)$/.exec(res.headers.location ?? '')?.[1]);
}

async function createList(agent: typeof clerk, fields: Record<string, string>, file?: { buffer: Buffer; name: string }) {
  const token = csrfFrom((await agent.get('/admin/watch-lists')).text);
  const req = agent.post('/admin/watch-lists').field('_csrf', token).field(fields);
  return file ? req.attach('file', file.buffer, file.name) : req;
}

describe('关注名单 and 「关注动态」', () => {
  it('a clerk creates a list by typing codes; a new penalty of a watched subject becomes a notice with its evidence', async () => {
    const res = await createList(clerk, { name: '重点监管企业', codes: `${COMPANY_USCC}、${OTHER}\n` });
    expect(res.status, res.text.slice(0, 500)).toBe(303);
    listId = Number(/\/(\d+)$/.exec(res.headers.location ?? '')?.[1]);
    expect(await t.deps.watchRepo.codes(listId)).toEqual([COMPANY_USCC, OTHER].sort());
    // The baseline: the first snapshot of each code, no notice.
    await t.deps.watch.scan();
    expect(await t.deps.db.watchSnapshot.count()).toBe(2);
    expect(await t.deps.db.watchNotice.count()).toBe(0);

    await penalty({ documentNo: '新市监罚〔2026〕801号', violationType: '销售不合格食品' });
    await penalty({ uscc: UNWATCHED, subjectName: '新乡市未关注有限公司', documentNo: '新市监罚〔2026〕802号' });
    // The scan the list's creation queued may run before or after this one; they run one at a time, so either way
    // the change is found once.
    await t.deps.watch.scan();

    const notices = await t.deps.db.watchNotice.findMany();
    expect(notices).toHaveLength(1);
    const n = notices[0]!;
    expect(n).toMatchObject({ listId, uscc: COMPANY_USCC, types: ['新增处罚'], readAt: null });
    expect(JSON.stringify(n.changes)).toContain('新市监罚〔2026〕801号');
    // The evidence: the hash of exactly what the snapshot (and the evidence row) holds.
    const snap = await t.deps.db.watchSnapshot.findUniqueOrThrow({ where: { uscc: COMPANY_USCC } });
    expect(n.evidenceHash).toBe(sha256(snap.content));
    expect(snap.hash).toBe(n.evidenceHash);
    const evidence = await t.deps.db.watchEvidence.findUniqueOrThrow({ where: { hash: n.evidenceHash } });
    expect(sha256(evidence.content)).toBe(n.evidenceHash);
    expect(evidence.content).toContain('销售不合格食品');
    // The unwatched subject got no snapshot and no notice.
    expect(await t.deps.db.watchSnapshot.findUnique({ where: { uscc: UNWATCHED } })).toBeNull();

    // A second scan with nothing new adds nothing.
    expect(await t.deps.watch.scan()).toMatchObject({ changed: 0 });

    const inbox = await clerk.get('/admin/watch-notices');
    expect(inbox.status).toBe(200);
    expect(inbox.text).toContain('新增处罚');
    expect(inbox.text).toContain(n.evidenceHash.slice(0, 15));
    expect(inbox.text).toMatch(/关注动态（1 条未读）/);
    const detail = await clerk.get(`/admin/watch-notices/${n.id}`);
    expect(detail.text).toContain(n.evidenceHash);
    // The credit office sees every department's notices.
    expect((await reviewer.get('/admin/watch-notices')).text).toContain(`/admin/watch-notices/${n.id}`);
  });

  it('another department sees neither the list nor its notices', async () => {
    const n = await t.deps.db.watchNotice.findFirstOrThrow();
    expect((await otherClerk.get(`/admin/watch-lists/${listId}`)).status).toBe(403);
    expect((await otherClerk.get(`/admin/watch-notices/${n.id}`)).status).toBe(403);
    const inbox = await otherClerk.get('/admin/watch-notices');
    expect(inbox.status).toBe(200);
    expect(inbox.text).not.toContain(`/admin/watch-notices/${n.id}`);
    expect((await otherClerk.get('/admin/watch-lists')).text).not.toContain(`/admin/watch-lists/${listId}"`);
    // Marking it read from the other department touches nothing.
    const token = csrfFrom(inbox.text);
    await otherClerk
      .post('/admin/watch-notices/read')
      .type('form')
      .send({ ids: String(n.id), _csrf: token });
    expect((await t.deps.db.watchNotice.findUniqueOrThrow({ where: { id: n.id } })).readAt).toBeNull();
    // Nor can it add codes to it.
    const add = await otherClerk.post(`/admin/watch-lists/${listId}/codes`).field('_csrf', token).field('codes', UNWATCHED);
    expect(add.status).toBe(403);
  });

  it('a withdrawn penalty of a watched subject is a 撤销或撤回 notice; mark as read works', async () => {
    const id = await penalty({ documentNo: '新市监罚〔2026〕803号' });
    await t.deps.watch.scan();
    await t.deps.publicity.withdraw('penalty', id, '文书号填写错误', sessionUser(seeded), null);
    await t.deps.watch.scan();
    const latest = await t.deps.db.watchNotice.findFirstOrThrow({ orderBy: { id: 'desc' } });
    expect(latest.types).toEqual(['撤销或撤回']);
    expect(JSON.stringify(latest.changes)).toContain('新市监罚〔2026〕803号');

    const filtered = await clerk.get('/admin/watch-notices?type=撤销或撤回');
    expect(filtered.text).toContain(`/admin/watch-notices/${latest.id}`);
    expect(filtered.text).not.toContain('新市监罚〔2026〕801号');
    const token = csrfFrom(filtered.text);
    const read = await clerk
      .post('/admin/watch-notices/read')
      .type('form')
      .send({ ids: String(latest.id), _csrf: token });
    expect(read.status).toBe(303);
    expect((await t.deps.db.watchNotice.findUniqueOrThrow({ where: { id: latest.id } })).readAt).not.toBeNull();
    // A filter value that is not a change type is a 400 with the form, not a 500.
    expect((await clerk.get('/admin/watch-notices?type=nonsense')).status).toBe(400);
    // Without a CSRF token the POST is refused.
    expect((await clerk.post('/admin/watch-notices/read').type('form').send({ all: '1' })).status).toBe(403);
  });

  it('bad codes are reported with their line numbers and nothing is written', async () => {
    const bad = `${uscc(1)}\n${uscc(2).slice(0, 17)}0\n`;
    const res = await createList(clerk, { name: '有误的名单', codes: bad });
    expect(res.status).toBe(400);
    expect(res.text).toContain('第 2 行');
    expect(res.text).toContain('校验');
    expect(await t.deps.db.watchList.count({ where: { name: '有误的名单' } })).toBe(0);
  });

  it('10,001 codes are refused with a Chinese message', async () => {
    const codes = Array.from({ length: 10_001 }, (_, i) => uscc(i + 1)).join('\n');
    const res = await createList(clerk, { name: '过大的名单' }, { buffer: Buffer.from(`统一社会信用代码\n${codes}\n`), name: 'codes.csv' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('每个关注名单最多 10,000 个代码');
    expect(await t.deps.db.watchList.count({ where: { name: '过大的名单' } })).toBe(0);
  });

  it('a GBK CSV from Excel is read', async () => {
    const csv = iconv.encode(`统一社会信用代码,企业名称\r\n${uscc(11)},新乡市甲有限公司\r\n${uscc(12)},新乡市乙有限公司\r\n`, 'gbk');
    const res = await createList(clerk, { name: 'GBK名单' }, { buffer: csv, name: '名单.csv' });
    expect(res.status, res.text.slice(0, 800)).toBe(303);
    const list = await t.deps.db.watchList.findFirstOrThrow({ where: { name: 'GBK名单' } });
    expect(await t.deps.watchRepo.codes(list.id)).toEqual([uscc(11), uscc(12)].sort());
  });

  it('an XLSX (Excel layout) is read from its first column; a bad row is named by its Excel row number', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'watch-xlsx-'));
    try {
      const file = path.join(dir, 'codes.xlsx');
      await writeXlsx(
        file,
        [
          ['统一社会信用代码', '名称'],
          [uscc(21), '甲'],
          [`${uscc(22).slice(0, 17)}0`, '乙'],
        ],
        'shared',
      );
      const bad = await createList(clerk, { name: 'XLSX名单' }, { buffer: await readFile(file), name: '名单.xlsx' });
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('第 3 行');
      await writeXlsx(file, [['统一社会信用代码'], [uscc(21)], [uscc(22)]], 'inline');
      const ok = await createList(clerk, { name: 'XLSX名单' }, { buffer: await readFile(file), name: '名单.xlsx' });
      expect(ok.status, ok.text.slice(0, 500)).toBe(303);
      const list = await t.deps.db.watchList.findFirstOrThrow({ where: { name: 'XLSX名单' } });
      expect(await t.deps.watchRepo.codes(list.id)).toEqual([uscc(21), uscc(22)].sort());
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('API keys: watch lists and signed webhooks', () => {
  let key = '';
  let secret = '';
  let keyId = 0;

  beforeAll(async () => {
    const k = newApiKey();
    key = k.key;
    keyId = await t.deps.api.createKey({
      departmentId: seeded.departmentId,
      name: '招投标系统',
      prefix: k.prefix,
      hash: k.hash,
      createdById: seeded.users.admin.id,
    });
  });

  it('PUT/GET /api/v1/watchlists/:name and PUT /api/v1/webhook', async () => {
    const auth = { authorization: `Bearer ${key}` };
    const name = encodeURIComponent('招投标');
    const bad = await request(t.app)
      .put(`/api/v1/watchlists/${name}`)
      .set(auth)
      .send({ codes: [COMPANY_USCC, '91410700ABCDEFGHIJ'] });
    expect(bad.status).toBe(400);
    expect(bad.body.details[0]).toContain('第 2 个代码');
    const put = await request(t.app)
      .put(`/api/v1/watchlists/${name}`)
      .set(auth)
      .send({ codes: [COMPANY_USCC] });
    expect(put.status).toBe(201);
    const got = await request(t.app).get(`/api/v1/watchlists/${name}`).set(auth);
    expect(got.body).toEqual({ name: '招投标', codes: [COMPANY_USCC] });
    expect((await request(t.app).put('/api/v1/webhook').set(auth).send({ url: 'ftp://example.com/x' })).status).toBe(400);
    const hook = await request(t.app).put('/api/v1/webhook').set(auth).send({ url: hookUrl });
    expect(hook.status).toBe(200);
    secret = hook.body.secret;
    expect(secret).toMatch(/^whsec_/);
    expect((await request(t.app).get('/api/v1/watchlists/x').set({ authorization: 'Bearer nope' })).status).toBe(401);
    const openapi = await request(t.app).get('/api/v1/openapi.json');
    expect(Object.keys(openapi.body.paths)).toEqual(expect.arrayContaining(['/watchlists/{name}', '/webhook', '/notices']));
  });

  it('a change is POSTed signed; a 500 is retried with backoff and the delivery log shows the attempts', async () => {
    await t.deps.watch.scan();
    await penalty({ documentNo: '新市监罚〔2026〕804号' });
    await t.deps.watch.scan();
    const delivery = await t.deps.db.webhookDelivery.findFirstOrThrow();
    expect(delivery).toMatchObject({ apiKeyId: keyId, status: 'pending', attempts: 0 });

    const t0 = new Date();
    answer = 500;
    expect(await t.deps.watch.deliverDue(t0)).toMatchObject({ failed: 1 });
    let d = await t.deps.db.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } });
    expect(d).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: 500, lastError: 'HTTP 500' });
    expect(d.nextAttemptAt!.getTime()).toBe(t0.getTime() + BACKOFF_MS[0]!);
    // Only an excerpt of the answer is kept.
    expect(d.responseExcerpt!.length).toBeLessThanOrEqual(300);
    // Not due yet a second later: nothing is sent.
    expect(await t.deps.watch.deliverDue(new Date(t0.getTime() + 1000))).toMatchObject({ delivered: 0, failed: 0 });
    expect(received).toHaveLength(1);

    answer = 200;
    expect(await t.deps.watch.deliverDue(new Date(t0.getTime() + BACKOFF_MS[0]! + 1))).toMatchObject({ delivered: 1 });
    d = await t.deps.db.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } });
    expect(d).toMatchObject({ status: 'delivered', attempts: 2, lastStatusCode: 200 });

    // What the receiver got: the same body twice, signed with the secret, with the delivery id and a timestamp.
    expect(received).toHaveLength(2);
    for (const r of received) {
      expect(verify(secret, r.body, String(r.headers['x-signature']))).toBe(true);
      expect(r.headers['x-delivery-id']).toBe(delivery.id);
      expect(String(r.headers['x-timestamp'])).toMatch(/^\d{10}$/);
    }
    expect(verify('whsec_wrong', received[0]!.body, String(received[0]!.headers['x-signature']))).toBe(false);
    const payload = JSON.parse(received[0]!.body);
    expect(payload.notice).toMatchObject({ uscc: COMPANY_USCC, types: ['新增处罚'] });
    expect(payload.watchList).toBe('招投标');

    const admin = await signIn(t.app, 't-admin');
    const log = await admin.get(`/admin/api-keys/${keyId}/deliveries`);
    expect(log.status).toBe(200);
    expect(log.text).toContain('已送达');
    expect(log.text).toContain(hookUrl);
    // A clerk may not read the delivery log.
    expect((await clerk.get(`/admin/api-keys/${keyId}/deliveries`)).status).toBe(403);
  });

  it('a receiver that keeps failing is given up after the last backoff', async () => {
    await penalty({ documentNo: '新市监罚〔2026〕805号' });
    await t.deps.watch.scan();
    const delivery = await t.deps.db.webhookDelivery.findFirstOrThrow({ where: { status: 'pending' } });
    answer = 503;
    let now = Date.now();
    for (let i = 0; i < BACKOFF_MS.length + 1; i++) {
      await t.deps.watch.deliverDue(new Date(now));
      now += (BACKOFF_MS[i] ?? 0) + 1;
    }
    const d = await t.deps.db.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } });
    expect(d).toMatchObject({ status: 'failed', attempts: BACKOFF_MS.length + 1, lastStatusCode: 503, nextAttemptAt: null });
  });
});
