import type { Db } from '../../platform/database/client.js';
import { NotFoundError } from '../../platform/errors.js';
import { beijingToday } from '../../domain/dates.js';
import type { PublicityRepository } from '../publicity/repository.js';
import { inForceWhere } from '../../platform/database/in-force.js';

/**
 * The public records a subject may dispute: 双公示 records, red/black-list entries and public commitments. Each
 * kind says how to load what the public sees of it, who answers (the department that reported, nominated or
 * accepted it), where it is shown, and whether it was corrected after a given moment.
 */
export type ObjectionKind = 'permit' | 'penalty' | 'entry' | 'commitment';

export const OBJECTION_KIND_LABELS: Record<ObjectionKind, string> = { permit: '行政许可', penalty: '行政处罚', entry: '红黑名单', commitment: '信用承诺' };
export const KIND_KEY = { permit: 'permitId', penalty: 'penaltyId', entry: 'listEntryId', commitment: 'commitmentId' } as const satisfies Record<
  ObjectionKind,
  string
>;

export interface DisputedRecord {
  id: number;
  subjectName: string;
  subjectCategory: string;
  uscc: string | null;
  docNumber: string | null;
  /** 文书号, 认定文号 or 承诺编码 */
  documentNo: string;
  departmentId: number;
  departmentName: string;
  publicHref: string;
}

/** Where the back office corrects a record of this kind, and what "corrected" means for it. */
export const CORRECTION_HINTS: Record<ObjectionKind, string> = {
  permit: '请先通过“修改”更正该记录（或撤回），再答复“已更正”',
  penalty: '请先通过“修改”更正该记录（或撤回），再答复“已更正”',
  entry: '请先商信用办发布更正公告或办理退出，再答复“已更正”',
  commitment: '请先更新该承诺的记录，再答复“已更正”',
};

export function adminHref(kind: ObjectionKind, rec: { id: number; issueId?: number }): string {
  switch (kind) {
    case 'permit':
      return `/admin/permits/${rec.id}`;
    case 'penalty':
      return `/admin/penalties/${rec.id}`;
    case 'entry':
      return `/admin/list-issues/${rec.issueId ?? ''}`;
    case 'commitment':
      return '/admin/commitments';
  }
}

export async function loadPublicRecord(db: Db, publicityRepo: PublicityRepository, kind: ObjectionKind, id: number): Promise<DisputedRecord> {
  const gone = () => new NotFoundError('该记录不存在、已撤回或已不在公示中');
  if (kind === 'permit' || kind === 'penalty') {
    const rec = (await publicityRepo.publicDetail(kind, id, beijingToday())) as {
      subjectName: string;
      subjectCategory: string;
      uscc: string | null;
      docNumber: string | null;
      documentNo: string;
      departmentId: number;
      department: { name: string } | null;
    } | null;
    if (!rec) throw gone();
    return { id, ...rec, departmentName: rec.department?.name ?? '', publicHref: `/publicity/${kind === 'permit' ? 'permits' : 'penalties'}/${id}` };
  }
  if (kind === 'entry') {
    const e = await db.listEntry.findFirst({
      where: { id, ...inForceWhere() },
      include: { nomination: { select: { departmentId: true, department: { select: { name: true } } } } },
    });
    if (!e) throw gone();
    return {
      id,
      subjectName: e.subjectName,
      subjectCategory: e.subjectCategory,
      uscc: e.uscc,
      docNumber: e.docNumber,
      documentNo: e.basisDocNo,
      departmentId: e.nomination.departmentId,
      departmentName: e.nomination.department.name,
      publicHref: `/lists/${e.issueId}`,
    };
  }
  const c = await db.commitment.findFirst({ where: { id, disclosure: '可向社会公开' }, include: { department: { select: { name: true } } } });
  if (!c) throw gone();
  const natural = c.promisorCategory === 'natural';
  return {
    id,
    subjectName: c.promisorName,
    subjectCategory: c.promisorCategory,
    uscc: natural ? null : c.promisorCode,
    docNumber: natural ? c.promisorCode : null,
    documentNo: c.code,
    departmentId: c.departmentId,
    departmentName: c.department.name,
    publicHref: `/commitments/${id}`,
  };
}

/** Whether the record was corrected (edited, withdrawn, exited or given a correction notice) after `at`. */
export async function correctedSince(db: Db, kind: ObjectionKind, id: number, at: Date): Promise<boolean> {
  switch (kind) {
    case 'permit':
      return (await db.permit.count({ where: { id, updatedAt: { gt: at } } })) > 0;
    case 'penalty':
      return (await db.penalty.count({ where: { id, updatedAt: { gt: at } } })) > 0;
    case 'commitment':
      return (await db.commitment.count({ where: { id, updatedAt: { gt: at } } })) > 0;
    case 'entry': {
      const e = await db.listEntry.findUnique({ where: { id }, select: { exitedAt: true, issueId: true } });
      if (!e) return false;
      if (e.exitedAt && e.exitedAt > at) return true;
      return (await db.listNotice.count({ where: { issueId: e.issueId, kind: 'correction', publishedAt: { gt: at } } })) > 0;
    }
  }
}
