import type pg from 'pg';
import { beijingToday, isoDay } from '../../domain/dates.js';
import { displayRows, formatAmount } from '../publicity/view-model.js';
import { TIER_LABELS, type Tier } from '../../domain/publicity/tiers.js';

/** A penalty's tier and the day it leaves publication, as the profile lists it. */
function penaltyTerm(rec: Record<string, unknown>): string {
  const tier = TIER_LABELS[rec.tier as Tier];
  return `${tier ? ` · 严重程度：${tier}` : ''}${rec.publicUntil ? ` · 公示截止期 ${String(rec.publicUntil)}` : ''}`;
}
import { OPEN_STATUSES_SQL } from '../objections/service.js';

/** Labels of the legal-person library's enums, as the national report prints them. */
export const SUBJECT_TYPE_LABELS: Record<string, string> = { organisation: '法人及非法人组织', soleTrader: '个体工商户' };
export const STATUS_LABELS: Record<string, string> = { active: '存续', revoked: '吊销', cancelled: '注销', movedOut: '迁出' };

export interface ProfileRecord {
  kind: 'permit' | 'penalty' | 'red' | 'black' | 'commitment';
  id: number;
  href: string;
  title: string;
  documentNo: string;
  decisionDate: string;
  authority: string;
  summary: string;
  /** every public field, labelled as in the national standard: filled for the credit report (byUscc full), empty for the web page */
  fields: { label: string; value: string }[];
  /** an objection to it is being handled (异议处理中) */
  disputed?: boolean;
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

interface ProfileRow {
  id: number;
  uscc: string | null;
  name: string;
  legal_representative: string | null;
  subject_type: string;
  status: string;
  address: string | null;
  established_on: string | null;
  org_code: string | null;
  reg_no: string | null;
  county: string | null;
  permits: Record<string, unknown>[];
  penalties: Record<string, unknown>[];
  list_entries: Record<string, unknown>[];
  commitments: Record<string, unknown>[];
}

/** Column name → camelCase key; the columns are a fixed set, so each is converted once per process. */
const CAMEL = new Map<string, string>();

/** Rows aggregated by PostgreSQL arrive with column names; the field catalogue speaks in camelCase keys. */
function camelKeys(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k in row) {
    let key = CAMEL.get(k);
    if (key === undefined) {
      key = k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
      if (CAMEL.size < 1000) CAMEL.set(k, key);
    }
    out[key] = row[k];
  }
  return out;
}

/** The `objection_open` flag of a record (alias `alias`) whose objections point at it through `col`. */
const open = (col: string, alias = 'p') =>
  `'objection_open', EXISTS (SELECT 1 FROM objection o WHERE o.${col} = ${alias}.id AND o.status IN ${OPEN_STATUSES_SQL})`;

/**
 * A subject's credit profile in one query whatever the number of records, so a subject with thousands of
 * records costs the same round trip as one with none.
 *
 * The subject and its public records aggregated as JSON, in one statement ($1 USCC, $2 today). Amounts travel as
 * text so decimal(18,6) keeps every digit; the founding date as text so no time zone can shift it. The web page
 * lists a few columns of each record, the credit report prints every public field: the page asks for those few
 * (`full` false), which spares PostgreSQL building and Node parsing some forty columns a record, and builds them as
 * json, not jsonb, which json_agg would only turn back into text, a measurable share of the query
 * (docs/performance.md#search).
 */

