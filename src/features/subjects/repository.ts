import type { Db } from '../../platform/database/client.js';
import type { DocumentType } from '../../generated/prisma/enums.js';
import { classifyCode, validateOrgCode, validateRegNo, validateUscc } from '../../domain/identifiers.js';

export type CodeLookup = { kind: 'uscc' | 'orgCode' | 'regNo'; value: string } | { kind: 'invalid'; reason: string } | { kind: 'notACode' };

/**
 * Reads what a visitor typed as a subject code. A value shaped like a code but failing its checks is
 * reported with the identifier module's reason, so the caller can answer 400 instead of "no results".
 */
export function parseSubjectCode(input: string): CodeLookup {
  const kind = classifyCode(input);
  if (kind === 'uscc') {
    const r = validateUscc(input);
    if (!r.ok) return { kind: 'invalid', reason: r.reason };
    return r.placeholder
      ? { kind: 'invalid', reason: '00000000000000000X 是无代码个体工商户的占位符，请改用工商注册号查询' }
      : { kind: 'uscc', value: r.value };
  }
  if (kind === 'regNo') {
    const r = validateRegNo(input);
    return r.ok ? { kind: 'regNo', value: r.value } : { kind: 'invalid', reason: r.reason };
  }
  if (kind === 'orgCode') {
    const r = validateOrgCode(input);
    return r.ok ? { kind: 'orgCode', value: r.value } : { kind: 'invalid', reason: r.reason };
  }
  return { kind: 'notACode' };
}

const LEGAL_PERSON_SELECT = {
  id: true,
  uscc: true,
  name: true,
  legalRepresentative: true,
  subjectType: true,
  status: true,
  address: true,
  establishedOn: true,
  orgCode: true,
  regNo: true,
  county: { select: { name: true } },
} as const;

/** The legal-person and natural-person libraries (法人库 / 自然人库). */
export class SubjectRepository {
  constructor(private readonly db: Db) {}

  /**
   * Finds a legal person by its USCC or by a legacy 组织机构代码 / 工商注册号 (both indexed). A legacy
   * organisation code is also the body of every post-2015 USCC (positions 9–17), which is tried last.
   */
  async findLegalPersonByCode(code: Exclude<CodeLookup, { kind: 'invalid' | 'notACode' }>) {
    if (code.kind === 'uscc') return this.db.legalPerson.findUnique({ where: { uscc: code.value }, select: LEGAL_PERSON_SELECT });
    if (code.kind === 'regNo') return this.db.legalPerson.findFirst({ where: { regNo: code.value }, select: LEGAL_PERSON_SELECT, orderBy: { id: 'asc' } });
    const orgCode = code.value.replace('-', '');
    return this.db.legalPerson.findFirst({ where: { orgCode }, select: LEGAL_PERSON_SELECT, orderBy: { id: 'asc' } });
  }

  findNaturalPerson(docType: DocumentType, docNumber: string) {
    return this.db.naturalPerson.findUnique({
      where: { docType_docNumber: { docType, docNumber } },
      select: { id: true, name: true, docType: true, docNumber: true },
    });
  }
}
