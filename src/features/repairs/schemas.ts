import { z } from 'zod';
import { applicantShape } from '../cases/case.js';

export const repairSchema = z.object({
  ...applicantShape,
  rectification: z.string().trim().min(10, '请说明履行处罚决定和整改的情况（至少 10 个字）').max(3000, '整改情况最多 3000 个字'),
  commit: z.literal('yes', { error: '请阅读并勾选信用修复承诺' }),
});

/** Both approvals: approve, or refuse with reasons. */
export const repairDecisionSchema = z
  .object({
    decision: z.enum(['approve', 'refuse'], { error: '请选择同意或不同意' }),
    note: z.string().trim().max(1000, '意见最多 1000 个字').default(''),
  })
  .superRefine((v, ctx) => {
    if (v.decision === 'refuse' && !v.note) ctx.addIssue({ code: 'custom', path: ['note'], message: '不同意修复须说明理由' });
  });

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `最多 ${max} 个字`)
    .optional()
    .transform((v) => v || null);

export const ruleSchema = z.object({
  name: z.string().trim().min(1, '请填写规则名称').max(100, '规则名称最多 100 个字'),
  penaltyCategory: optionalText(64),
  keyword: optionalText(64),
  departmentName: optionalText(64),
  minMonths: z.coerce
    .number({ error: '最短公示期应为整数' })
    .int('最短公示期应为整数')
    .min(0, '最短公示期不能为负')
    .max(36, '最短公示期不超过 36 个月（最长公示期三年）'),
  repairable: z.enum(['yes', 'no'], { error: '请选择是否可以修复' }).transform((v) => v === 'yes'),
  basis: z.string().trim().min(1, '请填写依据（不予修复时作为理由告知申请人）').max(500, '依据最多 500 个字'),
  active: z
    .string()
    .optional()
    .transform((v) => v === 'yes'),
});
