import { z } from 'zod';
import { validateIdNumber, validateUscc } from '../../domain/identifiers.js';
import { CATEGORY_KEYS } from '../../domain/publicity/fields.js';
import { beijingToday, parseDate } from '../../domain/dates.js';

export const COMMITMENT_TYPES = ['审批替代型', '容缺受理型', '证明事项型', '信用修复型', '行业自律型', '主动型', '其他'] as const;
export const FULFILMENT = ['全部履行', '部分履行', '全部未履行'] as const;
export const DISCLOSURE = ['可向社会公开', '特定范围内公开', '不可公开'] as const;

export interface CommitmentInput {
  promisorName: string;
  promisorCategory: 'legal' | 'natural' | 'soleTrader';
  promisorCode: string;
  commitmentType: string;
  matter: string;
  content: string;
  liability: string;
  madeOn: string;
  validUntil: string | null;
  disclosure: string;
  remark: string | null;
  /** 承诺履行状态: null while the commitment is in force and not yet assessed (the form never sets it). */
  fulfilment: string | null;
  unfulfilledContent: string | null;
  liabilityPursued: string | null;
}

const UNFULFILLED_REQUIRED = '未全部履行时须填写未履行的承诺内容';
const PURSUED_REQUIRED = '未全部履行时须填写违诺责任追究内容';

const TEXT: [keyof CommitmentInput, string, number][] = [
  ['promisorName', '承诺人名称', 200],
  ['matter', '承诺事由', 1000],
  ['content', '承诺内容', 4000],
  ['liability', '违诺责任', 2000],
];

/** One pass over every field, so the error summary is complete. */
export function commitmentSchema(today = beijingToday()) {
  return z.record(z.string(), z.string().optional()).transform((raw, ctx): CommitmentInput => {
    const v = Object.fromEntries(Object.entries(raw).map(([k, x]) => [k, (x ?? '').trim()])) as Record<string, string>;
    for (const [key, label, max] of TEXT) {
      const val = v[key] ?? '';
      if (!val) ctx.addIssue({ code: 'custom', path: [key], message: `请填写${label}` });
      else if ([...val].length > max) ctx.addIssue({ code: 'custom', path: [key], message: `${label}最多 ${max} 个字` });
    }
    const category = CATEGORY_KEYS[v.promisorCategory as keyof typeof CATEGORY_KEYS];
    if (!category) ctx.addIssue({ code: 'custom', path: ['promisorCategory'], message: '请选择承诺人类别' });
    let code = v.promisorCode ?? '';
    if (!code) ctx.addIssue({ code: 'custom', path: ['promisorCode'], message: '请填写承诺人代码（统一社会信用代码或身份证号码）' });
    else if (category === 'natural') {
      const r = validateIdNumber(code);
      if (!r.ok) ctx.addIssue({ code: 'custom', path: ['promisorCode'], message: `身份证号码：${r.reason}` });
      else code = r.value;
    } else if (category) {
      const r = validateUscc(code);
      if (!r.ok || r.placeholder)
        ctx.addIssue({ code: 'custom', path: ['promisorCode'], message: `统一社会信用代码：${r.ok ? '不能使用占位代码' : r.reason}` });
      else code = r.value;
    }
    if (!(COMMITMENT_TYPES as readonly string[]).includes(v.commitmentType ?? ''))
      ctx.addIssue({ code: 'custom', path: ['commitmentType'], message: '请选择承诺类型' });
    if (!(DISCLOSURE as readonly string[]).includes(v.disclosure ?? '')) ctx.addIssue({ code: 'custom', path: ['disclosure'], message: '请选择公开类型' });
    const madeOn = parseDate(v.madeOn ?? '');
    if (!madeOn) ctx.addIssue({ code: 'custom', path: ['madeOn'], message: v.madeOn ? '承诺作出日期不是有效日期' : '请填写承诺作出日期' });
    else if (madeOn > today) ctx.addIssue({ code: 'custom', path: ['madeOn'], message: '承诺作出日期不能晚于今天' });
    const validUntil = v.validUntil ? parseDate(v.validUntil) : null;
    if (v.validUntil && !validUntil) ctx.addIssue({ code: 'custom', path: ['validUntil'], message: '承诺有效期不是有效日期' });
    else if (validUntil && madeOn && validUntil < madeOn) ctx.addIssue({ code: 'custom', path: ['validUntil'], message: '承诺有效期不能早于作出日期' });
    const fulfilment = v.fulfilment || null;
    if (fulfilment && !(FULFILMENT as readonly string[]).includes(fulfilment))
      ctx.addIssue({ code: 'custom', path: ['fulfilment'], message: `承诺履行状态应为${FULFILMENT.join('、')}之一` });
    else if (fulfilment && fulfilment !== '全部履行') {
      if (!v.unfulfilledContent) ctx.addIssue({ code: 'custom', path: ['unfulfilledContent'], message: UNFULFILLED_REQUIRED });
      if (!v.liabilityPursued) ctx.addIssue({ code: 'custom', path: ['liabilityPursued'], message: PURSUED_REQUIRED });
    }
    return {
      promisorName: v.promisorName ?? '',
      promisorCategory: category ?? 'legal',
      promisorCode: code,
      commitmentType: v.commitmentType ?? '',
      matter: v.matter ?? '',
      content: v.content ?? '',
      liability: v.liability ?? '',
      madeOn: madeOn ?? '',
      validUntil,
      disclosure: v.disclosure ?? '',
      remark: v.remark || null,
      fulfilment,
      unfulfilledContent: fulfilment ? v.unfulfilledContent || null : null,
      liabilityPursued: fulfilment ? v.liabilityPursued || null : null,
    };
  });
}

export const fulfilmentSchema = z
  .object({
    fulfilment: z.enum(FULFILMENT, { error: '请选择履行状态' }),
    unfulfilledContent: z.string().trim().optional(),
    liabilityPursued: z.string().trim().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.fulfilment !== '全部履行') {
      if (!v.unfulfilledContent) ctx.addIssue({ code: 'custom', path: ['unfulfilledContent'], message: UNFULFILLED_REQUIRED });
      if (!v.liabilityPursued) ctx.addIssue({ code: 'custom', path: ['liabilityPursued'], message: PURSUED_REQUIRED });
    }
  });
