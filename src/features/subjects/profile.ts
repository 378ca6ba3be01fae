import { TIER_LABELS, type Tier } from '../../domain/publicity/tiers.js';
import { beijingToday, isoDay } from '../../domain/dates.js';
import { brokenCommitmentTier, listEntryTier, tierLabel } from '../../domain/adverse-tiers.js';
import { displayRows, formatAmount } from '../publicity/view-model.js';
import type { PublicFields } from '../catalogue/service.js';
import { COMMITMENT_ITEM_CODE, LEGAL_PERSON_ITEM_CODE, LIST_ITEM_CODES, RECORD_ITEM_CODES } from '../catalogue/codes.js';
import type {
  ProfileCommitmentRow,
  ProfileListEntryRow,
  ProfilePenaltyRow,
  ProfilePermitRow,
  ProfileRepository,
  ProfileSectionKey,
} from './profile-repository.js';

export { PROFILE_SECTIONS, type ProfileSectionKey } from './profile-repository.js';

/** Records per section on the profile page; the rest are on the section's own pages. */
export const PROFILE_PAGE_ROWS = 20;
/** Records per page of a section's own view. */
export const SECTION_PAGE_ROWS = 50;
/**
 * Records per section printed in the credit report: a subject with thousands of records would otherwise get a
 * report of hundreds of pages, and its rendering would hold a request for seconds. The report says how many were
 * left out and where to see them.
 */
export const REPORT_SECTION_ROWS = 500;

/** A penalty's tier and the day it leaves publication, as the profile lists it. */
function penaltyTerm(p: ProfilePenaltyRow): string {
  const tier = p.tier ? TIER_LABELS[p.tier as Tier] : undefined;
  return `${tier ? ` · 严重程度：${tier}` : ''}${p.public_until ? ` · 公示截止期 ${p.public_until}` : ''}`;
}

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
  /** how many records the section holds in all; `records` is the first page (or the asked page) of them */
  total: number;
  /** The catalogue keeps the whole item off public pages (条例 Art. 11, 18): a notice instead of the records. */
  notPublic?: boolean;
}

export interface SubjectProfile {
  subject: {
    id: number;
    uscc: string;
    name: string;
    legalRepresentative: string | null;
    /** null when the catalogue keeps it off public pages (item FRJC) */
    subjectType: string | null;
    status: string | null;
    address: string | null;
    establishedOn: string | null;
    county: string | null;
    orgCode: string | null;
    regNo: string | null;
  };
  /** The base-data keys the catalogue keeps off public pages (item FRJC): their rows are left out, not shown as "—". */
  hiddenBase?: string[];
  /** 存续/注销…, 守信激励对象, 失信惩戒对象 */
  tags: string[];
  counts: { permits: number; penalties: number; red: number; black: number; commitments: number };
  sections: ProfileSection[];
  /** the day the figures are computed for (Beijing), as the report's 查询期 ends */
  asOf: string;
}

/** Numbered as in the national public credit report. */
export const SECTION_TITLES: Record<ProfileSection['key'], string> = {
  basic: '一、基础信息',
  permits: '二、行政许可信息',
  penalties: '三、行政处罚信息',
  red: '四、守信激励信息（红名单）',
  black: '五、失信惩戒信息（黑名单）',
  commitments: '六、信用承诺信息',
  other: '七、其他信息',
};

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

export class ProfileService {
  constructor(
    private readonly repo: ProfileRepository,
    /** 条例 Art. 11: the catalogue decides which fields the page and the credit report may show. */
    private readonly publicFields: () => Promise<PublicFields>,
  ) {}

