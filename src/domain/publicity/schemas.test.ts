import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PENALTY_FIELDS, PERMIT_FIELDS } from './fields.js';
import { penaltySchema, permitSchema } from './schemas.js';
import { addMonths, parseDate } from '../dates.js';

const TODAY = '2026-11-27';
const AGENCY = '114107000052410574';

const permit = {
  subjectName: '新乡市华兴食品有限公司',
  subjectCategory: '法人及非法人组织',
  uscc: '91410700174608534E',
  legalRepresentative: '王建国',
  documentName: '食品经营许可证',
  documentNo: '新市监许〔2026〕1号',
  permitCategory: '普通',
  decisionDate: '2026/11/02',
  validFrom: '2026/11/02',
  validTo: '2099/12/31',
  content: '预包装食品销售',
  authority: '新乡市市场监督管理局',
  authorityCode: AGENCY,
  sourceName: '新乡市市场监督管理局',
  sourceCode: AGENCY,
};

const penalty = {
  ...permit,
  documentNo: '新市监罚〔2026〕1号',
  violationType: '销售过期食品',
  facts: '销售超过保质期的食品',
  basis: '《食品安全法》第一百二十四条',
  penaltyCategories: '警告；罚款',
  content: '警告，罚款 2000 元',
  fineAmount: '0.2',
  validUntil: '2027/11/01',
};

function messages(schema: ReturnType<typeof permitSchema> | ReturnType<typeof penaltySchema>, raw: Record<string, string>): Record<string, string> {
  const r = schema.safeParse(raw);
  if (r.success) return {};
  return Object.fromEntries(r.error.issues.map((i) => [String(i.path[0]), i.message]));
}

