import type pg from 'pg';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ProfileService } from '../../src/features/subjects/profile.js';
import { ProfileRepository } from '../../src/features/subjects/profile-repository.js';
import { SearchRepository, searchGrams, selectGrams } from '../../src/features/search/repository.js';
import { seedDemo } from '../../src/seed/subjects.js';
import { DEMO_NATURAL_PERSONS, DEMO_SUBJECTS } from '../../src/seed/demo-subjects.js';
import { usccCheckChar } from '../../src/domain/identifiers.js';
import { createTestApp, seedUsers, signIn, csrfFrom, lookUpPerson, type TestApp } from '../helpers/app.js';
import { rawRecord } from '../helpers/records.js';
import { day } from '../helpers/dates.js';
import { PublicFields } from '../../src/features/catalogue/service.js';

let t: TestApp;
const company = DEMO_SUBJECTS.find((s) => s.orgCode && s.regNo)!;
const person = DEMO_NATURAL_PERSONS[0]!;

beforeAll(async () => {
  t = await createTestApp({ personLimit: { windowMs: 60_000, limit: 1000 } });
  await seedDemo(t.deps.db, { legalPersons: 200, naturalPersons: 20 });
  await seedUsers(t.deps);
  const clerk = await signIn(t.app, 't-clerk');
  const token = csrfFrom((await clerk.get('/admin/penalties/new')).text);
  const post = (kind: 'permits' | 'penalties', body: Record<string, string>) =>
    clerk
      .post(`/admin/${kind}`)
      .type('form')
      .send({ ...body, _csrf: token });
  for (let i = 1; i <= 3; i++)
    await post('penalties', rawRecord('penalty', { documentNo: `查询罚〔2026〕${i}号`, uscc: company.uscc!, subjectName: company.name }));
  await post('permits', rawRecord('permit', { documentNo: '查询许〔2026〕1号', uscc: company.uscc!, subjectName: company.name }));
  await post(
    'penalties',
    rawRecord('penalty', {
      documentNo: '查询罚〔2026〕9号',
      subjectCategory: '自然人',
      uscc: '',
      legalRepresentative: '',
      subjectName: person.name,
      docType: '身份证',
      docNumber: person.docNumber,
    }),
  );
});
afterAll(async () => t.close());

