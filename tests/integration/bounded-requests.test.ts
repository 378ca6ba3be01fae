import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpServer } from '../../src/platform/http-server.js';
import { NARROW_SEARCH } from '../../src/platform/params.js';
import { createTestApp, csrfFrom, seedUsers, signIn, type TestApp, sessionUser } from '../helpers/app.js';
import { rawRecord } from '../helpers/records.js';
import { recordSchema } from '../../src/domain/publicity/schemas.js';

/** Issue #12: what a request may cost is bounded (pages, statement time, request size), and typed LIKE wildcards match only themselves. */

let t: TestApp;
const PENALTY_NAME = '新乡市有界查询测试有限公司';

beforeAll(async () => {
  // A short statement timeout, so a statement blocked behind a lock is cancelled quickly.
  t = await createTestApp({ statementTimeoutMs: 300 });
  const seeded = await seedUsers(t.deps);
  const clerk = sessionUser(seeded);
  const reviewer = { ...clerk, id: seeded.users.reviewer.id, username: 't-reviewer', role: 'reviewer' as const };
  const saved = await t.deps.publicity.saveOne('penalty', recordSchema('penalty').parse({ ...rawRecord('penalty'), subjectName: PENALTY_NAME }), clerk, null);
  if (!saved.ok) throw new Error('could not create a test penalty');
  const commitment = (code: string, promisorName: string) =>
    t.deps.db.commitment.create({
      data: {
        code,
        promisorName,
        promisorCategory: 'legal',
        promisorCode: '91410700174608534E',
        commitmentType: '其他',
        matter: 'm',
        content: 'c',
        liability: 'l',
        madeOn: new Date('2026-01-01'),
        disclosure: '可向社会公开',
        departmentId: seeded.departmentId,
        createdById: seeded.users.clerk.id,
      },
    });
  await commitment('41070020260101000001', '新乡市普通承诺有限公司');
  await commitment('41070020260101000002', '新乡市百分%承诺有限公司');
  const n = await t.deps.lists.nominate(
    {
      listType: 'black',
      subjectCategory: 'legal',
      subjectName: '新乡市黑名单测试有限公司',
      uscc: '91410700174608534E',
      docType: null,
      docNumber: null,
      basisDocNo: '文号',
      basisAuthority: '单位',
      basisDate: '2026-01-01',
      reason: '事由',
      validUntil: '2030-01-01',
    },
    clerk,
    null,
  );
  await t.deps.lists.review(n, 'accept', undefined, reviewer, null);
  await t.deps.lists.servePriorNotice(
    n,
    { noticeNo: '新告〔2020〕1号', measures: '限制参与政府采购和招投标', servedOn: '2020-01-06', objectionDays: 7 },
    reviewer,
    null,
  );
  const issue = await t.deps.lists.createIssue(2026, 1, reviewer, null);
  await t.deps.lists.addEntries(issue, [n], reviewer, null);
  await t.deps.lists.publish(issue, reviewer, null);
});
afterAll(async () => t?.close());

describe('page bounds', () => {
  it('a public list stops at page 50 (1,000 records) with 「请缩小查询范围…」', async () => {
    for (const base of ['/publicity/penalties', '/publicity/permits', '/commitments', '/policies']) {
      expect((await request(t.app).get(`${base}?page=50`)).status, base).toBe(200);
      const res = await request(t.app).get(`${base}?page=51`);
      expect(res.status, base).toBe(400);
      expect(res.text, base).toContain(NARROW_SEARCH);
    }
    const search = await request(t.app).get('/search?q=%E6%9C%89%E9%99%90&page=51');
    expect(search.status).toBe(400);
    expect(search.text).toContain(NARROW_SEARCH);
  });

  it('a back-office list stops at page 500', async () => {
    const admin = await signIn(t.app, 't-admin');
    const clerk = await signIn(t.app, 't-clerk');
    for (const [agent, base] of [
      [clerk, '/admin/penalties'],
      [clerk, '/admin/imports'],
      [admin, '/admin/audit'],
    ] as const) {
      expect((await agent.get(`${base}?page=500`)).status, base).toBe(200);
      const res = await agent.get(`${base}?page=501`);
      expect(res.status, base).toBe(400);
      expect(res.text, base).toContain(NARROW_SEARCH);
    }
  });

  it('department and county ids above 2^31-1, repeated and bracketed parameters are a 400', async () => {
    for (const url of [
      '/publicity/penalties?dept=2147483648',
      '/publicity/penalties?county=99999999999',
      '/commitments?dept=2147483648',
      '/publicity/penalties?from=2026-01-01&from=2026-02-01',
      '/commitments?q[]=a',
      '/search?q=a&q=b',
    ]) {
      const res = await request(t.app).get(url);
      expect(res.status, url).toBe(400);
    }
    const repeated = await request(t.app).get('/search?q=a&q=b');
    expect(repeated.text).toContain('查询参数无效：');
    expect((await request(t.app).get('/publicity/penalties?dept=2147483647')).status).toBe(200);
  });

  it('a path id out of range is a 404 page, not a database error', async () => {
    for (const url of ['/publicity/penalties/2147483648', '/commitments/99999999999', '/lists/0', '/articles/-1']) {
      const res = await request(t.app).get(url);
      expect(res.status, url).toBe(404);
      expect(res.text).toContain('不存在');
    }
  });
});

