import { Router, type Request, type Response } from 'express';
import { adminRoute } from '../../../platform/access.js';
import { NotFoundError } from '../../../platform/errors.js';
import { parseId, parseQuery, queryText } from '../../../platform/params.js';
import { formValues, parseForm, type FormErrors } from '../../../platform/forms.js';
import { ALL_PENALTY_CATEGORIES } from '../../../domain/publicity/fields.js';
import type { CaseService } from '../service.js';
import { ruleSchema, type RepairRuleData } from './rules.js';
import { beijingToday, isoDay } from '../../../domain/dates.js';

/**
 * The credit office's table (/admin/repair-rules): bars (other legal conditions that rule a repair out) and, for
 * decisions made before 2026-04-01 only, Order 58's sector minimums — each with the days it is in effect. Since
 * 2026-04-01 the minimum period is the tier's (rules.ts), so the form refuses a minimum rule in effect after that.
 */

const RULE_FIELDS = [
  'id',
  'name',
  'penaltyCategory',
  'keyword',
  'departmentName',
  'minMonths',
  'repairable',
  'basis',
  'active',
  'effectiveFrom',
  'effectiveTo',
] as const;

function ruleValues(r: RepairRuleData): Record<string, string> {
  return {
    id: String(r.id),
    name: r.name,
    penaltyCategory: r.penaltyCategory ?? '',
    keyword: r.keyword ?? '',
    departmentName: r.departmentName ?? '',
    minMonths: String(r.minMonths),
    repairable: r.repairable ? 'yes' : 'no',
    basis: r.basis,
    active: r.active ? 'yes' : '',
    effectiveFrom: isoDay(r.effectiveFrom),
    effectiveTo: isoDay(r.effectiveTo),
  };
}

export function repairRuleRoutes(cases: CaseService): Router {
  const router = Router();

  const renderRules = async (req: Request, res: Response, errors?: FormErrors, status = 200) => {
    const rules = await cases.repairRules();
    const { edit } = parseQuery(req, { edit: queryText(20) });
    const editing = rules.find((r) => r.id === parseId(edit)) ?? null;
    const typed = formValues(req.body, RULE_FIELDS);
    res.status(status).render('cases/repair/rules.njk', {
      title: `${errors ? '错误：' : ''}信用修复规则`,
      nav: 'repair-rules',
      rules,
      editing: editing !== null || !!(errors && typed.id),
      categoryOptions: [{ value: '', text: '（不限）' }, ...ALL_PENALTY_CATEGORIES.map((c) => ({ value: c, text: c }))],
      canEdit: req.user!.role === 'reviewer',
      values: errors ? typed : editing ? ruleValues(editing) : { repairable: 'no', active: 'yes', minMonths: '0', effectiveFrom: beijingToday() },
      shown: rules.map((r) => ({ ...r, from: isoDay(r.effectiveFrom), to: isoDay(r.effectiveTo) })),
      errors,
    });
  };

  adminRoute(router, '', 'GET', '/admin/repair-rules', async (req, res) => renderRules(req, res));

  adminRoute(router, '', 'POST', '/admin/repair-rules', async (req, res) => {
    const parsed = parseForm(ruleSchema, req.body ?? {});
    if (!parsed.ok) return renderRules(req, res, parsed.errors, 400);
    const rawId = formValues(req.body, ['id']).id;
    const id = rawId ? parseId(rawId) : null;
    if (rawId && id === null) throw new NotFoundError('规则不存在');
    if (id !== null && !(await cases.ruleExists(id))) throw new NotFoundError('规则不存在');
    await cases.saveRepairRule(id, parsed.data, req.user!, req.ip ?? null);
    req.session.flash = { kind: 'success', text: id === null ? '已添加规则' : '已保存规则' };
    res.redirect(303, '/admin/repair-rules');
  });

  return router;
}
