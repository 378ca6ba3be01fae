import type { RecordKind } from '../../src/domain/publicity/fields.js';
import { monthsFrom, slashDay } from './dates.js';

/** A valid USCC of a Xinxiang company and the 市场监管局's own code, for building records in tests. */
export const COMPANY_USCC = '91410700174608534E';
export const AGENCY_USCC = '114107000052410574';
/** The 生态环境局 (seedUsers' other department) and its own code. */
export const OTHER_AGENCY = '新乡市生态环境局';
export const OTHER_AGENCY_USCC = '114107000059623480';

let serial = 0;

/** Decided a month ago (Beijing time): late for 及时率, well inside every publicity period. */
export const DECIDED = -30;
const slash = (iso: string) => iso.replace(/-/g, '/');

/** Raw form/CSV strings for one valid record; override any field. */
export function rawRecord(kind: RecordKind, over: Record<string, string> = {}): Record<string, string> {
  serial++;
  const decided = slashDay(DECIDED);
  const common = {
    subjectName: '新乡市华兴食品有限公司',
    subjectCategory: '法人及非法人组织',
    uscc: COMPANY_USCC,
    legalRepresentative: '王建国',
    decisionDate: decided,
    authority: '新乡市市场监督管理局',
    authorityCode: AGENCY_USCC,
    sourceName: '新乡市市场监督管理局',
    sourceCode: AGENCY_USCC,
  };
  const own: Record<string, string> =
    kind === 'permit'
      ? {
          documentName: '食品经营许可证',
          documentNo: `新市监许〔2026〕${serial}号`,
          permitCategory: '普通',
          decisionDate: decided,
          validFrom: decided,
          validTo: slash(monthsFrom(60, DECIDED - 1)),
          content: '预包装食品销售',
        }
      : {
          documentNo: `新市监罚〔2026〕${serial}号`,
          violationType: '销售过期食品',
          facts: '当事人销售超过保质期的食品',
          basis: '《中华人民共和国食品安全法》第一百二十四条',
          penaltyCategories: '警告;罚款',
          content: '警告，罚款人民币 2000 元',
          fineAmount: '0.2',
          validUntil: slash(monthsFrom(12, DECIDED - 1)),
        };
  return { ...common, ...own, ...over };
}
