import { z } from 'zod';
import { applicantShape } from '../cases/case.js';

export const objectionSchema = z.object({
  ...applicantShape,
  reason: z.string().trim().min(10, '请说明记录中哪些内容有误（至少 10 个字）').max(2000, '异议理由最多 2000 个字'),
  requested: z
    .string()
    .trim()
    .max(2000, '更正要求最多 2000 个字')
    .optional()
    .transform((v) => v || null),
});

/** The credit office's first step; a refusal must say why. */
export const officeDecisionSchema = z
  .object({
    decision: z.enum(['accept', 'refuse'], { error: '请选择受理或不予受理' }),
    note: z.string().trim().max(1000, '意见最多 1000 个字').default(''),
  })
  .superRefine((v, ctx) => {
    if (v.decision === 'refuse' && !v.note) ctx.addIssue({ code: 'custom', path: ['note'], message: '不予受理须说明理由' });
  });

export const answerSchema = z.object({
  outcome: z.enum(['corrected', 'upheld'], { error: '请选择核查结果' }),
  answer: z.string().trim().min(5, '请填写核查意见（至少 5 个字），维持原记录须说明理由').max(2000, '核查意见最多 2000 个字'),
});
