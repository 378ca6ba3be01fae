import { z } from 'zod';
import { validateIdNumber, validateUscc } from '../../domain/identifiers.js';
import { CATEGORY_KEYS, DOC_TYPE_KEYS } from '../../domain/publicity/fields.js';
import { beijingToday, parseDate } from '../../domain/dates.js';

export interface NominationInput {
  listType: 'red' | 'black';
  subjectCategory: 'legal' | 'natural' | 'soleTrader';
  subjectName: string;
  uscc: string | null;
  docType: (typeof DOC_TYPE_KEYS)[keyof typeof DOC_TYPE_KEYS] | null;
  docNumber: string | null;
  basisDocNo: string;
  basisAuthority: string;
  basisDate: string;
  reason: string;
  validUntil: string;
  /** 条例 Art. 35: the named persons of an organisation on the black list (names only, never ID numbers) */
  responsiblePersons?: ResponsiblePerson[];
}

export type ResponsibleRoleKey = 'legalRepresentative' | 'principal' | 'actualController' | 'other';
export interface ResponsiblePerson {
  role: ResponsibleRoleKey;
  name: string;
}
/** The roles in the order the form, the entry and the prior notice show them. */
export const RESPONSIBLE_ROLES: readonly { key: ResponsibleRoleKey; label: string }[] = [
  { key: 'legalRepresentative', label: '法定代表人' },
  { key: 'principal', label: '主要负责人' },
  { key: 'actualController', label: '实际控制人' },
  { key: 'other', label: '其他直接责任人员' },
];
export const RESPONSIBLE_ROLE_LABELS = Object.fromEntries(RESPONSIBLE_ROLES.map((r) => [r.key, r.label])) as Record<ResponsibleRoleKey, string>;

/** Field name of a role's names on the nomination form: `person_legalRepresentative` etc. */
export const personField = (key: ResponsibleRoleKey) => `person_${key}`;

/** Names separated by 、，, ; or spaces; an ID-number-like token is refused so no one types one in by habit. */
function parsePersons(v: Record<string, string>, ctx: z.RefinementCtx): ResponsiblePerson[] {
  const out: ResponsiblePerson[] = [];
  for (const { key, label } of RESPONSIBLE_ROLES) {
    const names = (v[personField(key)] ?? '')
      .split(/[、，,;；\s]+/u)
      .map((x) => x.trim())
      .filter(Boolean);
    for (const name of names) {
      if (/\d{6,}/.test(name)) {
        ctx.addIssue({ code: 'custom', path: [personField(key)], message: `${label}只填写姓名，不填写证件号码` });
      } else if ([...name].length > 50) {
        ctx.addIssue({ code: 'custom', path: [personField(key)], message: `${label}姓名最多 50 个字` });
      } else out.push({ role: key, name });
    }
  }
  return out;
}

const TEXT_FIELDS: [keyof NominationInput, string, number][] = [
  ['subjectName', '主体名称', 200],
  ['basisDocNo', '认定文号', 100],
  ['basisAuthority', '认定单位', 200],
  ['reason', '列入事由', 2000],
];

/** A nomination for the red or black list; every rule runs so the summary lists every problem at once. */
export function nominationSchema(today = beijingToday()) {
  return (
    z
      // Every field is read leniently and checked in one pass, so one bad field never hides the others.
      .record(z.string(), z.union([z.string(), z.array(z.string())]).optional())
      .transform((raw, ctx): NominationInput => {
        const v = Object.fromEntries(Object.entries(raw).map(([k, x]) => [k, (Array.isArray(x) ? x[0] : x)?.trim() ?? ''])) as Record<string, string>;
        for (const [key, label, max] of TEXT_FIELDS) {
          const val = v[key] ?? '';
          if (!val) ctx.addIssue({ code: 'custom', path: [key], message: `请填写${label}` });
          else if ([...val].length > max) ctx.addIssue({ code: 'custom', path: [key], message: `${label}最多 ${max} 个字` });
        }
        if (v.listType !== 'red' && v.listType !== 'black') ctx.addIssue({ code: 'custom', path: ['listType'], message: '请选择榜单类别' });
        if (!((v.subjectCategory ?? '') in CATEGORY_KEYS)) ctx.addIssue({ code: 'custom', path: ['subjectCategory'], message: '请选择主体类别' });
        const category = CATEGORY_KEYS[v.subjectCategory as keyof typeof CATEGORY_KEYS] ?? 'legal';
        let uscc: string | null = null;
        let docNumber: string | null = null;
        let docType: NominationInput['docType'] = null;
        if (category === 'natural') {
          docType = DOC_TYPE_KEYS[v.docType as keyof typeof DOC_TYPE_KEYS] ?? null;
          if (!docType) ctx.addIssue({ code: 'custom', path: ['docType'], message: '自然人须选择证件类型' });
          if (!v.docNumber) ctx.addIssue({ code: 'custom', path: ['docNumber'], message: '自然人须填写证件号码' });
          else if (docType === 'residentId') {
            const r = validateIdNumber(v.docNumber);
            if (!r.ok) ctx.addIssue({ code: 'custom', path: ['docNumber'], message: `证件号码：${r.reason}` });
            else docNumber = r.value;
          } else docNumber = v.docNumber;
        } else {
          const r = validateUscc(v.uscc ?? '');
          if (!r.ok) ctx.addIssue({ code: 'custom', path: ['uscc'], message: `统一社会信用代码：${r.reason}` });
          else if (r.placeholder) ctx.addIssue({ code: 'custom', path: ['uscc'], message: '列入红黑名单的主体须有统一社会信用代码' });
          else uscc = r.value;
        }
        const responsiblePersons = parsePersons(v, ctx);
        if (v.listType === 'black' && category !== 'natural' && !responsiblePersons.length) {
          ctx.addIssue({
            code: 'custom',
            path: [personField('legalRepresentative')],
            message: '法人等主体列入黑名单，须列明法定代表人、主要负责人、实际控制人或其他直接责任人员',
          });
        }
        const basisDate = parseDate(v.basisDate ?? '');
        const validUntil = parseDate(v.validUntil ?? '');
        if (!basisDate)
          ctx.addIssue({ code: 'custom', path: ['basisDate'], message: v.basisDate ? '认定日期不是有效日期，应为 YYYY-MM-DD' : '请填写认定日期' });
        else if (basisDate > today) ctx.addIssue({ code: 'custom', path: ['basisDate'], message: '认定日期不能晚于今天' });
        if (!validUntil)
          ctx.addIssue({ code: 'custom', path: ['validUntil'], message: v.validUntil ? '有效期至不是有效日期，应为 YYYY-MM-DD' : '请填写有效期至' });
        else if (validUntil <= today) ctx.addIssue({ code: 'custom', path: ['validUntil'], message: '有效期至应晚于今天' });
        return {
          listType: v.listType === 'red' ? 'red' : 'black',
          subjectCategory: category,
          subjectName: v.subjectName ?? '',
          uscc,
          docType,
          docNumber,
          basisDocNo: v.basisDocNo ?? '',
          basisAuthority: v.basisAuthority ?? '',
          basisDate: basisDate ?? '',
          reason: v.reason ?? '',
          validUntil: validUntil ?? '',
          responsiblePersons: v.listType === 'black' ? responsiblePersons : [],
        };
      })
  );
}

