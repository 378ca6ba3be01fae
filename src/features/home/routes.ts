import { RECORD_ITEM_CODES } from '../catalogue/codes.js';
import { Router } from 'express';
import type { Services } from '../../services.js';
import { beijingToday } from '../../domain/dates.js';
import { publicListRow } from '../publicity/view-model.js';
import { barChartSvg } from '../statistics/charts.js';
import type { PublicStatistics } from '../statistics/service.js';

// One drawing per computation of the statistics (every ten minutes), not one per visit of the busiest page.
const drawn = new WeakMap<PublicStatistics, string>();
function monthlyChart(s: PublicStatistics): string {
  let svg = drawn.get(s);
  if (!svg) {
    svg = barChartSvg({
      label: '近 12 个月各月归集的行政许可、行政处罚信息柱状图',
      categories: s.monthly.map((m) => m.month.slice(2)),
      series: [
        { name: '行政许可', data: s.monthly.map((m) => m.permits) },
        { name: '行政处罚', data: s.monthly.map((m) => m.penalties) },
      ],
      height: 260,
    });
    drawn.set(s, svg);
  }
  return svg;
}

export function homeRoutes(deps: Services): Router {
  const router = Router();

  router.get('/', async (_req, res) => {
    const today = beijingToday();
    const [counts, permits, penalties, permitCount, penaltyCount, timeliness, articles, lists, statistics, shown] = await Promise.all([
      deps.stats.counts(),
      deps.publicityRepo.latest('permit', today, 5),
      deps.publicityRepo.latest('penalty', today, 5),
      deps.publicityRepo.publicCount('permit', today),
      deps.publicityRepo.publicCount('penalty', today),
      deps.timeliness.summary(),
      deps.articles.latest(6),
      deps.listRepo.inForceCounts(),
      deps.publicStatistics.get(),
      deps.catalogue.publicFields(),
    ]);
    // 条例 Art. 11, 18: a 双公示 item switched off as a whole shows a notice instead of its latest records.
    const permitsHidden = !shown.showsItem(RECORD_ITEM_CODES.permit);
    const penaltiesHidden = !shown.showsItem(RECORD_ITEM_CODES.penalty);
    res.render('home/index.njk', {
      title: '首页',
      counts: { ...counts, permits: permitsHidden ? 0 : permitCount, penalties: penaltiesHidden ? 0 : penaltyCount },
      latest: {
        permits: permitsHidden ? [] : permits.map((r) => publicListRow('permit', r, shown.hiddenKeys('permit'))),
        penalties: penaltiesHidden ? [] : penalties.map((r) => publicListRow('penalty', r, shown.hiddenKeys('penalty'))),
        permitsHidden,
        penaltiesHidden,
      },
      timeliness,
      articles,
      lists,
      statistics: { from: statistics.from, to: statistics.to, collected: statistics.collected, latestIssue: statistics.lists[0] ?? null },
      monthlyChart: monthlyChart(statistics),
      nav: 'home',
    });
  });

  router.get('/accessibility', (_req, res) => res.render('home/accessibility.njk', { title: '无障碍说明' }));
  router.get('/about', (_req, res) => res.render('home/about.njk', { title: '关于本站' }));

  return router;
}
