import { Router } from 'express';
import { z } from 'zod';
import type { Services } from '../../services.js';
import { adminRoute } from '../../platform/access.js';
import { BadRequestError } from '../../platform/errors.js';
import { parseForm } from '../../platform/forms.js';
import { pathId } from '../../platform/params.js';
import { beijingToday, parseDate } from '../../domain/dates.js';

/** A date typed on the form (YYYY-MM-DD or YYYY/MM/DD), not after today. */
const pastDay = (label: string) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .min(1, `请填写${label}`)
    .transform((v, ctx) => {
      const d = parseDate(v);
      if (!d) ctx.addIssue({ code: 'custom', message: `${label}不是有效日期，应为 YYYY-MM-DD` });
      else if (d > beijingToday()) ctx.addIssue({ code: 'custom', message: `${label}不能晚于今天` });
      return d ?? '';
    });

const note = z.string().trim().max(1000, '说明最多 1000 个字').default('');

export const challengeSchema = z.object({
  kind: z.enum(['review', 'litigation'], { error: '请选择行政复议或行政诉讼' }),
  filedOn: pastDay('申请（起诉）日期'),
  note,
});

export const outcomeSchema = z.object({
  outcome: z.enum(['upheld', 'changed'], { error: '请选择维持或撤销、变更' }),
  decidedOn: pastDay('结果日期'),
  note,
});

/** A refused form as a 400 with every message (the forms sit on the penalty's page). */
function refuse(errors: { list: { text: string }[] }): never {
  throw new BadRequestError(errors.list.map((e) => e.text).join('；'));
}

/**
 * 条例 Art. 20 in the back office: the department that decided a penalty records a 行政复议 / 行政诉讼 against it and its
 * outcome, from the forms on the penalty's page (publicity/admin-detail.njk).
 */
export function disclosureAdminRoutes(deps: Services): Router {
  const router = Router();

  adminRoute(router, '/admin', 'POST', '/penalties/:id/challenges', async (req, res) => {
    const id = pathId(req, 'id', '记录不存在');
    const parsed = parseForm(challengeSchema, req.body ?? {});
    if (!parsed.ok) refuse(parsed.errors);
    await deps.disclosure.recordChallenge(id, parsed.data, req.user!, req.ip ?? null);
    req.session.flash = { kind: 'success', text: '已登记复议或诉讼：在结果登记前，该处罚不作为失信信息使用' };
    res.redirect(303, `/admin/penalties/${id}#dishonesty`);
  });

  adminRoute(router, '/admin', 'POST', '/penalties/:id/challenges/:challengeId/outcome', async (req, res) => {
    const id = pathId(req, 'id', '记录不存在');
    const challengeId = pathId(req, 'challengeId', '复议或诉讼记录不存在');
    const parsed = parseForm(outcomeSchema, req.body ?? {});
    if (!parsed.ok) refuse(parsed.errors);
    await deps.disclosure.decideChallenge(id, challengeId, parsed.data, req.user!, req.ip ?? null);
    req.session.flash = { kind: 'success', text: '已登记复议或诉讼结果' };
    res.redirect(303, `/admin/penalties/${id}#dishonesty`);
  });

  return router;
}
