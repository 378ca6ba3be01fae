import { ALL_PENALTY_CATEGORIES } from './fields.js';

/**
 * 处罚类别 as people write it. A cell may list several categories separated by 、，,；;／/ or whitespace, and may
 * copy a whole item of 《行政处罚法》 Art. 9 (2021) or Art. 8 (the text in force until 2021-07-15), e.g.
 * 「罚款、没收违法所得、没收非法财物」 (item (二) of 2021): every category such an item names is taken.
 *
 * The 2017 wording 「没收违法所得、没收非法财物」 names two categories and becomes both. 「暂扣或者吊销许可证、暂扣或者吊销
 * 执照」 does not say which of the two happened, so either half keeps the pre-2021 category of that name
 * (it stays in the code list for old decisions). 「法律、行政法规规定的其他行政处罚」 is 其他.
 */

const OLD_LICENCE = '暂扣或者吊销许可证、暂扣或者吊销执照';

/** Wordings that are not a category name themselves, each → the categories it names. */
const ALIASES = new Map<string, readonly string[]>(
  Object.entries({
    其他行政处罚: ['其他'],
    法律行政法规规定的其他行政处罚: ['其他'],
    其它: ['其他'],
    暂扣或者吊销许可证: [OLD_LICENCE],
    暂扣或者吊销执照: [OLD_LICENCE],
    暂扣或吊销许可证: [OLD_LICENCE],
    暂扣或吊销执照: [OLD_LICENCE],
    暂扣许可证: ['暂扣许可证件'],
    暂扣执照: ['暂扣许可证件'],
    暂扣营业执照: ['暂扣许可证件'],
    吊销许可证: ['吊销许可证件'],
    吊销执照: ['吊销许可证件'],
    吊销营业执照: ['吊销许可证件'],
    没收违法所得和非法财物: ['没收违法所得', '没收非法财物'],
    没收非法所得: ['没收违法所得'],
    停产停业: ['责令停产停业'],
    拘留: ['行政拘留'],
  }),
);

const KNOWN = new Set(ALL_PENALTY_CATEGORIES);

/** Item numbers people copy with the text: （二）, (2), 二、, 2. */
const ENUMERATOR = /^(?:[(（][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+[、.．]|\d+[.．、])/;

export interface ParsedCategories {
  /** Recognised categories, in the order written, without repeats. */
  categories: string[];
  /** Pieces that name no category, as written. */
  unknown: string[];
}

export function parsePenaltyCategories(raw: string): ParsedCategories {
  const text = raw
    .normalize('NFKC')
    // The one wording with a separator inside a single category.
    .replace(/法律\s*[、,，]\s*行政法规规定的其他行政处罚/g, '其他');
  const categories: string[] = [];
  const unknown: string[] = [];
  const seen = new Set<string>();
  for (const piece of text.split(/[、,，;；/／|｜\s]+|并处|并|以及|及/)) {
    const token = piece
      .replace(ENUMERATOR, '')
      .replace(/[。.．:：]+$/, '')
      .trim();
    if (token === '') continue;
    const names = KNOWN.has(token) ? [token] : ALIASES.get(token);
    if (!names) {
      unknown.push(piece.trim());
      continue;
    }
    for (const n of names) {
      if (!seen.has(n)) {
        seen.add(n);
        categories.push(n);
      }
    }
  }
  return { categories, unknown };
}