export const reviewSchema = z
  .object({ decision: z.enum(['accept', 'reject'], { error: '请选择审核结果' }), comment: z.string().trim().max(1000, '审核意见最多 1000 个字').optional() })
  .superRefine((v, ctx) => {
    if (v.decision === 'reject' && !v.comment) ctx.addIssue({ code: 'custom', path: ['comment'], message: '不予通过时须填写审核意见' });
  });

export const DEFAULT_NOTICE_DAYS = 7;

export const issueSchema = z.object({
  year: z.coerce.number({ error: '年份应为数字' }).int().min(2014, '年份不早于 2014').max(2100, '年份无效'),
  quarter: z.coerce.number({ error: '请选择季度' }).int().min(1, '季度应为 1–4').max(4, '季度应为 1–4'),
  // 条例 Art. 28 leaves the length to the office; an empty field keeps the default.
  noticeDays: z
    .union([z.literal(''), z.coerce.number({ error: '公示期应为天数' }).int('公示期应为整数天').min(5, '公示期不少于 5 天').max(30, '公示期不超过 30 天')])
    .optional()
    .transform((v) => (v === '' || v === undefined ? DEFAULT_NOTICE_DAYS : v)),
});

export const DEFAULT_OBJECTION_DAYS = 7;

/** 事前告知书 as served: its number, the measures it announces, the day it was served and the objection window. */
export function priorNoticeSchema(today = beijingToday()) {
  return z.object({
    noticeNo: z.string().trim().min(1, '请填写告知书文号').max(100, '告知书文号最多 100 个字'),
    measures: z.string().trim().min(1, '请填写拟采取的惩戒措施').max(2000, '惩戒措施最多 2000 个字'),
    servedOn: z
      .string()
      .trim()
      .min(1, '请填写送达日期')
      .transform((v, ctx) => {
        const d = parseDate(v);
        if (!d) ctx.addIssue({ code: 'custom', message: '送达日期不是有效日期，应为 YYYY-MM-DD' });
        else if (d > today) ctx.addIssue({ code: 'custom', message: '送达日期不能晚于今天' });
        return d ?? '';
      }),
    objectionDays: z
      .union([z.literal(''), z.coerce.number({ error: '异议期应为天数' }).int('异议期应为整数天').min(5, '异议期不少于 5 天').max(60, '异议期不超过 60 天')])
      .optional()
      .transform((v) => (v === '' || v === undefined ? DEFAULT_OBJECTION_DAYS : v)),
  });
}

/** 向省级主管部门申请复核, as the subject told the department or the office. */
export function reviewRequestSchema(today = beijingToday()) {
  return z.object({
    requestedOn: z
      .string()
      .trim()
      .min(1, '请填写申请复核日期')
      .transform((v, ctx) => {
        const d = parseDate(v);
        if (!d) ctx.addIssue({ code: 'custom', message: '申请复核日期不是有效日期，应为 YYYY-MM-DD' });
        else if (d > today) ctx.addIssue({ code: 'custom', message: '申请复核日期不能晚于今天' });
        return d ?? '';
      }),
    note: z.string().trim().min(1, '请填写复核机关及申请事项').max(1000, '最多 1000 个字'),
  });
}

export const reasonSchema = z.object({ reason: z.string().trim().min(1, '请填写原因').max(1000, '最多 1000 个字') });
export const noticeSchema = z.object({ text: z.string().trim().min(1, '请填写更正内容').max(4000, '最多 4000 个字') });
