import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nameGrams } from '../../src/domain/name-grams.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

// Bulk writers send the grams computed by nameGrams(); everything else relies on the legal_person trigger, which
// uses xx_name_grams(). Both must give the same set, or a name would be findable or not depending on who wrote it.
let db: TestDatabase;
let client: pg.Client;
beforeAll(async () => {
  db = await createTestDatabase();
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
});
afterAll(async () => {
  await client.end();
  await db.drop();
});

const NAMES = [
  '新乡市红旗区张三食品有限公司',
  '新乡市ABC科技有限公司',
  '河南Ｘｙ（新乡）商贸有限责任公司',
  '卫辉市“老字号”饭店',
  '长垣县 空格 与\t制表符',
  '𠀀𠀁生僻字店',
  '乡乡乡乡',
  '甲',
  '',
];

const sorted = (xs: readonly string[]) => [...xs].sort();

describe('name grams', () => {
  it('nameGrams() gives the same set as the SQL function xx_name_grams()', async () => {
    for (const name of NAMES) {
      const { rows } = await client.query<{ g: string[] }>('SELECT xx_name_grams($1) AS g', [name]);
      expect(sorted(nameGrams(name)), name).toEqual(sorted(rows[0]!.g));
    }
  });

  it('the trigger fills the grams when a writer leaves them out, keeps sent ones, and follows a name change', async () => {
    const insert = (uscc: string, name: string, grams: string[] | null) =>
      client.query<{ id: number }>(
        `INSERT INTO legal_person (uscc, name, subject_type, updated_at, name_grams) VALUES ($1, $2, 'organisation', now(), $3) RETURNING id`,
        [uscc, name, grams],
      );
    const gramsOf = async (id: number) =>
      sorted((await client.query<{ g: string[] }>('SELECT name_grams AS g FROM legal_person WHERE id = $1', [id])).rows[0]!.g);

    const a = (await insert('91410700MA00000001', '新乡市甲乙有限公司', null)).rows[0]!.id;
    expect(await gramsOf(a)).toEqual(sorted(nameGrams('新乡市甲乙有限公司')));
    const b = (await insert('91410700MA00000002', '卫辉市丙丁商店', nameGrams('卫辉市丙丁商店'))).rows[0]!.id;
    expect(await gramsOf(b)).toEqual(sorted(nameGrams('卫辉市丙丁商店')));

    await client.query('UPDATE legal_person SET name = $2 WHERE id = $1', [a, '新乡市戊己有限公司']);
    expect(await gramsOf(a)).toEqual(sorted(nameGrams('新乡市戊己有限公司')));
    await client.query('UPDATE legal_person SET name = $2, name_grams = $3 WHERE id = $1', [b, '卫辉市庚辛商店', nameGrams('卫辉市庚辛商店')]);
    expect(await gramsOf(b)).toEqual(sorted(nameGrams('卫辉市庚辛商店')));
    await client.query('UPDATE legal_person SET legal_representative = $2 WHERE id = $1', [b, '王五']);
    expect(await gramsOf(b)).toEqual(sorted(nameGrams('卫辉市庚辛商店')));
  });
});
