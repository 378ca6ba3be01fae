/**
 * Which authorities (许可机关 / 处罚机关) a department may report in the name of, and the check every record passes
 * on its way in, from the form and from a batch import alike.
 *
 * The code decides: it names the authority unambiguously, so a code outside the department's list is refused
 * whatever name goes with it. A known code with another name is refused too, naming the name registered for that
 * code (or one of its aliases). Accepting it would publish a decision under a name its authority does not bear;
 * replacing it silently would change what the clerk typed behind their back.
 */
import { KIND_LABELS, type RecordKind } from './fields.js';

export interface ReportableAuthority {
  name: string;
  uscc: string;
  aliases: readonly string[];
  permits: boolean;
  penalties: boolean;
}

export interface AuthorityIssue {
  key: 'authority' | 'authorityCode' | 'sourceName' | 'sourceCode';
  message: string;
}

export const AUTHORITY_LABELS: Record<RecordKind, string> = { permit: '许可机关', penalty: '处罚机关' };

/** How many allowed authorities a refusal lists before it says 「等 N 个」. */
const LISTED = 5;

/**
 * The same name as written by different systems: full-width and half-width forms (（ and (, Ａ and A) and spaces
 * differ between a scanned decision, Excel and a department's system without naming another authority.
 */
export function nameKey(name: string): string {
  return name.normalize('NFKC').replace(/\s+/g, '');
}

export const covers = (a: Pick<ReportableAuthority, 'permits' | 'penalties'>, kind: RecordKind): boolean => (kind === 'permit' ? a.permits : a.penalties);

export class AuthorityList {
  private readonly byCode: ReadonlyMap<string, ReportableAuthority>;

  constructor(readonly all: readonly ReportableAuthority[]) {
    this.byCode = new Map(all.map((a) => [a.uscc, a]));
  }

  /** The authorities a record of this kind may name, in the order the department's list gives them. */
  forKind(kind: RecordKind): ReportableAuthority[] {
    return this.all.filter((a) => covers(a, kind));
  }

  check(kind: RecordKind, input: { authority: string; authorityCode: string }): AuthorityIssue[] {
    const label = AUTHORITY_LABELS[kind];
    const allowed = this.forKind(kind);
    const found = this.byCode.get(input.authorityCode);
    if (!found || !covers(found, kind)) {
      const why = found
        ? `「${found.name}」只在本部门的${KIND_LABELS[kind === 'permit' ? 'penalty' : 'permit']}报送范围内，不能报送${KIND_LABELS[kind]}`
        : `${label}统一社会信用代码 ${input.authorityCode} 不在本部门可报送的${label}之内`;
      return [{ key: 'authorityCode', message: `${why}。${this.allowedText(kind, allowed)}` }];
    }
    const typed = nameKey(input.authority);
    if (typed === nameKey(found.name) || found.aliases.some((a) => nameKey(a) === typed)) return [];
    const aliases = found.aliases.length ? `（或其别名${found.aliases.map((a) => `「${a}」`).join('、')}）` : '';
    return [
      {
        key: 'authority',
        message: `${label}名称与统一社会信用代码不符：代码 ${found.uscc} 对应的${label}是「${found.name}」${aliases}，不是「${input.authority}」`,
      },
    ];
  }

  /**
   * The 数据来源单位 of an imported row is the department itself or an authority it reports for, named as registered:
   * a file cannot attribute its data to a unit the department does not report for.
   */
  checkSource(input: { sourceName: string; sourceCode: string }): AuthorityIssue[] {
    const found = this.byCode.get(input.sourceCode);
    if (!found) {
      const allowed = this.all
        .slice(0, LISTED)
        .map((a) => `${a.name}（${a.uscc}）`)
        .join('、');
      const more = this.all.length > LISTED ? `等 ${this.all.length} 个` : '';
      return [
        {
          key: 'sourceCode',
          message: `数据来源单位统一社会信用代码 ${input.sourceCode} 不是本部门或其报送的机关的代码${allowed ? `：数据来源单位应为 ${allowed}${more}` : ''}`,
        },
      ];
    }
    const typed = nameKey(input.sourceName);
    if (typed === nameKey(found.name) || found.aliases.some((a) => nameKey(a) === typed)) return [];
    return [
      { key: 'sourceName', message: `数据来源单位名称与统一社会信用代码不符：代码 ${found.uscc} 对应的是「${found.name}」，不是「${input.sourceName}」` },
    ];
  }

  private allowedText(kind: RecordKind, allowed: readonly ReportableAuthority[]): string {
    const label = AUTHORITY_LABELS[kind];
    if (allowed.length === 0) return `本部门尚未设置可报送的${label}，请联系系统管理员添加`;
    const shown = allowed
      .slice(0, LISTED)
      .map((a) => `${a.name}（${a.uscc}）`)
      .join('、');
    const more = allowed.length > LISTED ? `等 ${allowed.length} 个` : '';
    return `本部门可报送：${shown}${more}；代其他机关报送须由系统管理员先添加`;
  }
}
