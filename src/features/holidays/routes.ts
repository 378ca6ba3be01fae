import { Router, type Request, type Response } from 'express';
import { parseQuery, queryText } from '../../platform/params.js';
import type { Services } from '../../services.js';
import { adminRoute } from '../../platform/access.js';
import { textErrors, type FormErrors } from '../../platform/forms.js';
import { beijingToday } from '../../domain/dates.js';
import { formatSchedule, parseSchedule } from './schedule.js';

const MIN_YEAR = 2016;

export function holidayRoutes(deps: Services): Router {
  const router = Router();

  const render = async (req: Request, res: Response, year: number, values?: Record<string, string>, errors?: FormErrors, status = 200) => {
    const coverage = deps.publicity.calendar.coverage();
    const thisYear = Number(beijingToday().slice(0, 4));
    res.status(status).render('holidays/admin.njk', {
      title: `${errors ? '错误：' : ''}节假日安排`,
      nav: 'holidays',
      years: await deps.holidays.years(),
      coverage,
      // This year too: on a day in a year nobody entered, deadlines are already being computed on the plain week.
      missingYears: [thisYear, thisYear + 1].filter((y) => !deps.publicity.calendar.knows(`${y}-01-01`)).join('、'),
      year,
      values: values ?? { year: String(year), ...formatSchedule(await deps.holidays.yearDays(year)) },
      errors,
      canEdit: req.user!.role === 'reviewer' || req.user!.role === 'admin',
    });
  };

  const yearOf = (raw: unknown, fallback: number) => {
    const n = Number(raw);
    return Number.isInteger(n) && n >= MIN_YEAR && n <= 2100 ? n : fallback;
  };

  adminRoute(router, '', 'GET', '/admin/holidays', async (req, res) => {
    const next = Number(beijingToday().slice(0, 4)) + 1;
    await render(req, res, yearOf(parseQuery(req, { year: queryText(10) }).year, next));
  });

  adminRoute(router, '', 'POST', '/admin/holidays', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, string>;
    const year = Number(body.year);
    const values = { year: body.year ?? '', offDays: body.offDays ?? '', workDays: body.workDays ?? '' };
    const typed = textErrors(values);
    if (Object.keys(typed).length) {
      const list = Object.entries(typed).map(([field, text]) => ({ href: `#${field}`, text }));
      return render(req, res, Number(beijingToday().slice(0, 4)) + 1, values, { fields: typed, list }, 400);
    }
    if (!Number.isInteger(year) || year < MIN_YEAR || year > 2100) {
      const msg = `年份应为 ${MIN_YEAR} 到 2100 之间的整数`;
      return render(req, res, Number(beijingToday().slice(0, 4)) + 1, values, { fields: { year: msg }, list: [{ href: '#year', text: msg }] }, 400);
    }
    const parsed = parseSchedule(year, values.offDays, values.workDays);
    if (!parsed.ok) {
      const errors: FormErrors = { fields: {}, list: [] };
      for (const p of parsed.problems) {
        errors.fields[p.field] ??= p.message;
        errors.list.push({ href: `#${p.field}`, text: p.message });
      }
      return render(req, res, year, values, errors, 400);
    }
    const { recomputed } = await deps.holidays.saveYear(year, parsed.days, req.user!, req.ip ?? null);
    req.session.flash = { kind: 'success', text: `已保存 ${year} 年节假日安排，重新计算了 ${recomputed} 条记录的报送工作日` };
    res.redirect(303, `/admin/holidays?year=${year}`);
  });

  return router;
}