function profileSql(full: boolean): string {
  const permit = full
    ? `to_jsonb(p) || jsonb_build_object(${open('permit_id')})`
    : `json_build_object('id', p.id, 'document_name', p.document_name, 'document_no', p.document_no, 'decision_date', p.decision_date, 'authority', p.authority,
                          'permit_category', p.permit_category, 'content', p.content, ${open('permit_id')})`;
  const penalty = full
    ? `to_jsonb(p) || jsonb_build_object('fine_amount', p.fine_amount::text, 'confiscated_amount', p.confiscated_amount::text, ${open('penalty_id')})`
    : `json_build_object('id', p.id, 'violation_type', p.violation_type, 'document_no', p.document_no, 'decision_date', p.decision_date, 'authority', p.authority,
                          'penalty_categories', p.penalty_categories, 'fine_amount', p.fine_amount::text, 'tier', p.tier, 'public_until', p.public_until,
                          ${open('penalty_id')})`;
  return `
      SELECT lp.id, lp.uscc, lp.name, lp.legal_representative, lp.subject_type::text AS subject_type, lp.status::text AS status,
             lp.address, lp.established_on::text AS established_on, lp.org_code, lp.reg_no, c.name AS county,
             (SELECT coalesce(json_agg(${permit} ORDER BY p.decision_date DESC, p.id DESC), '[]')
                FROM permit p WHERE p.legal_person_id = lp.id AND p.is_public) AS permits,
             (SELECT coalesce(json_agg(${penalty} ORDER BY p.decision_date DESC, p.id DESC), '[]')
                FROM penalty p WHERE p.legal_person_id = lp.id AND p.is_public AND p.public_until >= $2::date) AS penalties,
             (SELECT coalesce(json_agg(to_jsonb(e) || jsonb_build_object(${open('list_entry_id', 'e')})
                                       ORDER BY e.basis_date DESC, e.id DESC), '[]')
                FROM list_entry e JOIN list_issue i ON i.id = e.issue_id
               WHERE e.legal_person_id = lp.id AND i.published_at IS NOT NULL AND e.exited_at IS NULL AND e.valid_until >= $2::date) AS list_entries,
             (SELECT coalesce(json_agg(to_jsonb(c) || jsonb_build_object(${open('commitment_id', 'c')})
                                       ORDER BY c.made_on DESC, c.id DESC), '[]')
                FROM commitment c WHERE c.legal_person_id = lp.id AND c.disclosure = '可向社会公开') AS commitments
        FROM legal_person lp LEFT JOIN county c ON c.id = lp.county_id
       WHERE lp.uscc = $1`;
}
const PROFILE_SQL = { page: profileSql(false), report: profileSql(true) };

export class ProfileService {
  constructor(private readonly db: Pick<pg.Pool, 'query'>) {}

