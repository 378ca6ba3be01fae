import { describe, expect, it } from 'vitest';
import { displayRows, formValues, formatAmount, publicListRow } from './view-model.js';

const naturalPenalty = {
  id: 7,
  subjectName: '张伟',
  subjectCategory: 'natural',
  docType: 'residentId',
  docNumber: '410702198503151235',
  legalRepDocType: 'residentId',
  legalRepDocNumber: '410702198503151235',
  documentNo: '新市监罚〔2026〕1号',
  penaltyCategories: ['警告', '罚款'],
  fineAmount: '0.200000',
  decisionDate: new Date('2026-11-02T00:00:00Z'),
  validUntil: new Date('2099-12-31T00:00:00Z'),
  simpleProcedure: false,
  department: { name: '新乡市市场监督管理局' },
  county: { name: '红旗区' },
};

describe('publicity view models', () => {
  it('mask the ID number and drop 法定代表人证件号码 on public pages', () => {
    const rows = displayRows('penalty', naturalPenalty, { publicView: true });
    const html = JSON.stringify(rows);
    expect(html).not.toContain('410702198503151235');
    expect(rows.find((r) => r.code === 'CF_XDR_ZJHM')?.value).toBe('410702********1235');
    expect(rows.some((r) => r.code === 'CF_FR_ZJHM' || r.code === 'CF_FR_ZJLX')).toBe(false);
    expect(JSON.stringify(publicListRow('penalty', naturalPenalty))).not.toContain('410702198503151235');
  });

  it('label values as the national standard does', () => {
    const rows = Object.fromEntries(displayRows('penalty', naturalPenalty, { publicView: true }).map((r) => [r.code, r.value]));
    expect(rows.CF_XDR_LB).toBe('自然人');
    expect(rows.CF_XDR_ZJLX).toBe('身份证');
    expect(rows.CF_CFLB).toBe('警告；罚款');
    expect(rows.CF_NR_FK).toBe('0.2');
    expect(rows.CF_JDRQ).toBe('2026-11-02');
    expect(rows.CF_YXQ).toBe('长期');
  });

  it('show everything in the back office, and turn a record back into form values', () => {
    const rows = displayRows('penalty', naturalPenalty, { publicView: false });
    expect(rows.find((r) => r.code === 'CF_FR_ZJHM')?.value).toBe('410702198503151235');
    const v = formValues('penalty', naturalPenalty);
    expect(v.subjectCategory).toBe('自然人');
    expect(v.penaltyCategories).toBe('警告;罚款');
    expect(v.decisionDate).toBe('2026-11-02');
    expect(v.fineAmount).toBe('0.2');
  });

  it('formats 万元 amounts without float noise', () => {
    expect(formatAmount('12.500000')).toBe('12.5');
    expect(formatAmount('3.000000')).toBe('3');
    expect(formatAmount('40')).toBe('40');
  });
});
