import { Router } from 'express';
import type { Services } from '../../services.js';
import { maskIdNumber } from '../../domain/identifiers.js';
import { beijingToday } from '../../domain/dates.js';
import { NotFoundError } from '../../platform/errors.js';
import { parseQuery, pathId, queryText } from '../../platform/params.js';
import { LIST_LABELS } from './service.js';

type EntryRow = {
  id: number;
  subjectName: string;
  subjectCategory: string;
  uscc: string | null;
  docNumber: string | null;
  legalPersonId: number | null;
  basisDocNo: string;
  basisAuthority: string;
  basisDate: Date;
  reason: string;
  validUntil: Date;
  department: string;
  exitedAt: Date | null;
  exitReason: string | null;
};

/** What the public sees of an entry: natural persons by masked number only. */
function publicEntry(e: EntryRow, disputed: ReadonlySet<number> = new Set(), inForce = false) {
  return {
    id: e.id,
    disputed: disputed.has(e.id),
    objectionHref: inForce && !e.exitedAt ? `/lists/entries/${e.id}/objection` : null,
    subjectName: e.subjectName,
    code: e.uscc ?? (e.docNumber ? maskIdNumber(e.docNumber) : ''),
    href: e.uscc ? `/subjects/${e.uscc}` : null,
    basisDocNo: e.basisDocNo,
    basisAuthority: e.basisAuthority,
    basisDate: e.basisDate,
    reason: e.reason,
    validUntil: e.validUntil,
    department: e.department,
    exitedAt: e.exitedAt,
    exitReason: e.exitReason,
  };
}

export function listPublicRoutes(deps: Services): Router {
  const router = Router();

  router.get('/lists', async (_req, res) => {
    const issues = await deps.listRepo.publishedIssues();
    const { red, black } = await deps.listRepo.inForceCounts();
    res.render('lists/index.njk', { title: '红黑榜', nav: 'lists', issues, red, black });
  });

  for (const listType of ['red', 'black'] as const) {
    router.get(`/lists/${listType}`, async (req, res) => {
      const q = (parseQuery(req, { q: queryText(100) }).q ?? '').trim();
      const entries = await deps.listRepo.inForceEntries(listType, q);
      const disputed = await deps.cases.disputedAmong(
        'entry',
        entries.map((e) => e.id),
      );
      res.render('lists/in-force.njk', {
        title: `${LIST_LABELS[listType]}（有效期内）`,
        nav: 'lists',
        listType,
        listLabel: LIST_LABELS[listType],
        q,
        entries: entries.map((e) => publicEntry(e, disputed, true)),
        today: beijingToday(),
      });
    });
  }

  router.get('/lists/:id', async (req, res) => {
    const issue = await deps.listRepo.publishedIssue(pathId(req, 'id', '该期榜单不存在或尚未发布'));
    if (!issue) throw new NotFoundError('该期榜单不存在或尚未发布');
    const disputed = await deps.cases.disputedAmong(
      'entry',
      issue.entries.map((e) => e.id),
    );
    const today = beijingToday();
    const entry = (e: EntryRow) => publicEntry(e, disputed, e.validUntil.toISOString().slice(0, 10) >= today);
    res.render('lists/issue.njk', {
      title: `红黑榜 ${issue.title}`,
      nav: 'lists',
      issue,
      red: issue.entries.filter((e) => e.listType === 'red').map(entry),
      black: issue.entries.filter((e) => e.listType === 'black').map(entry),
    });
  });

  return router;
}