describe('record schemas: national rules', () => {
  it('accept a valid permit and normalise it', () => {
    const r = permitSchema({ today: TODAY }).parse({ ...permit, uscc: ' 91410700174608534e ' });
    expect(r.uscc).toBe('91410700174608534E');
    expect(r.decisionDate).toBe('2026-11-02');
    expect(r.validTo).toBe('2099-12-31');
    expect(r.subjectCategory).toBe('legal');
  });

  it('parse dates in the national and common forms, and refuse impossible ones', () => {
    expect(parseDate('2026/11/02')).toBe('2026-11-02');
    expect(parseDate('2026-1-2')).toBe('2026-01-02');
    expect(parseDate('20261102')).toBe('2026-11-02');
    expect(parseDate('2026年11月2日')).toBe('2026-11-02');
    expect(parseDate('2026/02/30')).toBeNull();
    expect(parseDate('2026/13/01')).toBeNull();
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
  });

  it('require what the subject category requires', () => {
    const s = permitSchema({ today: TODAY });
    expect(messages(s, { ...permit, uscc: '' }).uscc).toContain('行政相对人类别为法人及非法人组织时必填');
    expect(messages(s, { ...permit, legalRepresentative: '' }).legalRepresentative).toContain('必填');
    const natural = { ...permit, subjectCategory: '自然人', uscc: '', legalRepresentative: '', docType: '', docNumber: '' };
    const m = messages(s, natural);
    expect(m.docType).toContain('自然人时必填');
    expect(m.docNumber).toContain('自然人时必填');
    expect(messages(s, { ...natural, docType: '身份证', docNumber: '410702198503151234' }).docNumber).toMatch(/校验码/);
    expect(messages(s, { ...natural, docType: '护照号', docNumber: 'E12345678' })).toEqual({});
    expect(messages(s, { ...natural, uscc: '91410700174608534E', docType: '护照号', docNumber: 'E1' }).uscc).toContain('自然人时不填');
    const soleTrader = { ...permit, subjectCategory: '个体工商户', uscc: '00000000000000000X', legalRepresentative: '' };
    expect(messages(s, soleTrader).regNo).toContain('工商注册号必填');
    expect(messages(s, { ...soleTrader, regNo: '410700000012348' })).toEqual({});
    expect(messages(s, { ...permit, uscc: '00000000000000000X' }).uscc).toContain('不能使用占位代码');
  });

  it('check dates, amounts and categories', () => {
    const s = penaltySchema({ today: TODAY });
    expect(messages(s, { ...penalty, decisionDate: '2026/11/28' }).decisionDate).toContain('不能晚于今天');
    expect(messages(permitSchema({ today: TODAY }), { ...permit, validFrom: '2026/11/03', validTo: '2026/11/02' }).validTo).toContain('不能早于有效期自');
    expect(messages(s, { ...penalty, fineAmount: '-1' }).fineAmount).toContain('不小于 0');
    expect(messages(s, { ...penalty, fineAmount: '0.1234567' }).fineAmount).toContain('最多 6 位小数');
    expect(messages(s, { ...penalty, fineAmount: '' }).fineAmount).toBe('处罚类别含「罚款」时，「罚款金额（万元）」必填');
    expect(messages(s, { ...penalty, penaltyCategories: '警告;打板子' }).penaltyCategories).toContain('打板子');
    expect(messages(s, { ...penalty, penaltyCategories: '没收违法所得、没收非法财物', fineAmount: '' }).confiscatedAmount).toBe(
      '处罚类别含「没收违法所得」时，「没收违法所得、没收非法财物的金额（万元）」必填',
    );
    expect(messages(s, { ...penalty, penaltyCategories: '吊销许可证件', fineAmount: '' }).licenceAffected).toBe(
      '处罚类别含「吊销许可证件」时，「暂扣或吊销证照名称及编号」必填',
    );
    expect(messages(s, { ...penalty, publicityEndDate: '2000/01/01' }).publicityEndDate).toContain('不能早于处罚决定日期');
    expect(messages(s, { ...penalty, publicityEndDate: '2030/01/01' }).publicityEndDate).toContain('最长公示期');
    expect(messages(s, { ...penalty, authorityCode: '114107000052410575' }).authorityCode).toContain('处罚机关统一社会信用代码：');
  });

  it('reports every problem of a row at once', () => {
    const m = messages(penaltySchema({ today: TODAY }), { ...penalty, subjectName: '', documentNo: '', uscc: 'BAD', decisionDate: 'x', fineAmount: 'abc' });
    expect(Object.keys(m).sort()).toEqual(['decisionDate', 'documentNo', 'fineAmount', 'subjectName', 'uscc']);
  });
});

describe('record schemas: properties', () => {
  const keysOf = (fields: typeof PERMIT_FIELDS) => fields.map((f) => f.key);
  const anyString = fc.oneof(
    fc.string(),
    fc.string({ unit: 'grapheme' }),
    fc.constantFrom('', ' ', '2026/02/30', '00000000000000000X', '警告;罚款', '自然人', '身份证', '-0', '1e9', '\u0000', '长期'),
  );

  for (const [kind, base, fields, schema] of [
    ['permit', permit, PERMIT_FIELDS, permitSchema({ today: TODAY })],
    ['penalty', penalty, PENALTY_FIELDS, penaltySchema({ today: TODAY })],
  ] as const) {
    it(`${kind}: any row, however mangled, is accepted or refused with Chinese messages on known fields — never a throw`, () => {
      const keys = keysOf(fields);
      fc.assert(
        fc.property(fc.dictionary(fc.constantFrom(...keys), anyString), fc.boolean(), (changes, fromBase) => {
          const raw: Record<string, string> = fromBase ? { ...base, ...changes } : changes;
          const r = schema.safeParse(raw);
          if (!r.success) {
            for (const issue of r.error.issues) {
              expect(keys).toContain(String(issue.path[0]));
              expect(issue.message).toMatch(/[\u4e00-\u9fff]/);
            }
          }
        }),
        { numRuns: 500 },
      );
    });
  }
});
