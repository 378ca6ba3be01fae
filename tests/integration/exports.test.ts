import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, csrfFrom, seedUsers, signIn, type TestApp, binary } from '../helpers/app.js';
import { rawRecord } from '../helpers/records.js';
import { csvOf, importFinished } from '../helpers/imports.js';
import { ExportService } from '../../src/features/exports/service.js';
import type { RecordKind } from '../../src/domain/publicity/fields.js';

let source: TestApp;
const targets: TestApp[] = [];

const PERSON = { subjectCategory: '自然人', uscc: '', legalRepresentative: '', subjectName: '张伟', docType: '身份证', docNumber: '410702198503151235' };

function records(kind: RecordKind): Record<string, string>[] {
  if (kind === 'permit') {
    return [
      rawRecord('permit', {
        documentNo: '往返许〔2026〕1号',
        validTo: '2099/12/31',
        certificateName: '食品经营许可证',
        permitNo: 'JY14107000001',
        remark: '含“引号”, 逗号\n和换行',
      }),
      rawRecord('permit', {
        documentNo: '往返许〔2026〕2号',
        subjectCategory: '个体工商户',
        uscc: '00000000000000000X',
        regNo: '410700000012348',
        legalRepresentative: '',
      }),
    ];
  }
  return [
    rawRecord('penalty', {
      documentNo: '往返罚〔2026〕1号',
      penaltyCategories: '警告;罚款;没收违法所得',
      fineAmount: '1.234567',
      confiscatedAmount: '0.05',
      publicityEndDate: '2027/11/02',
    }),
    rawRecord('penalty', { ...PERSON, documentNo: '往返罚〔2026〕2号' }),
    rawRecord('penalty', {
      documentNo: '往返罚〔2026〕3号',
      penaltyCategories: '吊销许可证件',
      fineAmount: '',
      licenceAffected: '食品经营许可证 JY14107000002',
    }),
  ];
}

async function importInto(t: TestApp, kind: RecordKind, file: Buffer, name: string) {
  const clerk = await signIn(t.app, 't-clerk');
  const token = csrfFrom((await clerk.get('/admin/imports/new')).text);
  const res = await clerk.post('/admin/imports').field('_csrf', token).field('kind', kind).attach('file', file, name);
  const id = Number(/(\d+)$/.exec(res.headers.location ?? '')?.[1]);
  return importFinished(t.deps, id);
}

async function cellsByDocument(t: TestApp, kind: RecordKind): Promise<Map<string, string[]>> {
  const model = (kind === 'permit' ? t.deps.db.permit : t.deps.db.penalty) as unknown as { findMany(a: unknown): Promise<Record<string, unknown>[]> };
  const rows = await model.findMany({ where: { withdrawnAt: null } });
  return new Map(rows.map((r) => [String(r.documentNo), ExportService.cells(kind, r)]));
}

beforeAll(async () => {
  source = await createTestApp();
  await seedUsers(source.deps);
  for (const kind of ['permit', 'penalty'] as const) {
    const imp = await importInto(source, kind, Buffer.from(csvOf(kind, records(kind))), `${kind}.csv`);
    if (imp.status !== 'succeeded') throw new Error(JSON.stringify(imp.errors ?? imp.message));
  }
});
afterAll(async () => {
  await source.close();
  for (const t of targets) await t.close();
});

describe('export in the 2019 national shape', () => {
  for (const format of ['csv', 'xlsx'] as const) {
    it(`${format}: importing the export into an empty database reproduces the same records`, async () => {
      const reviewer = await signIn(source.app, 't-reviewer');
      const target = await createTestApp();
      targets.push(target);
      await seedUsers(target.deps);
      for (const kind of ['permit', 'penalty'] as const) {
        const res = await binary(reviewer.get(`/admin/exports?kind=${kind}&since=2020-01-01&format=${format}`));
        expect(res.status).toBe(200);
        const file = res.body as Buffer;
        if (format === 'csv') {
          const text = file.toString('utf8');
          expect(text.startsWith('\uFEFF' + (kind === 'permit' ? 'XK_XDR_MC' : 'CF_XDR_MC'))).toBe(true);
          if (kind === 'permit') expect(text).toContain('2099/12/31');
        }
        const imp = await importInto(target, kind, file, `export.${format}`);
        expect(imp.status, JSON.stringify(imp.errors ?? imp.message)).toBe('succeeded');
        const before = await cellsByDocument(source, kind);
        const after = await cellsByDocument(target, kind);
        expect(after).toEqual(before);
        expect(after.size).toBe(records(kind).length);
        // The same export once more: every record is reported as 未变化, none corrected.
        const again = await importInto(target, kind, file, `export.${format}`);
        expect(again.status).toBe('succeeded');
        expect({ inserted: again.insertedRows, updated: again.updatedRows, unchanged: again.unchangedRows }).toEqual({
          inserted: 0,
          updated: 0,
          unchanged: records(kind).length,
        });
      }
    });
  }

  it('leaves out withdrawn records, answers a bad date with a 400, and is for the credit office only', async () => {
    const reviewer = await signIn(source.app, 't-reviewer');
    const rec = await source.deps.db.penalty.findFirstOrThrow({ where: { documentNo: '往返罚〔2026〕3号' } });
    await source.deps.db.penalty.update({ where: { id: rec.id }, data: { withdrawnAt: new Date(), isPublic: false } });
    const res = await binary(reviewer.get('/admin/exports?kind=penalty&since=2020-01-01&format=csv'));
    expect((res.body as Buffer).toString('utf8')).not.toContain('往返罚〔2026〕3号');
    const future = await binary(reviewer.get('/admin/exports?kind=penalty&since=2099-01-01&format=csv'));
    expect((future.body as Buffer).toString('utf8').trim().split('\n')).toHaveLength(1);
    const bad = await reviewer.get('/admin/exports?kind=penalty&since=2020-02-30&format=csv');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('起始日期不是有效日期');
    const clerk = await signIn(source.app, 't-clerk');
    expect((await clerk.get('/admin/exports')).status).toBe(403);
    expect(await source.deps.db.auditLog.count({ where: { action: 'export.run' } })).toBeGreaterThan(0);
  });
});
