import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedUsers, type TestApp } from '../helpers/app.js';
import { rawRecord } from '../helpers/records.js';
import { day } from '../helpers/dates.js';
import { recordSchema } from '../../src/domain/publicity/schemas.js';
import { usccCheckChar } from '../../src/domain/identifiers.js';
import { writeRecords, type StagedRow, type WriteContext, type WriteResult } from '../../src/features/publicity/writer.js';

// writeRecords stores a batch chunk by chunk while it is still being read; these run it with chunks of 3 rows so a
// batch of 10 spans four of them.
let t: TestApp;
let ctx: WriteContext;
let otherCtx: WriteContext;
const schema = recordSchema('penalty', { today: day() });
const row = (n: number, over: Record<string, string> = {}): StagedRow => ({
  rowNo: n,
  input: schema.parse(rawRecord('penalty', { documentNo: `分块罚〔2026〕${n}号`, ...over })),
});

beforeAll(async () => {
  t = await createTestApp();
  const seeded = await seedUsers(t.deps);
  ctx = await t.deps.publicity.writeContext(seeded.departmentId, null, null);
  otherCtx = await t.deps.publicity.writeContext(seeded.otherDepartmentId, null, null);
});
afterAll(async () => t.close());

/** One transaction, committed only when no row was refused: what ImportService does. */
async function write(rows: AsyncIterable<StagedRow> | StagedRow[], c = ctx, returnIds = false): Promise<WriteResult> {
  const client = await t.deps.pool.connect();
  try {
    await client.query('BEGIN');
    try {
      const r = await writeRecords(client, 'penalty', rows, c, { auditAction: 'penalty.update', username: 'test', ip: null, returnIds, chunkRows: 3 });
      await client.query(r.problems.length ? 'ROLLBACK' : 'COMMIT');
      return r;
    } catch (err) {
      await client.query('ROLLBACK');
      throw err;
    }
  } finally {
    client.release();
  }
}
const stored = async () =>
  (await t.deps.db.penalty.findMany({ where: { documentNo: { startsWith: '分块罚' } }, select: { documentNo: true } })).map((p) => p.documentNo).sort();

describe('writeRecords in chunks', () => {
  it('refuses a 文书号 repeated in a later chunk, and the rollback leaves nothing', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => row(i + 1));
    rows[8] = row(9, { documentNo: '分块罚〔2026〕2号' });
    const r = await write(rows);
    expect(r.problems).toEqual([{ row: 9, column: '文书号', message: expect.stringContaining('与第 2 行重复') }]);
    expect(await stored()).toEqual([]);
  });

  it('refuses a 文书号 another department reported, found in the last chunk', async () => {
    await write([row(50)], otherCtx);
    const r = await write(Array.from({ length: 10 }, (_, i) => (i === 9 ? { ...row(50), rowNo: 10 } : row(i + 1))));
    expect(r.problems).toEqual([{ row: 10, column: '文书号', message: expect.stringContaining('不能覆盖其他部门的记录') }]);
    expect(await stored()).toEqual(['分块罚〔2026〕50号']);
    await t.deps.db.penalty.deleteMany({ where: { documentNo: { startsWith: '分块罚' } } });
  });

  it('stores every chunk and counts new, corrected and unchanged rows across them', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => row(i + 1));
    expect(await write(rows)).toMatchObject({ inserted: 10, updated: 0, unchanged: 0, problems: [] });
    expect((await stored()).length).toBe(10);
    const again = await write([row(1, { content: '更正后的处罚内容' }), ...rows.slice(1, 4), row(11), row(12)], ctx, true);
    expect(again).toMatchObject({ inserted: 2, updated: 1, unchanged: 3, problems: [] });
    expect(again.ids.size).toBe(6);
    expect([...again.ids.values()].filter((v) => v.unchanged)).toHaveLength(3);
    const noIds = await write([...rows.slice(0, 5), row(13)]);
    expect(noIds).toMatchObject({ inserted: 1, updated: 1, unchanged: 4, problems: [] });
    await t.deps.db.penalty.deleteMany({ where: { documentNo: { startsWith: '分块罚' } } });
  });

  it('links each record to its library entry: by USCC, a 个体工商户 without one by its 注册号, a person by document', async () => {
    const sole = { subjectCategory: '个体工商户', uscc: '00000000000000000X', regNo: '410700000012348', legalRepresentative: '', subjectName: '分块个体户' };
    const person = {
      subjectCategory: '自然人',
      uscc: '',
      legalRepresentative: '',
      subjectName: '分块张三',
      docType: '身份证',
      docNumber: '11010519491231002X',
    };
    // the same subjects in different chunks: each found or created once
    const rows = [row(1), row(2, sole), row(3, person), row(4), row(5, sole), row(6, person), row(7, sole)];
    expect(await write(rows)).toMatchObject({ inserted: 7, problems: [] });
    const stored = await t.deps.db.penalty.findMany({
      where: { documentNo: { startsWith: '分块罚' } },
      orderBy: { id: 'asc' },
      select: { legalPersonId: true, naturalPersonId: true, uscc: true },
    });
    const soleTrader = await t.deps.db.legalPerson.findMany({ where: { regNo: '410700000012348' } });
    expect(soleTrader).toHaveLength(1);
    const company = await t.deps.db.legalPerson.findUniqueOrThrow({ where: { uscc: stored[0]!.uscc! } });
    const np = await t.deps.db.naturalPerson.findFirstOrThrow({ where: { docNumber: '11010519491231002X' } });
    expect(stored.map((p) => [p.legalPersonId, p.naturalPersonId])).toEqual([
      [company.id, null],
      [soleTrader[0]!.id, null],
      [null, np.id],
      [company.id, null],
      [soleTrader[0]!.id, null],
      [null, np.id],
      [soleTrader[0]!.id, null],
    ]);
    await t.deps.db.penalty.deleteMany({ where: { documentNo: { startsWith: '分块罚' } } });
  });

  it('a source that fails half way: the error comes through and nothing is kept', async () => {
    // Each row a subject new to the library, so the rollback must take back what the first chunks added there too.
    const fresh = (n: number) => {
      const first17 = `91410700MA45${String(n).padStart(5, '0')}`;
      return first17 + usccCheckChar(first17);
    };
    async function* failing() {
      for (let i = 1; i <= 7; i++) yield row(i, { uscc: fresh(i), subjectName: `分块新主体${i}` });
      throw new Error('文件读取失败');
    }
    await expect(write(failing())).rejects.toThrow('文件读取失败');
    expect(await stored()).toEqual([]);
    expect(await t.deps.db.legalPerson.count({ where: { uscc: { in: [1, 2, 3, 4, 5, 6, 7].map(fresh) } } })).toBe(0);
    // the same rows without the failure do create those subjects (so the check above can fail)
    await write([1, 2, 3].map((i) => row(i, { uscc: fresh(i), subjectName: `分块新主体${i}` })));
    expect(await t.deps.db.legalPerson.count({ where: { uscc: { in: [1, 2, 3].map(fresh) } } })).toBe(3);
    await t.deps.db.penalty.deleteMany({ where: { documentNo: { startsWith: '分块罚' } } });
  });
});
