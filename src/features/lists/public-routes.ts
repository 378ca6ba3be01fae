import { Router } from 'express';
import type { Services } from '../../services.js';
import { maskIdNumber } from '../../domain/identifiers.js';
import { beijingToday } from '../../domain/dates.js';
import { NotFoundError } from '../../platform/errors.js';
import { parseQuery, pathId, queryText } from '../../platform/params.js';
import { LIST_LABELS } from './service.js';
import { entryStage, listTier, personsText } from './procedure.js';
import type { ResponsiblePerson } from './schemas.js';

export type EntryRow = {
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
  listType: 'red' | 'black';
  noticeEndsOn: Date | null;
  confirmedAt: Date | null;
  withdrawnAt: Date | null;
  nomination: { responsiblePersons: ResponsiblePerson[] };
};

/**
 * What the public sees of an entry: natural persons by masked number only; responsible persons by name only (条例
 * Art. 35); its stage (公示中 with the period's end, withdrawn, exited) and, on the black list, its tier.
 */
export function publicEntry(e: EntryRow, disputed: ReadonlySet<number> = new Set(), inForce = false, today = beijingToday()) {
  const stage = entryStage(e, today, disputed.has(e.id));
  return {
    id: e.id,
    disputed: disputed.has(e.id),
    objectionHref: inForce && !e.exitedAt && !e.withdrawnAt ? `/lists/entries/${e.id}/objection` : null,
    stage,
    tier: listTier(e.listType)?.label ?? null,
    persons: personsText(e.nomination.responsiblePersons),
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

/** What an exit notice about an archived entry still says. */
export const ARCHIVED_NOTICE = '该条目相关信息已超过披露期限并归档，不再公开（《河南省社会信用条例》第十九条）。';

export function listPublicRoutes(deps: Services): Router {
  const router = Router();

  router.get('/lists', async (_req, res) => {
    const issues = await deps.listRepo.publishedIssues();
    const { red, black } = await deps.listRepo.inForceCounts();
    // 条例 Art. 28: red-list entries in their 公示期 are shown, with the period's end, so anyone can object in time.
    const inNotice = await deps.listRepo.inNoticeEntries();
    const disputed = await deps.cases.disputedAmong(
      'entry',
      inNotice.map((e) => e.id),
    );
    const today = beijingToday();
    res.render('lists/index.njk', {
      title: '红黑榜',
      nav: 'lists',
      issues,
      red,
      black,
      inNotice: inNotice.map((e) => ({
        id: e.id,
        subjectName: e.subjectName,
        code: e.uscc ?? (e.docNumber ? maskIdNumber(e.docNumber) : ''),
        href: e.uscc ? `/subjects/${e.uscc}` : null,
        basisDocNo: e.basisDocNo,
        basisAuthority: e.basisAuthority,
        reason: e.reason,
        issue: e.issue,
        stage: entryStage(e, today, disputed.has(e.id)),
        disputed: disputed.has(e.id),
        objectionHref: `/lists/entries/${e.id}/objection`,
      })),
    });
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
        showTier: listType === 'black',
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
    const entry = (e: EntryRow) => publicEntry(e, disputed, e.validUntil.toISOString().slice(0, 10) >= today, today);
    res.render('lists/issue.njk', {
      title: `红黑榜 ${issue.title}`,
      nav: 'lists',
      issue,
      // An exit notice about an archived entry stays as a line without its details: the issue still shows that a
      // notice was published, but discloses nothing beyond the 5 years (条例 Art. 19, 37).
      notices: issue.notices.map((n) => ({ kind: n.kind, publishedAt: n.publishedAt, text: n.entry?.archivedAt ? ARCHIVED_NOTICE : n.text })),
      red: issue.entries.filter((e) => e.listType === 'red').map(entry),
      black: issue.entries.filter((e) => e.listType === 'black').map(entry),
    });
  });

  return router;
}
