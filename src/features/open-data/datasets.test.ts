import { describe, expect, it } from 'vitest';
import { PublicFields } from '../catalogue/service.js';
import { commitmentRow, datasetShape, listRow, recordRow } from './datasets.js';

const codes = (name: Parameters<typeof datasetShape>[0], shown = PublicFields.none()) => datasetShape(name, shown)?.columns.map((c) => c.code) ?? null;

describe('open-data columns', () => {
  it('are the public 2019 field codes: never 法定代表人证件, with the id first and the tier last for penalties', () => {
    const penalty = codes('penalties')!;
    expect(penalty[0]).toBe('ID');
    expect(penalty).toContain('CF_XDR_ZJHM');
    expect(penalty).not.toContain('CF_FR_ZJHM');
    expect(penalty).not.toContain('CF_FR_ZJLX');
    expect(penalty.slice(-2)).toEqual(['GS_YZCD', 'GS_YYZT']);
    expect(codes('permits')).not.toContain('XK_FR_ZJHM');
  });

  it('follow the catalogue: a field not 社会公开 is no column, an item not 社会公开 is no dataset', () => {
    const shown = new PublicFields(
      new Map([
        ['XZXK/XK_NR', 'government'],
        ['HEIMD/MD_LRSY', 'authorised'],
        ['XYCN', 'government'],
      ]),
    );
    expect(codes('permits', shown)).not.toContain('XK_NR');
    expect(codes('penalties', shown)).toContain('CF_NR');
    // One file holds both lists: a field one list keeps back is left out for both.
    expect(codes('list-entries', shown)).not.toContain('MD_LRSY');
    expect(codes('list-exits', shown)).toEqual(expect.arrayContaining(['MD_TCRQ', 'MD_TCYY']));
    expect(codes('commitments', shown)).toBeNull();
  });
});

describe('open-data rows', () => {
  it('mask a natural person’s number and give the applied 公示截止期', () => {
    const row = recordRow('penalty', {
      id: 7,
      subjectName: '张三',
      subjectCategory: 'natural',
      docType: 'residentId',
      docNumber: '410702198503151235',
      legalRepDocNumber: '410702197001011238',
      penaltyCategories: ['警告', '罚款'],
      decisionDate: new Date('2026-05-06T00:00:00Z'),
      publicityEndDate: null,
      publicUntil: new Date('2027-05-06T00:00:00Z'),
      tier: 'general',
    });
    expect(row).toMatchObject({ id: '7', docNumber: '410702********1235', publicityEndDate: '2027-05-06', penaltyCategories: '警告；罚款', tier: '一般' });
    expect(Object.values(row)).not.toContain('410702198503151235');
  });

  it('give list entries and commitments as the pages do', () => {
    const entry = listRow({
      id: 3,
      listType: 'black',
      issueTitle: '第1期',
      subjectName: '李四',
      subjectCategory: 'natural',
      uscc: null,
      docNumber: '410702198503151235',
      basisDocNo: '文号',
      basisAuthority: '法院',
      basisDate: new Date('2025-06-01T00:00:00Z'),
      reason: '事由',
      validUntil: new Date('2099-12-31T00:00:00Z'),
      department: '法院',
      persons: [],
      // 17:30 UTC is the next day in Beijing.
      exitedAt: new Date('2026-12-01T17:30:00Z'),
      exitReason: '已履行',
      disputed: false,
    });
    expect(entry).toMatchObject({ listLabel: '黑名单', docNumber: '410702********1235', uscc: '', exitedOn: '2026-12-02', basisDate: '2025-06-01' });
    const c = commitmentRow({
      id: 1,
      code: 'C1',
      promisorName: '王五',
      promisorCategory: 'natural',
      promisorCode: '410702198503151235',
      commitmentType: '主动型',
      matter: 'm',
      content: 'c',
      madeOn: new Date('2025-06-01T00:00:00Z'),
      fulfilment: null,
      department: '市场监管局',
      disputed: false,
    });
    expect(c).toMatchObject({ promisorCode: '410702********1235', fulfilment: '履行中', madeOn: '2025-06-01' });
  });
});
