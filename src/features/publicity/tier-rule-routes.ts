import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { adminRoute } from '../../platform/access.js';
import { formValues, parseForm, type FormErrors } from '../../platform/forms.js';
import { parseDate } from '../../domain/dates.js';
import { ALL_PENALTY_CATEGORIES } from '../../domain/publicity/fields.js';
import { TIER_LABELS, TIERS, TIERS_IN_FORCE_FROM, tierOfLabel } from '../../domain/publicity/tiers.js';

/**
 * The credit office's severity-tier rules (docs/domain.md): the list with the days each is in effect, a new rule, and
 * the end of one. Rules are never edited or deleted: a change is an end date on the old rule and a new rule, so the
 * tier a record got can always be traced to the rules of its decision date. Every change is audited.
 */

const KIND_LABELS = { simple: '适用简易程序', category: '处罚类别', fine: '罚款金额' } as const;
const FIELDS = ['action', 'kind', 'penaltyCategory', 'departmentId', 'minFineAmount', 'tier', 'effectiveFrom', 'note', 'ruleId', 'effectiveTo'] as const;

const day = (label: string) =>
  z
    .string()
    .trim()
    .transform((v, ctx) => {
      const d = parseDate(v);
      if (!d) ctx.addIssue({ code: 'custom', message: `请填写有效的${label}（YYYY-MM-DD）` });
      return d ?? '';
    });

const addSchema = z
  .object({
    kind: z.enum(['simple', 'category', 'fine'], { error: '请选择规则类型' }),
    penaltyCategory: z.string().trim(),
    departmentId: z.string().trim(),
    minFineAmount: z.string().trim(),
    tier: z.string().transform((v, ctx) => {
      const t = tierOfLabel(v);
      if (!t) ctx.addIssue({ code: 'custom', message: '请选择严重程度' });
      return t ?? 'general';
    }),
    effectiveFrom: day('生效日期'),
    note: z.string().trim().max(200, '说明最多 200 个字'),
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'category' && !ALL_PENALTY_CATEGORIES.includes(v.penaltyCategory))
      ctx.addIssue({ code: 'custom', path: ['penaltyCategory'], message: '请选择处罚类别' });
    if (v.kind === 'fine' && !/^\d{1,12}(\.\d{1,6})?$/.test(v.minFineAmount))
      ctx.addIssue({ code: 'custom', path: ['minFineAmount'], message: '罚款金额标准应为不小于 0 的数字（万元，最多 6 位小数）' });
    if (v.effectiveFrom && v.effectiveFrom < TIERS_IN_FORCE_FROM)
      ctx.addIssue({ code: 'custom', path: ['effectiveFrom'], message: `生效日期不能早于 ${TIERS_IN_FORCE_FROM}（《信用修复管理办法》施行日）` });
  });

const endSchema = z.object({ ruleId: z.coerce.number().int().positive('规则不存在'), effectiveTo: day('失效日期') });

export function tierRuleRoutes(deps: AppDeps): Router {
  const router = Router();

  const render = async (req: Request, res: Response, values: Record<string, string> = {}, errors?: FormErrors) => {
    res.status(errors ? 400 : 200).render('publicity/tier-rules.njk', {
      title: `${errors ? '错误：' : ''}严重程度认定规则`,
      nav: 'tier-rules',
      rules: await deps.tierRules.list(),
      departments: await deps.publicityRepo.departmentOptions(),
      kindLabels: KIND_LABELS,
      tierLabels: TIER_LABELS,
      tiers: TIERS.map((t) => TIER_LABELS[t]),
      categories: ALL_PENALTY_CATEGORIES,
      values,
      errors,
      canEdit: req.user!.role === 'reviewer',
    });
  };

  adminRoute(router, '', 'GET', '/admin/tier-rules', (req, res) => render(req, res));

  adminRoute(router, '', 'POST', '/admin/tier-rules', async (req, res) => {
    const values = formValues(req.body, FIELDS);
    const audit = (action: string, detail: Record<string, unknown>, id: number) =>
      deps.audit.record({ action, userId: req.user!.id, username: req.user!.username, ip: req.ip ?? null, targetType: 'tier_rule', targetId: id, detail });
    if (values.action === 'end') {
      const parsed = parseForm(endSchema, values);
      if (!parsed.ok) return render(req, res, values, parsed.errors);
      const rule = await deps.tierRules.find(parsed.data.ruleId);
      if (!rule || rule.effectiveTo || parsed.data.effectiveTo < rule.effectiveFrom) {
        const text = !rule ? '规则不存在' : rule.effectiveTo ? '该规则已设失效日期' : `失效日期不能早于生效日期（${rule.effectiveFrom}）`;
        return render(req, res, values, { fields: { effectiveTo: text }, list: [{ href: '#effectiveTo', text }] });
      }
      await deps.tierRules.end(rule.id, parsed.data.effectiveTo);
      await audit('tier-rule.end', { effectiveTo: parsed.data.effectiveTo }, rule.id);
      req.session.flash = { kind: 'success', text: `规则 #${rule.id} 自 ${parsed.data.effectiveTo} 之后不再适用` };
      return res.redirect(303, '/admin/tier-rules');
    }
    const parsed = parseForm(addSchema, values);
    if (!parsed.ok) return render(req, res, values, parsed.errors);
    const v = parsed.data;
    const departmentId = v.kind === 'fine' && v.departmentId ? Number(v.departmentId) : null;
    const rule = {
      kind: v.kind,
      penaltyCategory: v.kind === 'category' ? v.penaltyCategory : null,
      departmentId: departmentId !== null && Number.isInteger(departmentId) ? departmentId : null,
      minFineAmount: v.kind === 'fine' ? v.minFineAmount : null,
      tier: v.tier,
      effectiveFrom: v.effectiveFrom,
      note: v.note || null,
    };
    const id = await deps.tierRules.add(rule);
    await audit('tier-rule.add', { ...rule }, id);
    req.session.flash = { kind: 'success', text: `已添加规则 #${id}，自 ${v.effectiveFrom} 起作出的处罚决定按此认定（已报送的记录在更正时重新认定）` };
    res.redirect(303, '/admin/tier-rules');
  });

  return router;
}
