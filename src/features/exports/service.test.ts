import { describe, expect, it } from 'vitest';
import { ExportService } from './service.js';
import { EXPORT_STATE_FIELDS } from '../../domain/publicity/fields.js';

/** The state columns of a penalty export (docs/domain.md "Credit repair"), for every way a record stands. */
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const base = {
  subjectName: '新乡市华兴食品有限公司',
  subjectCategory: 'legal',
  documentNo: '新市监罚〔2026〕1号',
  penaltyCategories: ['罚款'],
  decisionDate: day('2026-05-06'),
  validUntil: day('2026-05-06'),
  publicityEndDate: day('2027-05-01'),
  publicUntil: day('2027-05-01'),
  tier: 'general',
  isPublic: true,
  leftReason: null,
  leftPublicationAt: null,
  repairedAt: null,
};
const TODAY = '2026-12-03';

function state(rec: Record<string, unknown>) {
  const header = ExportService.header('penalty');
  const cells = ExportService.cells('penalty', rec, TODAY);
  const at = (code: string) => cells[header.indexOf(code)];
  return { gsjzq: at('CF_GSJZQ'), tier: at('GS_YZCD'), state: at('GS_ZT'), left: at('GS_TZRQ'), reason: at('GS_TZYY') };
}

describe('penalty export state columns', () => {
  it('the header ends with the state columns', () => {
    expect(ExportService.header('penalty').slice(-4)).toEqual(EXPORT_STATE_FIELDS.map((f) => f.code));
    expect(ExportService.header('permit')).not.toContain('GS_ZT');
  });

  it('a public record: the applied 公示截止期, not the reported one', () => {
    expect(state({ ...base, publicityEndDate: null })).toEqual({ gsjzq: '2027/05/01', tier: '一般', state: '公示中', left: '', reason: '' });
  });

  it('a repaired record is a repair notice', () => {
    const repaired = {
      ...base,
      isPublic: false,
      publicUntil: day('2026-12-02'),
      repairedAt: new Date('2026-12-03T02:00:00Z'),
      leftReason: 'repaired',
      leftPublicationAt: new Date('2026-12-02T17:30:00Z'),
    };
    // 17:30 UTC is 01:30 of the next day in Beijing.
    expect(state(repaired)).toEqual({ gsjzq: '2026/12/02', tier: '一般', state: '已停止公示', left: '2026/12/03', reason: '信用修复' });
  });

  it('an expired record, even before the nightly job, and a 轻微 record never published', () => {
    expect(state({ ...base, publicUntil: day('2026-12-01') })).toEqual({
      gsjzq: '2026/12/01',
      tier: '一般',
      state: '已停止公示',
      left: '2026/12/02',
      reason: '公示期满',
    });
    const minor = { ...base, tier: 'minor', isPublic: false, publicUntil: day('2026-05-06'), publicityEndDate: null };
    expect(state(minor)).toEqual({ gsjzq: '', tier: '轻微', state: '不予公示', left: '', reason: '依规定不公开公示' });
  });
});

describe('revocation notice (条例 Art. 42)', () => {
  it('a revoked penalty goes out as 已停止公示 / 撤销, dated the Beijing day it was taken down', () => {
    const revoked = {
      ...base,
      isPublic: false,
      revokedOn: day('2026-11-30'),
      // 16:30 UTC on 12-01 is 00:30 on 12-02 in Beijing.
      withdrawnAt: new Date('2026-12-01T16:30:00Z'),
    };
    expect(state(revoked)).toEqual({ gsjzq: '2027/05/01', tier: '一般', state: '已停止公示', left: '2026/12/02', reason: '撤销' });
  });

  it('a revoked permit carries 当前状态 无效', () => {
    const permit = {
      subjectName: '新乡市华兴食品有限公司',
      subjectCategory: 'legal',
      documentNo: '新市监许〔2026〕1号',
      decisionDate: day('2026-05-06'),
      revokedOn: day('2026-11-30'),
    };
    const header = ExportService.header('permit');
    expect(ExportService.cells('permit', permit, TODAY)[header.indexOf('XK_ZT')]).toBe('无效');
    expect(ExportService.cells('permit', { ...permit, revokedOn: null }, TODAY)[header.indexOf('XK_ZT')]).toBe('');
  });
});
