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
        };
      })
  );
}

export const reviewSchema = z
  .object({ decision: z.enum(['accept', 'reject'], { error: '请选择审核结果' }), comment: z.string().trim().max(1000, '审核意见最多 1000 个字').optional() })
  .superRefine((v, ctx) => {
    if (v.decision === 'reject' && !v.comment) ctx.addIssue({ code: 'custom', path: ['comment'], message: '不予通过时须填写审核意见' });
  });

export const issueSchema = z.object({
  year: z.coerce.number({ error: '年份应为数字' }).int().min(2014, '年份不早于 2014').max(2100, '年份无效'),
  quarter: z.coerce.number({ error: '请选择季度' }).int().min(1, '季度应为 1–4').max(4, '季度应为 1–4'),
});

export const reasonSchema = z.object({ reason: z.string().trim().min(1, '请填写原因').max(1000, '最多 1000 个字') });
export const noticeSchema = z.object({ text: z.string().trim().min(1, '请填写更正内容').max(4000, '最多 4000 个字') });
