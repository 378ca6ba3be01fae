import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shapeDifferences, shapeOf } from '../../scripts/bulk-load.js';
import { DEMO_SEED, SCALE_FIRST_INDEX, generateLegalPersons } from '../../src/seed/demo-subjects.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

// seed:scale's fast path (empty tables: COPY with the secondary indexes, foreign keys and triggers dropped, then
// rebuilt) must leave a database indistinguishable from its safe path (chunks through INSERT … SELECT with
// everything in place): same catalogue, same rows, and the app finds them.
const run = promisify(execFile);
const ARGS = ['--legal', '2000', '--penalties', '8000', '--permits', '2000'];
const TABLES = ['legal_person', 'natural_person', 'permit', 'penalty', 'record_name'];

async function seedScale(url: string, extra: string[] = []): Promise<string> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/seed-scale.ts', ...ARGS, ...extra], {
    env: { ...process.env, DATABASE_URL: url },
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

// Every column but the ids, the write times and reported_at (capped at the moment of loading, so a few seconds
// apart between the two runs); subjects by their keys instead of their ids.
const CONTENT: Record<string, string> = {
  legal_person: `SELECT md5(string_agg((to_jsonb(t) - '{id,created_at,updated_at}'::text[])::text, E'\\n' ORDER BY uscc)) AS h, count(*)::int AS n FROM legal_person t`,
  natural_person: `SELECT md5(string_agg((to_jsonb(t) - '{id,created_at,updated_at}'::text[])::text, E'\\n' ORDER BY doc_number)) AS h, count(*)::int AS n FROM natural_person t`,
  // Grams as a set: the fast path computes them with nameGrams(), the safe path with xx_name_grams() (same set, tested
  // in name-grams.test.ts, possibly another order; only the GIN index reads them).
  record_name: `SELECT md5(string_agg(name || ' ' || (SELECT array_agg(g ORDER BY g) FROM unnest(grams) g)::text, E'\\n' ORDER BY name)) AS h,
                       count(*)::int AS n FROM record_name`,
  ...Object.fromEntries(
    ['permit', 'penalty'].map((kind) => [
      kind,
      `SELECT md5(string_agg(
                (to_jsonb(t) - '{id,created_at,updated_at,legal_person_id,natural_person_id,reported_at,published_at}'::text[])::text
                || ' ' || coalesce(lp.uscc, '-') || ' ' || coalesce(np.doc_number, '-') || ' ' || (t.published_at IS NOT DISTINCT FROM t.reported_at)::text
                || ' ' || (t.published_at IS NULL)::text,
                E'\\n' ORDER BY t.authority_code, t.document_no)) AS h, count(*)::int AS n
         FROM ${kind} t LEFT JOIN legal_person lp ON lp.id = t.legal_person_id LEFT JOIN natural_person np ON np.id = t.natural_person_id`,
    ]),
  ),
};

let t: TestApp;
let safe: TestDatabase;
let fastDb: pg.Client;
let safeDb: pg.Client;
let fastOut: string;
let safeOut: string;

beforeAll(async () => {
  [t, safe] = await Promise.all([createTestApp(), createTestDatabase()]);
  [fastOut, safeOut] = await Promise.all([seedScale(t.database.url), seedScale(safe.url, ['--safe'])]);
  fastDb = new pg.Client({ connectionString: t.database.url });
  safeDb = new pg.Client({ connectionString: safe.url });
  await Promise.all([fastDb.connect(), safeDb.connect()]);
}, 120_000);

afterAll(async () => {
  await Promise.allSettled([fastDb?.end(), safeDb?.end()]);
  await Promise.allSettled([t?.close(), safe?.drop()]);
});

describe('seed:scale fast path', () => {
  it('took the fast path into the empty database and the safe path when asked', () => {
    expect(fastOut).toContain('快速装载');
    expect(fastOut).toContain('定义与装载前一致');
    expect(safeOut).toContain('按 --safe 逐块写入');
  });

  it('leaves the same indexes, constraints (all validated) and triggers as the safe path', async () => {
    const [a, b] = await Promise.all([shapeOf(fastDb, TABLES), shapeOf(safeDb, TABLES)]);
    expect(shapeDifferences(b, a)).toEqual([]);
    expect(a.indexes.size).toBeGreaterThan(30);
    expect([...a.allConstraints.values()].filter((c) => c.endsWith('NOT VALID'))).toEqual([]);
    expect([...a.triggers.values()].every((state) => state === 'O')).toBe(true);
    const { rows } = await fastDb.query(`SELECT indexrelid::regclass::text AS name FROM pg_index WHERE NOT indisvalid OR NOT indisready`);
    expect(rows).toEqual([]);
  });

  it('stores the same rows, subject links and record names as the safe path', async () => {
    for (const table of TABLES) {
      const [a, b] = await Promise.all([fastDb.query(CONTENT[table]!), safeDb.query(CONTENT[table]!)]);
      expect(a.rows[0], table).toEqual(b.rows[0]);
    }
    const counts = (
      await fastDb.query(`SELECT (SELECT count(*) FROM penalty)::int AS p, (SELECT count(*) FROM permit)::int AS q,
      (SELECT count(*) FROM penalty WHERE natural_person_id IS NOT NULL)::int AS natural,
      (SELECT count(DISTINCT department_id) FROM penalty)::int AS departments`)
    ).rows[0];
    expect(counts.p).toBe(8000);
    expect(counts.q).toBe(2000);
    expect(counts.natural).toBeGreaterThan(0);
    // Records spread over far more than the six departments of the demo profiles.
    expect(counts.departments).toBeGreaterThan(30);
  });

  it('a new subject after the load gets a fresh id and its name grams from the re-enabled trigger', async () => {
    const { rows } = await fastDb.query<{ id: number; max: number; grams: string[] }>(
      `WITH n AS (INSERT INTO legal_person (name, subject_type, updated_at) VALUES ('新乡市装载后测试有限公司', 'organisation', now()) RETURNING id, name_grams)
       SELECT n.id, (SELECT max(id) FROM legal_person) AS max, n.name_grams AS grams FROM n`,
    );
    expect(rows[0]!.id).toBeGreaterThan(2000 + 0);
    expect(rows[0]!.grams).toContain('装载');
  });

  it('the search and the 双公示 list find the loaded subjects and records', async () => {
    const first = generateLegalPersons(1, DEMO_SEED, { firstIndex: SCALE_FIRST_INDEX }).next().value!;
    const search = await request(t.app).get(`/search?q=${encodeURIComponent(first.uscc)}`);
    expect(search.status).toBeLessThan(400);
    const profile = search.status === 302 ? await request(t.app).get(search.headers.location!) : search;
    expect(profile.text).toContain(first.name);
    // The busiest subject of the scale data has records in the public list, found by its name.
    const list = await request(t.app).get(`/publicity/penalties?q=${encodeURIComponent(first.name)}`);
    expect(list.status).toBe(200);
    expect(list.text).toContain(first.name);
    expect(list.text).toMatch(/共 [\d,]+ 条/);
  });
});