describe('/search', () => {
  it('finds a company by fragments of 1, 2 and 4 characters, with its public record counts', async () => {
    const name = company.name;
    for (const q of [name.slice(3, 4), name.slice(3, 5), name.slice(3, 7)]) {
      const res = await request(t.app).get(`/search?q=${encodeURIComponent(q)}`);
      expect(res.status, q).toBe(200);
      expect(res.text, q).toContain(name);
    }
    const res = await request(t.app).get(`/search?q=${encodeURIComponent(name)}`);
    expect(res.text).toMatch(/data-qa="penalty-count">3 条/);
    expect(res.text).toMatch(/data-qa="permit-count">1 条/);
  });

  it('finds a subject by USCC, 组织机构代码 or 工商注册号, marked as an exact match', async () => {
    for (const q of [company.uscc!, company.orgCode!, company.regNo!, company.uscc!.toLowerCase()]) {
      const res = await request(t.app).get(`/search?q=${encodeURIComponent(q)}`);
      expect(res.status, q).toBe(200);
      expect(res.text, q).toContain(company.name);
      expect(res.text, q).toContain('代码精确匹配');
    }
  });

  it('answers 400 with the identifier module’s reason for a broken code, not "no results"', async () => {
    const broken = company.uscc!.slice(0, 17) + (company.uscc!.endsWith('E') ? 'F' : 'E');
    const res = await request(t.app).get(`/search?q=${broken}`);
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/第18位校验码应为/);
    expect((await request(t.app).get('/search?q=abc&page=0')).status).toBe(400);
  });

  it('says a code of 17 or 19 characters should have 18, instead of searching it as a name', async () => {
    for (const q of [company.uscc!.slice(0, 17), `${company.uscc!}1`, company.uscc!.slice(0, 17).toLowerCase()]) {
      const res = await request(t.app).get(`/search?q=${q}`);
      expect(res.status, q).toBe(400);
      expect(res.text, q).toContain('统一社会信用代码应为 18 位');
    }
    // a name with a few digits in it is still a name
    expect((await request(t.app).get(`/search?q=${encodeURIComponent('新乡市第17中学')}`)).status).toBe(200);
  });

  it('says plainly when nothing matches', async () => {
    const res = await request(t.app).get(`/search?q=${encodeURIComponent('龘龘龘')}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('没有找到');
  });

  it('pages through matches in id order, below the count cap and above it, with both plans of the ordered page', async () => {
    const today = day();
    const insert = (prefix: string, n: number) =>
      t.deps.pool.query(
        `INSERT INTO legal_person (name, subject_type, updated_at) SELECT $1 || i || '号商行', 'organisation', now() FROM generate_series(1, $2::int) i`,
        [prefix, n],
      );
    await insert('翻页甲', 45);
    await insert('翻页乙', 1030);
    await t.deps.pool.query('ANALYZE legal_person');
    const idsOf = async (prefix: string) =>
      (await t.deps.pool.query<{ id: number }>(`SELECT id FROM legal_person WHERE name LIKE $1 || '%' ORDER BY id`, [prefix])).rows.map((r) => r.id);

    const few = await idsOf('翻页甲');
    const page3 = await t.deps.search.byName('翻页甲', 3, 20, today);
    expect(page3).toMatchObject({ total: 45, more: false });
    expect(page3.hits.map((h) => h.id)).toEqual(few.slice(40, 60));
    expect((await t.deps.search.byName('翻页甲', 4, 20, today)).hits).toEqual([]);

    const many = await idsOf('翻页乙');
    for (const term of ['翻页乙', '页乙']) {
      const page2 = await t.deps.search.byName(term, 2, 20, today);
      expect(page2, term).toMatchObject({ total: 1000, more: true });
      expect(
        page2.hits.map((h) => h.id),
        term,
      ).toEqual(many.slice(20, 40));
      expect(page2.hits[0], term).toMatchObject({ permits: 0, penalties: 0, red: false, black: false });
    }

    // A character the statistics put at over three times the cap is not counted: the page alone is read.
    await insert('翻页氽', 3100);
    await t.deps.pool.query('ANALYZE legal_person');
    const lots = await idsOf('翻页氽');
    // A repository of its own: the shared one keeps the statistics it read before these names were added.
    const search = new SearchRepository(t.deps.db, t.deps.pool);
    await search.byName('翻页甲', 1, 20, today); // reads the statistics
    // The count is the one statement sent through the pool itself (the ordered page runs on a client of its own).
    const counted = vi.spyOn(t.deps.pool, 'query');
    try {
      for (const term of ['氽', '页氽']) {
        counted.mockClear();
        const page2 = await search.byName(term, 2, 20, today);
        expect(page2, term).toMatchObject({ total: 1000, more: true });
        expect(
          page2.hits.map((h) => h.id),
          term,
        ).toEqual(lots.slice(20, 40));
        expect(counted, term).not.toHaveBeenCalled();
      }
      // a term of 1,030 names is counted
      counted.mockClear();
      expect(await search.byName('页乙', 2, 20, today)).toMatchObject({ total: 1000, more: true });
      expect(counted).toHaveBeenCalledTimes(1);
    } finally {
      counted.mockRestore();
    }
  });

  it('splits a term into the grams the index holds', () => {
    expect(searchGrams('新')).toEqual(['新']);
    expect(searchGrams('新乡华兴')).toEqual(['新乡', '乡华', '华兴']);
    expect(searchGrams('AB')).toEqual(['ab']);
    const share = new Map([
      ['有限', 0.48],
      ['公司', 0.48],
      ['限公', 0.4],
    ]);
    expect(selectGrams(['华冠', '有限', '公司'], share)).toEqual(['华冠']);
    expect(selectGrams(['有限', '限公', '公司'], share)).toEqual(['限公']);
    expect(selectGrams(['新'], share)).toEqual(['新']);
    // Many candidates left by the rare gram: a common one that strikes most of them is worth its posting list…
    const city = new Map([
      ['新乡', 0.3],
      ['乡市', 0.24],
      ['市老', 0.01],
    ]);
    expect(selectGrams(['新乡', '乡市', '市老'], city, 1_000_000)).toEqual(['市老', '乡市']);
    // …but not when the rare gram leaves few to strike.
    expect(selectGrams(['新乡', '乡市', '市老'], new Map([...city, ['市老', 0.001]]), 1_000_000)).toEqual(['市老']);
    expect(selectGrams(['华冠', '有限', '公司'], new Map([...share, ['华冠', 0.0001]]), 1_000_000)).toEqual(['华冠']);
  });
});

describe('/search/person', () => {
  it('needs the exact name and number together, masks the number, and logs every query', async () => {
    const right = await lookUpPerson(t.app, { name: person.name, id: person.docNumber });
    expect(right.status).toBe(200);
    expect(right.headers['cache-control']).toBe('no-store');
    expect(right.text).toContain('查询罚〔2026〕9号');
    expect(right.text).not.toContain(person.docNumber);
    expect(right.text).toContain(`${person.docNumber.slice(0, 6)}********${person.docNumber.slice(-4)}`);
    const wrongName = await lookUpPerson(t.app, { name: '王五', id: person.docNumber });
    expect(wrongName.text).toContain('未查到');
    expect(wrongName.text).not.toContain('查询罚〔2026〕9号');
    const partial = await lookUpPerson(t.app, { name: person.name.slice(0, 1), id: '' });
    expect(partial.status).toBe(400);
    const bad = await lookUpPerson(t.app, { name: person.name, id: '410702198503151230' });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/校验码/);
    const logged = await t.deps.db.auditLog.findMany({ where: { action: 'person.search' } });
    expect(logged.length).toBe(2);
    expect(JSON.stringify(logged.map((l) => l.detail))).not.toContain(person.docNumber);
    expect(logged.map((l) => (l.detail as { hit: boolean }).hit).sort()).toEqual([false, true]);
  });

  it('marks a penalty 异议处理中 while an objection to it is open', async () => {
    const lookUp = () => lookUpPerson(t.app, { name: person.name, id: person.docNumber });
    expect((await lookUp()).text).not.toContain('异议处理中');
    const penalty = await t.deps.db.penalty.findFirstOrThrow({ where: { documentNo: '查询罚〔2026〕9号' } });
    const objection = await t.deps.db.objection.create({
      data: {
        caseNo: 'YY20260101PERSON',
        penaltyId: penalty.id,
        departmentId: penalty.departmentId,
        subjectName: person.name,
        subjectCode: person.docNumber,
        applicantName: person.name,
        phone: '13837300000',
        reason: '理由理由理由理由理由',
        acceptBy: new Date('2099-01-05'),
      },
    });
    try {
      expect((await lookUp()).text).toMatch(/查询罚〔2026〕9号<\/a> <span class="badge badge--warn" data-qa="objection-pending">异议处理中/);
    } finally {
      await t.deps.db.objection.delete({ where: { id: objection.id } });
    }
  });

  it('takes the number only by POST with a CSRF token, never from the URL', async () => {
    const viaUrl = await request(t.app).get(`/search/person?name=${encodeURIComponent(person.name)}&id=${person.docNumber}`);
    expect(viaUrl.status).toBe(400);
    expect(viaUrl.text).toContain('证件号码不能放在网址中');
    expect(viaUrl.text).not.toContain('查询罚〔2026〕9号');
    expect(viaUrl.text).not.toContain(person.docNumber);
    const form = await request(t.app).get('/search/person');
    expect(form.text).toMatch(/<form method="post" action="\/search\/person"/);
    const noToken = await request(t.app).post('/search/person').type('form').send({ name: person.name, id: person.docNumber });
    expect(noToken.status).toBe(403);
    expect(noToken.text).not.toContain('查询罚〔2026〕9号');
    // the answer is the page itself, not a redirect to a URL that would carry the number
    const res = await lookUpPerson(t.app, { name: person.name, id: person.docNumber });
    expect(res.status).toBe(200);
    expect(res.headers.location).toBeUndefined();
  });

  it('is rate-limited per IP', async () => {
    const limited = await createTestApp({ personLimit: { windowMs: 60_000, limit: 2 } });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await lookUpPerson(limited.app, { name: 'x', id: 'E1234567', type: 'passport' })).status);
      expect(statuses).toEqual([200, 200, 429]);
    } finally {
      await limited.close();
    }
  });
});

describe('/subjects/:uscc', () => {
  it('shows the sections in the national report’s order, each saying so when empty', async () => {
    const res = await request(t.app).get(`/subjects/${company.uscc}`);
    expect(res.status).toBe(200);
    const order = ['basic', 'permits', 'penalties', 'red', 'black', 'commitments', 'other'].map((k) => res.text.indexOf(`data-qa="section-${k}"`));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(res.text).toContain('查询罚〔2026〕1号');
    expect(res.text).toContain('查询期内无相关信息');
  });

  it('400 for an invalid code, 404 for a valid unknown one', async () => {
    expect((await request(t.app).get('/subjects/123')).status).toBe(400);
    const first17 = '91410700MA4400000';
    const unknown = first17 + usccCheckChar(first17);
    const res = await request(t.app).get(`/subjects/${unknown}`);
    expect(res.status).toBe(404);
    expect(res.text).toContain(`未找到统一社会信用代码为 ${unknown} 的信用主体`);
  });

  it('costs a fixed number of queries whatever the number of records (no N+1)', async () => {
    let queries = 0;
    const pool = t.deps.pool;
    const counting = {
      query: ((...args: unknown[]) => {
        queries++;
        return (pool.query as (...a: unknown[]) => unknown).apply(pool, args);
      }) as pg.Pool['query'],
    };
    const profiles = new ProfileService(new ProfileRepository(counting), async () => PublicFields.none());
    const empty = DEMO_SUBJECTS.find((s) => s.uscc !== company.uscc)!;
    await profiles.byUscc(empty.uscc!);
    const forEmpty = queries;
    queries = 0;
    const full = await profiles.byUscc(company.uscc!);
    expect(full!.counts.penalties).toBe(3);
    expect(queries).toBe(forEmpty);
    expect(queries).toBe(1);
  });
});