describe('control characters typed into a form', () => {
  it('are refused field by field with a Chinese message, and what was typed stays in the form', async () => {
    const admin = await signIn(t.app, 't-admin');
    const token = csrfFrom((await admin.get('/admin/users/new')).text);
    const res = await admin
      .post('/admin/users')
      .type('form')
      .send(`_csrf=${encodeURIComponent(token)}&username=bad%00name&displayName=${encodeURIComponent('保留的姓名')}&role=clerk`);
    expect(res.status).toBe(400);
    expect(res.text).toContain('不能包含控制字符');
    expect(res.text).toContain('保留的姓名');
    expect(await t.deps.db.user.count({ where: { displayName: '保留的姓名' } })).toBe(0);
  });

  it('a NUL in a query text parameter is a 400 「查询参数无效」', async () => {
    for (const url of ['/search?q=a%00b', '/commitments?q=%00', '/lists/black?q=%00']) {
      const res = await request(t.app).get(url);
      expect(res.status, url).toBe(400);
      expect(res.text, url).toContain('查询参数无效');
    }
  });
});

describe('statement timeout', () => {
  it('the request-serving pools have the timeout, the bulk pools none', async () => {
    expect((await t.deps.pool.query('SHOW statement_timeout')).rows[0].statement_timeout).toBe('300ms');
    expect((await t.deps.db.$queryRawUnsafe<{ statement_timeout: string }[]>('SHOW statement_timeout'))[0]!.statement_timeout).toBe('300ms');
    expect((await t.deps.bulkPool.query('SHOW statement_timeout')).rows[0].statement_timeout).toBe('0');
    expect((await t.deps.bulkDb.$queryRawUnsafe<{ statement_timeout: string }[]>('SHOW statement_timeout'))[0]!.statement_timeout).toBe('0');
  });

  // PostgreSQL's own timers do not fire under libfaketime (scripts/test-at.sh sets FAKE_CLOCK): the lock would be held
  // for ever. Nothing here depends on the calendar.
  it.skipIf(process.env.FAKE_CLOCK)('a public read past the timeout is a 503 with Retry-After and 「查询耗时过长…」', async () => {
    // Another session holds the table: the page's statement waits until statement_timeout cancels it (57014).
    const locker = new pg.Client({ connectionString: t.database.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE commitment IN ACCESS EXCLUSIVE MODE');
      const res = await request(t.app).get('/commitments');
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('10');
      expect(res.text).toContain('查询耗时过长，请缩小查询范围后重试');
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    expect((await request(t.app).get('/commitments')).status).toBe(200);
  });
});

describe('requests node cannot parse', () => {
  let server: http.Server;
  let port: number;
  beforeAll(async () => {
    server = createHttpServer(t.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())));

  const get = (path: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path, headers }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode!, body }));
        })
        .on('error', reject);
    });

  it('an 18,000-byte query string is a 431 with a Chinese page, not an empty body', async () => {
    const res = await get(`/search?q=${'a'.repeat(18_000)}`);
    expect(res.status).toBe(431);
    expect(res.body).toContain('请求头过大');
  });

  it('oversized headers are a 431 too', async () => {
    const res = await get('/', { 'X-Padding': 'x'.repeat(20_000) });
    expect(res.status).toBe(431);
    expect(res.body).toContain('请求头过大');
  });

  it('a malformed request line is a 400 with a Chinese page', async () => {
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.write('NOT A REQUEST\r\n\r\n'));
      let data = '';
      socket.setEncoding('utf8');
      socket.on('data', (c: string) => (data += c));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    expect(raw).toContain('请求格式有误');
  });

  it('an ordinary request still reaches the app', async () => {
    expect((await get('/search?q=%E6%9C%89%E9%99%90')).status).toBe(200);
  });
});

describe('LIKE wildcards typed into a filter match only themselves', () => {
  it('/commitments?q=% lists only the commitment whose name holds a %', async () => {
    const res = await request(t.app).get('/commitments?q=%25');
    expect(res.status).toBe(200);
    expect(res.text).toContain('新乡市百分%承诺有限公司');
    expect(res.text).not.toContain('新乡市普通承诺有限公司');
    const underscore = await request(t.app).get('/commitments?q=_');
    expect(underscore.text).not.toContain('新乡市普通承诺有限公司');
    expect(underscore.text).not.toContain('新乡市百分%承诺有限公司');
    // the plain search still works
    expect((await request(t.app).get('/commitments?q=%E6%99%AE%E9%80%9A')).text).toContain('新乡市普通承诺有限公司');
  });

  it('/lists/black?q=% lists nothing', async () => {
    expect((await request(t.app).get('/lists/black')).text).toContain('新乡市黑名单测试有限公司');
    for (const q of ['%25', '_', '%5C']) {
      const res = await request(t.app).get(`/lists/black?q=${q}`);
      expect(res.status).toBe(200);
      expect(res.text, q).not.toContain('新乡市黑名单测试有限公司');
    }
  });

  it('/admin/penalties?q=% and /admin/audit?user=% list nothing', async () => {
    const clerk = await signIn(t.app, 't-clerk');
    expect((await clerk.get('/admin/penalties')).text).toContain(PENALTY_NAME);
    for (const q of ['%25', '_']) {
      const res = await clerk.get(`/admin/penalties?q=${q}`);
      expect(res.status).toBe(200);
      expect(res.text, q).not.toContain(PENALTY_NAME);
    }
    const admin = await signIn(t.app, 't-admin');
    expect((await admin.get('/admin/audit')).text).toContain('t-clerk');
    for (const q of ['%25', '_', 't%25']) {
      const res = await admin.get(`/admin/audit?user=${q}`);
      expect(res.status).toBe(200);
      expect(res.text, q).not.toContain('t-clerk');
    }
    expect((await admin.get('/admin/audit?user=t-cl')).text).toContain('t-clerk');
  });

  it('the public 双公示 keyword % finds nothing either', async () => {
    const res = await request(t.app).get('/publicity/penalties?q=%25');
    expect(res.status).toBe(200);
    expect(res.text).not.toContain(PENALTY_NAME);
  });
});
