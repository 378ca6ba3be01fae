import { Router } from 'express';
import type { Services } from '../../services.js';
import { NotFoundError } from '../../platform/errors.js';
import { addDays, addMonths, beijingToday } from '../../domain/dates.js';
import { COUNTIES } from '../../domain/xinxiang.js';
import { publicListRow } from '../publicity/view-model.js';
import { publicEntry } from '../lists/public-routes.js';
import { LIST_ITEM_CODES, RECORD_ITEM_CODES } from '../catalogue/codes.js';

const LATEST = 8;
const ENTRIES = 50;
const NOT_FOUND = '该县（市、区）不存在，请从县市区列表中选择';

/** 区 / 县 / 县级市 / 功能区, as the index groups them. */
const KIND_LABELS = { district: '市辖区', county: '县', city: '县级市', zone: '功能区' } as const;

/** How running text names a county (高新区, not its full name): from the reference data, the full name otherwise. */
function shortName(code: string, name: string): string {
  return COUNTIES.find((c) => c.code === code)?.shortName ?? name;
}

/** The 县市区 pages: each county's figures, its departments' 及时率, its latest public records and its list entries. */
export function countyRoutes(deps: Services): Router {
  const router = Router();

  router.get('/counties', async (_req, res) => {
    const counties = await deps.counties.all();
    const groups = (Object.keys(KIND_LABELS) as (keyof typeof KIND_LABELS)[])
      .map((kind) => ({
        label: KIND_LABELS[kind],
        counties: counties.filter((c) => c.kind === kind).map((c) => ({ ...c, href: `/counties/${c.code}`, shortName: shortName(c.code, c.name) })),
      }))
      .filter((g) => g.counties.length);
    res.render('counties/index.njk', { title: '县市区信用', nav: 'counties', groups });
  });

  router.get('/counties/:code', async (req, res) => {
    const code = String(req.params.code);
    // Only a six-digit code can name a county: anything else is not found, without a query.
    if (!/^\d{6}$/.test(code)) throw new NotFoundError(NOT_FOUND);
    const county = await deps.counties.byCode(code);
    if (!county) throw new NotFoundError(NOT_FOUND);
    const today = beijingToday();
    // 及时率 over the last twelve months of decisions, Beijing days, today included.
    const from = addMonths(today, -12);
    const to = addDays(today, 1);
    const [figures, permits, penalties, timeliness, entries] = await Promise.all([
      deps.counties.figures(county.id),
      // The 双公示 columns' own query and rules: what is public today, newest decision first, counted up to its cap.
      deps.publicityRepo.publicPage('permit', { county: county.id }, today, 1, LATEST),
      deps.publicityRepo.publicPage('penalty', { county: county.id }, today, 1, LATEST),
      deps.counties.timeliness(county.id, from, to),
      deps.counties.inForceEntries(county.id, today, ENTRIES),
    ]);
    const disputed = await deps.cases.disputedAmong(
      'entry',
      entries.map((e) => e.id),
    );
    // 条例 Art. 11: the list items' 共享属性 apply here as on /lists; an item switched off leaves its entries out.
    const catalogue = await deps.catalogue.publicFields();
    const shown = entries
      .filter((e) => catalogue.showsItem(LIST_ITEM_CODES[e.listType]))
      .map((e) => ({ ...publicEntry(e, disputed, true, today, catalogue), listType: e.listType }));
    const permitsOff = !catalogue.showsItem(RECORD_ITEM_CODES.permit);
    const penaltiesOff = !catalogue.showsItem(RECORD_ITEM_CODES.penalty);
    res.render('counties/detail.njk', {
      title: `${county.name}信用信息`,
      nav: 'counties',
      county: { ...county, kindLabel: KIND_LABELS[county.kind], shortName: shortName(county.code, county.name) },
      figures: {
        ...figures,
        permits: permitsOff ? 0 : permits.total,
        permitsMore: !permitsOff && permits.more,
        penalties: penaltiesOff ? 0 : penalties.total,
        penaltiesMore: !penaltiesOff && penalties.more,
      },
      // The 双公示 fields and items follow the catalogue here as on the 双公示 column.
      permits: permitsOff ? [] : permits.rows.map((r) => publicListRow('permit', r, catalogue.hiddenKeys('permit'))),
      penalties: penaltiesOff ? [] : penalties.rows.map((r) => publicListRow('penalty', r, catalogue.hiddenKeys('penalty'))),
      permitsHref: `/publicity/permits?county=${county.id}`,
      penaltiesHref: `/publicity/penalties?county=${county.id}`,
      timeliness: timeliness.map((t) => ({ ...t, percent: t.rate === null ? null : (t.rate * 100).toFixed(1) })),
      period: { from, to: today },
      red: shown.filter((e) => e.listType === 'red'),
      black: shown.filter((e) => e.listType === 'black'),
      today,
    });
  });

  return router;
}