  /**
   * `full`: every public field of every record (the credit report); otherwise what the web page lists. `limit`
   * records per section (the page's first rows by default); with `section`, only that section's records, `limit`
   * of them from `offset` (its own paged view).
   */
  async byUscc(uscc: string, opts: { full?: boolean; limit?: number; section?: ProfileSectionKey; offset?: number } = {}): Promise<SubjectProfile | null> {
    const today = beijingToday();
    const full = opts.full ?? false;
    const limit = opts.limit ?? (full ? REPORT_SECTION_ROWS : PROFILE_PAGE_ROWS);
    const [row, shown] = await Promise.all([
      this.repo.byUscc(uscc, today, { full, limit, ...(opts.section ? { section: opts.section, offset: opts.offset ?? 0 } : {}) }),
      this.publicFields(),
    ]);
    if (!row || !row.uscc) return null;
    const hiddenPermit = shown.hiddenKeys('permit');
    const hiddenPenalty = shown.hiddenKeys('penalty');
    /** A value the catalogue keeps off public pages comes out empty. */
    const pick = (hidden: ReadonlySet<string>, key: string, value: string) => (hidden.has(key) ? '' : value);
    const listRec = (e: ProfileListEntryRow): ProfileRecord => {
      // 条例 Art. 11: a field of the list's catalogue item that is not 社会公开 comes out empty.
      const hidden = shown.hiddenListKeys(e.list_type);
      const v = (key: string, value: unknown) => (hidden.has(key) ? '' : String(value));
      const tier = e.list_type === 'black' ? `严重程度：${tierLabel(listEntryTier('black'))}` : '';
      const until = v('validUntil', e.valid_until);
      return {
        kind: e.list_type,
        id: e.id,
        href: `/lists/${String(e.issue_id)}`,
        title: v('reason', e.reason) || (e.list_type === 'black' ? '失信惩戒对象名单' : '守信激励对象名单'),
        documentNo: v('basisDocNo', e.basis_doc_no),
        decisionDate: v('basisDate', e.basis_date),
        authority: v('basisAuthority', e.basis_authority),
        // A black-list entry is adverse information of the 严重 tier (src/domain/adverse-tiers.ts).
        summary: [tier, until ? `有效期至 ${until}` : ''].filter(Boolean).join(' · '),
        fields: full
          ? [
              ...(e.list_type === 'black' ? [{ label: '严重程度', value: tierLabel(listEntryTier('black'))! }] : []),
              { label: '认定文号', value: v('basisDocNo', e.basis_doc_no) },
              { label: '认定单位', value: v('basisAuthority', e.basis_authority) },
              { label: '认定日期', value: v('basisDate', e.basis_date) },
              { label: '列入事由', value: v('reason', e.reason) },
              { label: '有效期至', value: until },
              { label: '报送部门', value: v('department', e.department) },
            ].filter((f) => f.value !== '')
          : [],
        disputed: e.objection_open === true,
      };
    };
    // 条例 Art. 11: the commitment fields the catalogue (XYCN) does not mark 社会公开 come out empty; a hidden 履行状态
    // takes its tier with it.
    const hiddenC = shown.hiddenCommitmentKeys();
    const commitmentsHidden = !shown.showsItem(COMMITMENT_ITEM_CODE);
    const c_ = (key: string, value: unknown) => (hiddenC.has(key) ? '' : String(value));
    // 违诺: a commitment assessed as not (wholly) fulfilled; a tag the public sees only with the 履行状态 itself.
    const broken = !commitmentsHidden && !hiddenC.has('fulfilment') && row.commitment_broken;
    const commitments: ProfileRecord[] = (commitmentsHidden ? [] : row.commitments).map((c: ProfileCommitmentRow) => {
      const fulfilmentShown = !hiddenC.has('fulfilment');
      const tier = fulfilmentShown ? brokenCommitmentTier(c.fulfilment) : null;
      return {
        kind: 'commitment',
        id: c.id,
        href: `/commitments/${String(c.id)}`,
        title: c_('matter', c.matter) || '信用承诺',
        documentNo: c_('code', c.code),
        decisionDate: c_('madeOn', c.made_on),
        authority: c_('commitmentType', c.commitment_type),
        summary: fulfilmentShown ? (c.fulfilment ? `${String(c.fulfilment)}${tier ? ` · 严重程度：${tierLabel(tier)}` : ''}` : '履行中') : '',
        fields: full
          ? [
              { label: '承诺编码', value: c_('code', c.code) },
              { label: '承诺类型', value: c_('commitmentType', c.commitment_type) },
              { label: '承诺事由', value: c_('matter', c.matter) },
              { label: '承诺内容', value: c_('content', c.content) },
              { label: '承诺作出日期', value: c_('madeOn', c.made_on) },
              { label: '承诺履行状态', value: fulfilmentShown ? (c.fulfilment ? String(c.fulfilment) : '履行中') : '' },
              ...(tier ? [{ label: '严重程度', value: tierLabel(tier)! }] : []),
            ].filter((f) => f.value !== '')
          : [],
        disputed: c.objection_open === true,
      };
    });
    // An item switched off as a whole: its section says so and its entries count nowhere (tags, figures).
    const redHidden = !shown.showsItem(LIST_ITEM_CODES.red);
    const blackHidden = !shown.showsItem(LIST_ITEM_CODES.black);
    const red = redHidden ? [] : row.red_entries.map(listRec);
    const black = blackHidden ? [] : row.black_entries.map(listRec);
    // The credit report prints every public field through the field catalogue, which reads camelCase keys.
    const fieldsOf = (kind: 'permit' | 'penalty', r: ProfilePermitRow | ProfilePenaltyRow): ProfileRecord['fields'] =>
      full
        ? [
            ...displayRows(kind, camelKeys(r), { publicView: true, hidden: kind === 'permit' ? hiddenPermit : hiddenPenalty })
              .filter((f) => f.value !== '')
              .map((f) => ({ label: f.label, value: f.value })),
            ...(r.objection_open ? [{ label: '异议状态', value: '异议处理中' }] : []),
          ]
        : [];
    const permits = row.permits.map((p): ProfileRecord => ({
      kind: 'permit',
      id: p.id,
      href: `/publicity/permits/${String(p.id)}`,
      title: pick(hiddenPermit, 'documentName', String(p.document_name)) || '行政许可',
      documentNo: pick(hiddenPermit, 'documentNo', String(p.document_no)),
      decisionDate: pick(hiddenPermit, 'decisionDate', String(p.decision_date)),
      authority: pick(hiddenPermit, 'authority', String(p.authority)),
      summary: [pick(hiddenPermit, 'permitCategory', String(p.permit_category)), pick(hiddenPermit, 'content', String(p.content))].filter(Boolean).join(' · '),
      fields: fieldsOf('permit', p),
      disputed: p.objection_open === true,
    }));
    const penalties = row.penalties.map((p): ProfileRecord => ({
      kind: 'penalty',
      id: p.id,
      href: `/publicity/penalties/${String(p.id)}`,
      title: pick(hiddenPenalty, 'violationType', String(p.violation_type)) || '行政处罚',
      documentNo: pick(hiddenPenalty, 'documentNo', String(p.document_no)),
      decisionDate: pick(hiddenPenalty, 'decisionDate', String(p.decision_date)),
      authority: pick(hiddenPenalty, 'authority', String(p.authority)),
      summary: `${pick(hiddenPenalty, 'penaltyCategories', p.penalty_categories.join('、'))}${p.fine_amount && !hiddenPenalty.has('fineAmount') ? ` · 罚款 ${formatAmount(p.fine_amount)} 万元` : ''}${penaltyTerm(p)}`,
      fields: fieldsOf('penalty', p),
      disputed: p.objection_open === true,
    }));
    // 条例 Art. 11: the base data the catalogue (FRJC) does not mark 社会公开 is left out (null), the status tag too.
    const hiddenBase = shown.hiddenLegalPersonKeys();
    const base = <T>(key: string, value: T): T | null => (hiddenBase.has(key) ? null : value);
    const baseHidden = !shown.showsItem(LEGAL_PERSON_ITEM_CODE);
    // The 双公示 items switched off as a whole: a notice instead of their records.
    const permitsHidden = !shown.showsItem(RECORD_ITEM_CODES.permit);
    const penaltiesHidden = !shown.showsItem(RECORD_ITEM_CODES.penalty);
    const statusLabel = base('status', STATUS_LABELS[row.status] ?? row.status);
    const counts = {
      permits: permitsHidden ? 0 : row.permit_count,
      penalties: penaltiesHidden ? 0 : row.penalty_count,
      red: redHidden ? 0 : row.red_count,
      black: blackHidden ? 0 : row.black_count,
      commitments: commitmentsHidden ? 0 : row.commitment_count,
    };
    const sections: ProfileSection[] = [
      { key: 'basic', title: SECTION_TITLES.basic, records: [], total: 0, notPublic: baseHidden },
      { key: 'permits', title: SECTION_TITLES.permits, records: permitsHidden ? [] : permits, total: counts.permits, notPublic: permitsHidden },
      { key: 'penalties', title: SECTION_TITLES.penalties, records: penaltiesHidden ? [] : penalties, total: counts.penalties, notPublic: penaltiesHidden },
      { key: 'red', title: SECTION_TITLES.red, records: red, total: counts.red, notPublic: redHidden },
      { key: 'black', title: SECTION_TITLES.black, records: black, total: counts.black, notPublic: blackHidden },
      { key: 'commitments', title: SECTION_TITLES.commitments, records: commitments, total: counts.commitments, notPublic: commitmentsHidden },
      { key: 'other', title: SECTION_TITLES.other, records: [], total: 0 },
    ];
    return {
      subject: {
        id: row.id,
        uscc: row.uscc,
        name: row.name,
        legalRepresentative: base('legalRepresentative', row.legal_representative),
        subjectType: base('subjectType', SUBJECT_TYPE_LABELS[row.subject_type] ?? row.subject_type),
        status: statusLabel,
        address: base('address', row.address),
        establishedOn: base('establishedOn', row.established_on ? isoDay(row.established_on) : null),
        county: row.county,
        orgCode: base('orgCode', row.org_code),
        regNo: base('regNo', row.reg_no),
      },
      hiddenBase: [...hiddenBase],
      tags: [
        ...(statusLabel ? [statusLabel] : []),
        ...(counts.red ? ['守信激励对象'] : []),
        ...(counts.black ? ['失信惩戒对象'] : []),
        ...(broken ? ['存在违诺'] : []),
      ],
      counts,
      sections,
      asOf: today,
    };
  }
}
