import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePenaltyCategories } from './categories.js';
import { ALL_PENALTY_CATEGORIES, PENALTY_CATEGORIES } from './fields.js';
import { penaltySchema } from './schemas.js';

const cats = (s: string): string[] => parsePenaltyCategories(s).categories;

/** 《行政处罚法》 (2021) Art. 9, item by item, as the law writes them. */
const ART9_2021: [string, string[]][] = [
  ['警告、通报批评', ['警告', '通报批评']],
  ['罚款、没收违法所得、没收非法财物', ['罚款', '没收违法所得', '没收非法财物']],
  ['暂扣许可证件、降低资质等级、吊销许可证件', ['暂扣许可证件', '降低资质等级', '吊销许可证件']],
  ['限制开展生产经营活动、责令停产停业、责令关闭、限制从业', ['限制开展生产经营活动', '责令停产停业', '责令关闭', '限制从业']],
  ['行政拘留', ['行政拘留']],
  ['法律、行政法规规定的其他行政处罚', ['其他']],
];
/** The text in force until 2021-07-15 (Art. 8). */
const ART8_2017: [string, string[]][] = [
  ['警告', ['警告']],
  ['罚款', ['罚款']],
  ['没收违法所得、没收非法财物', ['没收违法所得', '没收非法财物']],
  ['责令停产停业', ['责令停产停业']],
  ['暂扣或者吊销许可证、暂扣或者吊销执照', ['暂扣或者吊销许可证、暂扣或者吊销执照']],
  ['行政拘留', ['行政拘留']],
  ['法律、行政法规规定的其他行政处罚', ['其他']],
];

describe('处罚类别 as people write it', () => {
  it('reads every item of Art. 9 (2021) and Art. 8 (2017) as the categories it names', () => {
    for (const [text, expected] of [...ART9_2021, ...ART8_2017]) expect(parsePenaltyCategories(text), text).toEqual({ categories: expected, unknown: [] });
  });

  it('accepts every separator people use, item numbers and repeats', () => {
    expect(cats('警告；罚款')).toEqual(['警告', '罚款']);
    expect(cats('警告,罚款，没收违法所得 / 没收非法财物／责令关闭')).toEqual(['警告', '罚款', '没收违法所得', '没收非法财物', '责令关闭']);
    expect(cats('警告\u3000罚款\n限制从业')).toEqual(['警告', '罚款', '限制从业']);
    expect(cats('（一）警告；（二）罚款、没收违法所得')).toEqual(['警告', '罚款', '没收违法所得']);
    expect(cats('警告并处罚款')).toEqual(['警告', '罚款']);
    expect(cats('罚款;罚款、罚款')).toEqual(['罚款']);
    expect(cats('吊销营业执照')).toEqual(['吊销许可证件']);
  });

  it('names what it does not know, as written', () => {
    expect(parsePenaltyCategories('警告;打板子、罚款')).toEqual({ categories: ['警告', '罚款'], unknown: ['打板子'] });
  });

  it('needs the amount fields, naming both fields exactly', () => {
    const base = { penaltyCategories: '罚款、没收违法所得、没收非法财物', fineAmount: '', confiscatedAmount: '' };
    const r = penaltySchema({ today: '2026-06-30' }).safeParse(base);
    expect(r.success).toBe(false);
    const msgs = r.success ? [] : r.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`);
    expect(msgs).toContain('fineAmount: 处罚类别含「罚款」时，「罚款金额（万元）」必填');
    expect(msgs).toContain('confiscatedAmount: 处罚类别含「没收违法所得」时，「没收违法所得、没收非法财物的金额（万元）」必填');
  });

  const separator = fc.constantFrom('、', '，', ',', '；', ';', '／', '/', ' ', '\u3000', ' ; ', '、\n');
  const wording = fc.oneof(
    fc.constantFrom(...PENALTY_CATEGORIES).map((c) => [c, [c]] as [string, string[]]),
    fc.constantFrom(...ART9_2021, ...ART8_2017),
  );

  it('property: any list of categories and Art. 9 items, with any separators, gives exactly the categories named', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(wording, separator), { minLength: 1, maxLength: 8 }), fc.constantFrom('', ' ', '。'), (items, end) => {
        const text = items.map(([[w], sep], i) => (i === 0 ? w : sep + w)).join('') + end;
        const expected = [...new Set(items.flatMap(([[, c]]) => c))];
        expect(parsePenaltyCategories(text)).toEqual({ categories: expected, unknown: [] });
      }),
      { numRuns: 1000 },
    );
  });

  it('property: arbitrary text never throws and yields only catalogue categories', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (s) => {
        const r = parsePenaltyCategories(s);
        for (const c of r.categories) expect(ALL_PENALTY_CATEGORIES).toContain(c);
      }),
      { numRuns: 1000 },
    );
  });
});
