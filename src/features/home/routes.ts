import { Router } from 'express';
import type { Services } from '../../services.js';
import { beijingToday } from '../../domain/dates.js';
import { publicListRow } from '../publicity/view-model.js';

export function homeRoutes(deps: Services): Router {
  const router = Router();

  router.get('/', async (_req, res) => {
    const today = beijingToday();
    const [counts, permits, penalties, permitCount, penaltyCount, timeliness, articles, shown] = await Promise.all([
      deps.stats.counts(),
      deps.publicityRepo.latest('permit', today, 5),
      deps.publicityRepo.latest('penalty', today, 5),
      deps.publicityRepo.publicCount('permit', today),
      deps.publicityRepo.publicCount('penalty', today),
      deps.timeliness.summary(),
      deps.articles.latest(6),
      deps.catalogue.publicFields(),
    ]);
    res.render('home/index.njk', {
      title: '首页',
      counts: { ...counts, permits: permitCount, penalties: penaltyCount },
      latest: {
        permits: permits.map((r) => publicListRow('permit', r, shown.hiddenKeys('permit'))),
        penalties: penalties.map((r) => publicListRow('penalty', r, shown.hiddenKeys('penalty'))),
      },
      timeliness,
      articles,
      nav: 'home',
    });
  });

  router.get('/accessibility', (_req, res) => res.render('home/accessibility.njk', { title: '无障碍说明' }));
  router.get('/about', (_req, res) => res.render('home/about.njk', { title: '关于本站' }));

  return router;
}
