import path from 'node:path';
import { Router } from 'express';
import type { Services } from '../../services.js';
import { BadRequestError, NotFoundError } from '../../platform/errors.js';
import { parseDate } from '../../domain/dates.js';
import { LICENCE } from './licence.js';
import { DATASET_TITLES } from './datasets.js';

const NOT_FOUND = '该日期的开放数据文件不存在（数据文件保留 30 天）';

/** A day in a URL: YYYY-MM-DD and a real calendar day, else 400 with the reason. */
function dayParam(raw: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(raw) || parseDate(raw) !== raw) throw new BadRequestError(`日期“${raw.slice(0, 20)}”无效，应为 YYYY-MM-DD 格式的有效日期`);
  return raw;
}

/** /open-data: the daily bulk files of everything public, their manifests and the licence (issue #17). */
export function openDataRoutes(deps: Services): Router {
  const router = Router();

  router.get('/open-data', async (_req, res) => {
    const days = await deps.openData.days();
    res.render('open-data/index.njk', {
      title: '开放数据',
      nav: 'open-data',
      latest: days[0] ?? null,
      older: days.slice(1),
      titles: DATASET_TITLES,
      licence: LICENCE,
    });
  });

  router.get('/open-data/:date/manifest.json', async (req, res) => {
    const file = await deps.openData.manifestPath(dayParam(String(req.params.date)));
    if (!file) throw new NotFoundError(NOT_FOUND);
    res.type('application/json; charset=utf-8');
    res.set('Cache-Control', 'public, max-age=3600');
    // Relative to the day's folder: send checks dot segments only below its root, so an UPLOAD_DIR under a hidden
    // folder still serves.
    res.sendFile(path.basename(file), { root: path.dirname(file) });
  });

  router.get('/open-data/:date/:file', async (req, res) => {
    const date = dayParam(String(req.params.date));
    // Only a name the day's manifest lists resolves to a path (OpenDataService.file): nothing typed reaches another file.
    const found = await deps.openData.file(date, String(req.params.file));
    if (!found) throw new NotFoundError(NOT_FOUND);
    // attachment() sets a type from the extension (none known for .jsonl): the manifest's type goes after it.
    res.attachment(`信用新乡开放数据_${found.entry.dataset}_${date}.${found.entry.format}`);
    res.type(found.entry.mediaType);
    // A day is written once (a forced rewrite is for tests and benchmarks), so an hour of caching is safe.
    res.set('Cache-Control', 'public, max-age=3600');
    res.set('X-Content-SHA256', found.entry.sha256);
    res.sendFile(path.basename(found.path), { root: path.dirname(found.path) });
  });

  return router;
}
