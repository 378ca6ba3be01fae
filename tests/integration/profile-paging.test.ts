import { PDFParse } from 'pdf-parse';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordSchema } from '../../src/domain/publicity/schemas.js';
import { PROFILE_PAGE_ROWS, PROFILE_SECTIONS, REPORT_SECTION_ROWS, SECTION_PAGE_ROWS } from '../../src/features/subjects/profile.js';
import { SESSION_COOKIE } from '../../src/platform/session.js';
import { binary, createTestApp, seedUsers, sessionUser, type TestApp } from '../helpers/app.js';
import { COMPANY_USCC, rawRecord } from '../helpers/records.js';

let t: TestApp;
let penaltyId: number;

/** Copies of a stored penalty under new 文书号, so a subject gets many records without a save each. */
async function clonePenalties(n: number, tag: string): Promise<void> {
  const cols = (
    await t.deps.db.$queryRaw<{ column_name: string }[]>`
      SELECT column_name FROM information_schema.columns
       WHERE table_schema = current_schema() AND table_name = 'penalty' AND column_name <> 'id' AND is_generated = 'NEVER'
         AND column_default IS DISTINCT FROM 'nextval(''penalty_id_seq''::regclass)'`
  ).map((c) => c.column_name);
  const list = cols.map((c) => `"${c}"`).join(', ');
  const select = cols.map((c) => (c === 'document_no' ? `p.document_no || '-${tag}-' || g` : `p."${c}"`)).join(', ');
  await t.deps.db.$executeRawUnsafe(`INSERT INTO penalty (${list}) SELECT ${select} FROM penalty p, generate_series(1, ${n}) g WHERE p.id = ${penaltyId}`);
}

const rowsOf = (html: string, section: string) => {
  const start = html.indexOf(`data-qa="section-${section}"`);
  const body = html.slice(start, html.indexOf('</section>', start));
  return body.match(/<tr><td/g)?.length ?? 0;
};

beforeAll(async () => {
  t = await createTestApp();
  const seeded = await seedUsers(t.deps);
  const saved = await t.deps.publicity.saveOne('penalty', recordSchema('penalty').parse(rawRecord('penalty')), sessionUser(seeded), null);
  if (!saved.ok) throw new Error(`could not create a test penalty: ${JSON.stringify(saved.problems)}`);
  penaltyId = (await t.deps.db.penalty.findFirstOrThrow({ where: { uscc: COMPANY_USCC } })).id;
  await clonePenalties(119, 'a');
});
afterAll(async () => t.close());

describe('a heavy subject’s profile is paged by section', () => {
  it('lists the newest 20 penalties with the total and a link to all of them', async () => {
    const res = await request(t.app).get(`/subjects/${COMPANY_USCC}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('三、行政处罚信息（120）');
    expect(rowsOf(res.text, 'penalties')).toBe(PROFILE_PAGE_ROWS);
    expect(res.text).toContain(`本节列出最近 ${PROFILE_PAGE_ROWS} 条，共 120 条。`);
    expect(res.text).toContain(`href="/subjects/${COMPANY_USCC}/penalties"`);
    // A section with fewer records than a page has no link.
    expect(res.text).not.toContain(`href="/subjects/${COMPANY_USCC}/permits"`);
  });

  it('pages through the section: 50 a page, the last page holds the rest', async () => {
    const first = await request(t.app).get(`/subjects/${COMPANY_USCC}/penalties`);
    expect(first.status).toBe(200);
    expect(rowsOf(first.text, 'penalties')).toBe(SECTION_PAGE_ROWS);
    expect(first.text).toContain('第 1–50 条，共 120 条');
    expect(first.text).toContain(`/subjects/${COMPANY_USCC}/penalties?page=2`);
    const last = await request(t.app).get(`/subjects/${COMPANY_USCC}/penalties?page=3`);
    expect(last.status).toBe(200);
    expect(rowsOf(last.text, 'penalties')).toBe(120 - 2 * SECTION_PAGE_ROWS);
    expect(last.text).toContain('第 101–120 条，共 120 条');
    // Every record once across the pages, none twice.
    const ids = new Set<string>();
    for (const page of [1, 2, 3]) {
      const html = (await request(t.app).get(`/subjects/${COMPANY_USCC}/penalties?page=${page}`)).text;
      for (const m of html.matchAll(/href="\/publicity\/penalties\/(\d+)"/g)) ids.add(m[1]!);
    }
    expect(ids.size).toBe(120);
  });

  it('answers a bad or too deep page with 400 and a Chinese message, an unknown section with 404', async () => {
    for (const page of ['0', 'abc', '-1', '1.5', '4', '99999999999']) {
      const res = await request(t.app).get(`/subjects/${COMPANY_USCC}/penalties?page=${page}`);
      expect(res.status, page).toBe(400);
      expect(res.text).toMatch(/页码/);
    }
    expect((await request(t.app).get(`/subjects/${COMPANY_USCC}/penalties?page=1&page=2`)).status).toBe(400);
    expect((await request(t.app).get(`/subjects/${COMPANY_USCC}/secrets`)).status).toBe(404);
    expect((await request(t.app).get(`/subjects/91410700174608534X/penalties`)).status).toBe(400);
  });

  it('an empty section has one page saying so, whichever section it is', async () => {
    // permits included: its statement reads no date, which once left a parameter untyped and the page a 500.
    for (const section of PROFILE_SECTIONS.filter((s) => s !== 'penalties')) {
      const res = await request(t.app).get(`/subjects/${COMPANY_USCC}/${section}`);
      expect(res.status, section).toBe(200);
      expect(res.text, section).toContain('查询期内无相关信息');
    }
  });
});

describe('anonymous readers get no session', () => {
  it('public GETs store no session row and send no cookie; a page with a form still starts one', async () => {
    await t.deps.pool.query('DELETE FROM session');
    for (const path of ['/', '/accessibility', `/subjects/${COMPANY_USCC}`, `/subjects/${COMPANY_USCC}/penalties`, '/search?q=华兴']) {
      const res = await request(t.app).get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers['set-cookie'], path).toBeUndefined();
    }
    expect((await t.deps.pool.query('SELECT count(*)::int AS n FROM session')).rows[0].n).toBe(0);
    // The sign-in form needs a CSRF token, which lives in the session: the session is made when the form asks for it.
    const login = await request(t.app).get('/admin/login');
    expect(login.status).toBe(200);
    expect(String(login.headers['set-cookie'])).toContain(`${SESSION_COOKIE}=`);
    expect((await t.deps.pool.query('SELECT count(*)::int AS n FROM session')).rows[0].n).toBe(1);
  });
});

describe('the credit report caps each section', () => {
  it(`prints the newest ${REPORT_SECTION_ROWS} records of a section and says how many were left out and where to see them`, async () => {
    await clonePenalties(REPORT_SECTION_ROWS + 7 - 120, 'b');
    const res = await binary(request(t.app).get(`/subjects/${COMPANY_USCC}/report.pdf`));
    expect(res.status).toBe(200);
    const parser = new PDFParse({ data: new Uint8Array(res.body as Buffer) });
    const text = (await parser.getText().finally(() => parser.destroy())).text.replace(/\s+/g, '');
    expect(text).toContain(`共${REPORT_SECTION_ROWS + 7}条`);
    expect(text).toContain(`本报告列出本节最近的${REPORT_SECTION_ROWS}条，其余7条未列出`);
    expect(text).toContain(`/subjects/${COMPANY_USCC}/penalties`);
  }, 120_000);
});
