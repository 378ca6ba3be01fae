import { Router } from 'express';
import type { Services } from '../../services.js';
import { maskIdNumber } from '../../domain/identifiers.js';
import { beijingToday } from '../../domain/dates.js';
import { NotFoundError } from '../../platform/errors.js';
import { parseQuery, pathId, queryText } from '../../platform/params.js';
import { LIST_LABELS } from './service.js';
import { entryStage, listTier, personsText } from './procedure.js';
import type { ResponsiblePerson } from './schemas.js';
import { PublicFields } from '../catalogue/service.js';
import { LIST_ITEM_CODES } from '../catalogue/codes.js';

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
export function publicEntry(
  e: EntryRow,
  disputed: ReadonlySet<number> = new Set(),
  inForce = false,
  today = beijingToday(),
  shown: PublicFields = PublicFields.none(),
) {
  const stage = entryStage(e, today, disputed.has(e.id));
  // 条例 Art. 11, 18: a field of the list's catalogue item that is not 社会公开 comes out empty.
  const hidden = shown.hiddenListKeys(e.listType);
  const v = <T>(key: string, value: T): T | null => (hidden.has(key) ? null : value);
  const uscc = v('uscc', e.uscc);
  const docNumber = v('docNumber', e.docNumber);
  return {
    id: e.id,
    disputed: disputed.has(e.id),
    objectionHref: inForce && !e.exitedAt && !e.withdrawnAt ? `/lists/entries/${e.id}/objection` : null,
    stage,
    tier: listTier(e.listType)?.label ?? null,
    persons: v('persons', personsText(e.nomination.responsiblePersons)) ?? '',
    subjectName: v('subjectName', e.subjectName) ?? '',
    code: uscc ?? (docNumber ? maskIdNumber(docNumber) : ''),
    // The profile link carries the code: no link when the code is not public.
    href: uscc ? `/subjects/${uscc}` : null,
    basisDocNo: v('basisDocNo', e.basisDocNo) ?? '',
    basisAuthority: v('basisAuthority', e.basisAuthority) ?? '',
    basisDate: v('basisDate', e.basisDate),
    reason: v('reason', e.reason) ?? '',
    validUntil: v('validUntil', e.validUntil),
    department: v('department', e.department) ?? '',
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
    const shown = await deps.catalogue.publicFields();
    const hidden = shown.hiddenListKeys('red');
    const v = (key: string, value: string | null): string | null => (hidden.has(key) ? null : value);
    res.render('lists/index.njk', {
      title: '红黑榜',
      nav: 'lists',
      issues,
      red,
      black,
      // An item switched off as a whole shows a notice instead of its entries (the in-notice entries are red-list ones).
      redHidden: !shown.showsItem(LIST_ITEM_CODES.red),
      inNotice: (shown.showsItem(LIST_ITEM_CODES.red) ? inNotice : []).map((e) => ({
        id: e.id,
        subjectName: v('subjectName', e.subjectName) ?? '',
        code: v('uscc', e.uscc) ?? (v('docNumber', e.docNumber) ? maskIdNumber(e.docNumber!) : ''),
        href: v('uscc', e.uscc) ? `/subjects/${e.uscc!}` : null,
        basisDocNo: v('basisDocNo', e.basisDocNo) ?? '',
        basisAuthority: v('basisAuthority', e.basisAuthority) ?? '',
        reason: v('reason', e.reason) ?? '',
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
      const shown = await deps.catalogue.publicFields();
      const itemHidden = !shown.showsItem(LIST_ITEM_CODES[listType]);
      // A list whose whole item is not 社会公开 is not searched at all, so a query cannot probe it.
      const entries = itemHidden ? [] : await deps.listRepo.inForceEntries(listType, q);
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
        entries: entries.map((e) => publicEntry(e, disputed, true, beijingToday(), shown)),
        itemHidden,
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
    const shown = await deps.catalogue.publicFields();
    const entry = (e: EntryRow) => publicEntry(e, disputed, e.validUntil.toISOString().slice(0, 10) >= today, today, shown);
    const redHidden = !shown.showsItem(LIST_ITEM_CODES.red);
    const blackHidden = !shown.showsItem(LIST_ITEM_CODES.black);
    res.render('lists/issue.njk', {
      title: `红黑榜 ${issue.title}`,
      nav: 'lists',
      issue,
      // An exit notice about an archived entry stays as a line without its details: the issue still shows that a
      // notice was published, but discloses nothing beyond the 5 years (条例 Art. 19, 37).
      notices: issue.notices.map((n) => ({ kind: n.kind, publishedAt: n.publishedAt, text: n.entry?.archivedAt ? ARCHIVED_NOTICE : n.text })),
      red: redHidden ? [] : issue.entries.filter((e) => e.listType === 'red').map(entry),
      black: blackHidden ? [] : issue.entries.filter((e) => e.listType === 'black').map(entry),
      redHidden,
      blackHidden,
    });
  });

  return router;
}
