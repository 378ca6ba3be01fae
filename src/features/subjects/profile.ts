import type { Db } from '../../platform/database/client.js';
import { beijingToday } from '../../domain/publicity/schemas.js';
import { displayRows, formatAmount } from '../publicity/view-model.js';

/** Labels of the legal-person library's enums, as the national report prints them. */
export const SUBJECT_TYPE_LABELS: Record<string, string> = { organisation: '法人及非法人组织', soleTrader: '个体工商户' };
export const STATUS_LABELS: Record<string, string> = { active: '存续', revoked: '吊销', cancelled: '注销', movedOut: '迁出' };

export interface ProfileRecord {
  kind: 'permit' | 'penalty';
  id: number;
  href: string;
  title: string;
  documentNo: string;
  decisionDate: string;
  authority: string;
  summary: string;
  /** every public field, labelled as in the national standard (for the report) */
  fields: { label: string; value: string }[];
}

export interface ProfileSection {
  key: 'basic' | 'permits' | 'penalties' | 'red' | 'black' | 'commitments' | 'other';
  /** numbered as in the national public credit report */
  title: string;
  records: ProfileRecord[];
}

export interface SubjectProfile {
  subject: {
    id: number;
    uscc: string;
    name: string;
    legalRepresentative: string | null;
    subjectType: string;
    status: string;
    address: string | null;
    establishedOn: string | null;
    county: string | null;
    orgCode: string | null;
    regNo: string | null;
  };
  /** 存续/注销…, 守信激励对象, 失信惩戒对象 */
  tags: string[];
  counts: { permits: number; penalties: number; red: number; black: number; commitments: number };
  sections: ProfileSection[];
  /** the day the figures are computed for (Beijing), as the report's 查询期 ends */
  asOf: string;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString().slice(0, 10) : '');

/**
 * A subject's credit profile: a fixed number of queries whatever the number of records (one for the subject,
 * one per record kind), so a subject with thousands of records costs the same round trips as one with none.
 */
export class ProfileService {
  constructor(private readonly db: Db) {}

  async byUscc(uscc: string): Promise<SubjectProfile | null> {
    const lp = await this.db.legalPerson.findUnique({ where: { uscc }, include: { county: { select: { name: true } } } });
    if (!lp || !lp.uscc) return null;
    const today = beijingToday();
    const todayDate = new Date(`${today}T00:00:00Z`);
    const [permits, penalties] = await Promise.all([
      this.db.permit.findMany({ where: { legalPersonId: lp.id, isPublic: true }, orderBy: [{ decisionDate: 'desc' }, { id: 'desc' }] }),
      this.db.penalty.findMany({ where: { legalPersonId: lp.id, isPublic: true, publicUntil: { gte: todayDate } }, orderBy: [{ decisionDate: 'desc' }, { id: 'desc' }] }),
    ]);
    const rec = (kind: 'permit' | 'penalty', r: (typeof permits)[number] | (typeof penalties)[number]): ProfileRecord => {
      const asRec = r as unknown as Record<string, unknown>;
      return {
        kind,
        id: r.id,
        href: `/publicity/${kind === 'permit' ? 'permits' : 'penalties'}/${r.id}`,
        title: kind === 'permit' ? String(asRec.documentName) : String(asRec.violationType),
        documentNo: r.documentNo,
        decisionDate: iso(r.decisionDate),
        authority: r.authority,
        summary:
          kind === 'permit'
            ? `${String(asRec.permitCategory)} · ${r.content}`
            : `${(asRec.penaltyCategories as string[]).join('、')}${asRec.fineAmount ? ` · 罚款 ${formatAmount(asRec.fineAmount)} 万元` : ''}`,
        fields: displayRows(kind, asRec, { publicView: true })
          .filter((f) => f.value !== '')
          .map((f) => ({ label: f.label, value: f.value })),
      };
    };
    const statusLabel = STATUS_LABELS[lp.status] ?? lp.status;
    const sections: ProfileSection[] = [
      { key: 'basic', title: '一、基础信息', records: [] },
      { key: 'permits', title: '二、行政许可信息', records: permits.map((p) => rec('permit', p)) },
      { key: 'penalties', title: '三、行政处罚信息', records: penalties.map((p) => rec('penalty', p)) },
      { key: 'red', title: '四、守信激励信息（红名单）', records: [] },
      { key: 'black', title: '五、失信惩戒信息（黑名单）', records: [] },
      { key: 'commitments', title: '六、信用承诺信息', records: [] },
      { key: 'other', title: '七、其他信息', records: [] },
    ];
    return {
      subject: {
        id: lp.id,
        uscc: lp.uscc,
        name: lp.name,
        legalRepresentative: lp.legalRepresentative,
        subjectType: SUBJECT_TYPE_LABELS[lp.subjectType] ?? lp.subjectType,
        status: statusLabel,
        address: lp.address,
        establishedOn: lp.establishedOn ? iso(lp.establishedOn) : null,
        county: lp.county?.name ?? null,
        orgCode: lp.orgCode,
        regNo: lp.regNo,
      },
      tags: [statusLabel],
      counts: { permits: permits.length, penalties: penalties.length, red: 0, black: 0, commitments: 0 },
      sections,
      asOf: today,
    };
  }
}