  /** `full`: every public field of every record (the credit report); otherwise what the web page lists. */
  async byUscc(uscc: string, opts: { full?: boolean } = {}): Promise<SubjectProfile | null> {
    const today = beijingToday();
    const full = opts.full ?? false;
    // A named statement through node-pg: planned once per connection instead of on every request (the plan
    // with its four aggregates costs about as much as running it), and the JSON parsed without Prisma's raw-row mapping.
    const {
      rows: [row],
    } = await this.db.query<ProfileRow>({
      name: full ? 'subject-profile-full' : 'subject-profile',
      text: full ? PROFILE_SQL.report : PROFILE_SQL.page,
      values: [uscc, today],
    });
    if (!row || !row.uscc) return null;
    const lp = {
      ...row,
      uscc: row.uscc,
      legalRepresentative: row.legal_representative,
      subjectType: row.subject_type,
      establishedOn: row.established_on,
      orgCode: row.org_code,
      regNo: row.reg_no,
      county: row.county ? { name: row.county } : null,
    };
    const permits = row.permits.map(camelKeys);
    const penalties = row.penalties.map(camelKeys);
    const entries = row.list_entries.map(camelKeys);
    const listRec = (e: Record<string, unknown>): ProfileRecord => ({
      kind: e.listType as 'red' | 'black',
      id: e.id as number,
      href: `/lists/${String(e.issueId)}`,
      title: String(e.reason),
      documentNo: String(e.basisDocNo),
      decisionDate: String(e.basisDate),
      authority: String(e.basisAuthority),
      summary: `有效期至 ${String(e.validUntil)}`,
      fields: full
        ? [
            { label: '认定文号', value: String(e.basisDocNo) },
            { label: '认定单位', value: String(e.basisAuthority) },
            { label: '认定日期', value: String(e.basisDate) },
            { label: '列入事由', value: String(e.reason) },
            { label: '有效期至', value: String(e.validUntil) },
            { label: '报送部门', value: String(e.department) },
          ]
        : [],
      disputed: e.objectionOpen === true,
    });
    const commitmentRows = row.commitments.map(camelKeys);
    // 违诺: a commitment assessed as not (wholly) fulfilled.
    const broken = commitmentRows.some((c) => c.fulfilment === '部分履行' || c.fulfilment === '全部未履行');
    const commitments: ProfileRecord[] = commitmentRows.map((c) => ({
      kind: 'commitment',
      id: c.id as number,
      href: `/commitments/${String(c.id)}`,
      title: String(c.matter),
      documentNo: String(c.code),
      decisionDate: String(c.madeOn),
      authority: String(c.commitmentType),
      summary: c.fulfilment ? String(c.fulfilment) : '履行中',
      fields: full
        ? [
            { label: '承诺编码', value: String(c.code) },
            { label: '承诺类型', value: String(c.commitmentType) },
            { label: '承诺事由', value: String(c.matter) },
            { label: '承诺内容', value: String(c.content) },
            { label: '承诺作出日期', value: String(c.madeOn) },
            { label: '承诺履行状态', value: c.fulfilment ? String(c.fulfilment) : '履行中' },
          ]
        : [],
      disputed: c.objectionOpen === true,
    }));
    const red = entries.filter((e) => e.listType === 'red').map(listRec);
    const black = entries.filter((e) => e.listType === 'black').map(listRec);
    const rec = (kind: 'permit' | 'penalty', asRec: Record<string, unknown>): ProfileRecord => {
      return {
        kind,
        id: asRec.id as number,
        href: `/publicity/${kind === 'permit' ? 'permits' : 'penalties'}/${String(asRec.id)}`,
        title: kind === 'permit' ? String(asRec.documentName) : String(asRec.violationType),
        documentNo: String(asRec.documentNo),
        decisionDate: String(asRec.decisionDate),
        authority: String(asRec.authority),
        summary:
          kind === 'permit'
            ? `${String(asRec.permitCategory)} · ${String(asRec.content)}`
            : `${(asRec.penaltyCategories as string[]).join('、')}${asRec.fineAmount ? ` · 罚款 ${formatAmount(asRec.fineAmount)} 万元` : ''}${penaltyTerm(asRec)}`,
        fields: full
          ? [
              ...displayRows(kind, asRec, { publicView: true })
                .filter((f) => f.value !== '')
                .map((f) => ({ label: f.label, value: f.value })),
              ...(asRec.objectionOpen ? [{ label: '异议状态', value: '异议处理中' }] : []),
            ]
          : [],
        disputed: asRec.objectionOpen === true,
      };
    };
    const statusLabel = STATUS_LABELS[lp.status] ?? lp.status;
    const sections: ProfileSection[] = [
      { key: 'basic', title: '一、基础信息', records: [] },
      { key: 'permits', title: '二、行政许可信息', records: permits.map((p) => rec('permit', p)) },
      { key: 'penalties', title: '三、行政处罚信息', records: penalties.map((p) => rec('penalty', p)) },
      { key: 'red', title: '四、守信激励信息（红名单）', records: red },
      { key: 'black', title: '五、失信惩戒信息（黑名单）', records: black },
      { key: 'commitments', title: '六、信用承诺信息', records: commitments },
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
        establishedOn: lp.establishedOn ? isoDay(lp.establishedOn) : null,
        county: lp.county?.name ?? null,
        orgCode: lp.orgCode,
        regNo: lp.regNo,
      },
      tags: [statusLabel, ...(red.length ? ['守信激励对象'] : []), ...(black.length ? ['失信惩戒对象'] : []), ...(broken ? ['存在违诺'] : [])],
      counts: { permits: permits.length, penalties: penalties.length, red: red.length, black: black.length, commitments: commitments.length },
      sections,
      asOf: today,
    };
  }
}
