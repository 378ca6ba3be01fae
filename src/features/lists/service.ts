import type { ListRepository } from './repository.js';
import type { AuditLog } from '../../platform/audit.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../platform/errors.js';
import { canSeeDepartment } from '../../platform/access.js';
import { addDays, beijingToday, dateColumn, isoDay } from '../../domain/dates.js';
import { DEFAULT_NOTICE_DAYS, DEFAULT_OBJECTION_DAYS, type NominationInput } from './schemas.js';
import { maskIdNumber } from '../../domain/identifiers.js';
import { noticeDocNo } from '../reports/signing.js';
import type { PriorNotice } from './prior-notice.js';

export const LIST_LABELS = { red: '红名单', black: '黑名单' } as const;
export const NOMINATION_STATUS_LABELS = { pending: '待审核', accepted: '已通过', rejected: '未通过', listed: '已列入榜单' } as const;

/** 红黑榜: nominations by departments, review and quarterly issues by the credit office, exits. */
export class ListService {
  constructor(
    private readonly repo: ListRepository,
    private readonly audit: AuditLog,
  ) {}

  async nominate(input: NominationInput, user: Express.User, ip: string | null): Promise<number> {
    if (user.departmentId === null) throw new ForbiddenError('您的账号未分配部门');
    // The subject is matched in the libraries (and added when the department knows it and the library not yet).
    const id = await this.repo.createNomination(input, user.departmentId, user.id, {
      basisDate: dateColumn(input.basisDate),
      validUntil: dateColumn(input.validUntil),
    });
    await this.audit.record({
      action: 'list.nominate',
      userId: user.id,
      username: user.username,
      ip,
      targetType: 'nomination',
      targetId: id,
      detail: { listType: input.listType, subject: input.subjectName },
    });
    return id;
  }

  async review(id: number, decision: 'accept' | 'reject', comment: string | undefined, user: Express.User, ip: string | null): Promise<void> {
    const n = await this.repo.nominationStatus(id);
    if (!n) throw new NotFoundError('推荐不存在');
    if (n.status !== 'pending') throw new ConflictError('该推荐已审核');
    await this.repo.reviewNomination(id, decision === 'accept' ? 'accepted' : 'rejected', comment ?? null, user.id);
    await this.audit.record({
      action: `list.${decision}`,
      userId: user.id,
      username: user.username,
      ip,
      targetType: 'nomination',
      targetId: id,
      detail: { comment },
    });
  }

  /** A new draft issue; `noticeDays` is the 公示期 its red-list entries go through once published (条例 Art. 28). */
  async createIssue(year: number, quarter: number, user: Express.User, ip: string | null, noticeDays = DEFAULT_NOTICE_DAYS): Promise<number> {
    if (await this.repo.issueExists(year, quarter)) throw new ConflictError(`${year}年第${quarter}季度的榜单已存在`);
    const serialNo = (await this.repo.lastSerialNo()) + 1;
    const issueId = await this.repo.createIssue({ year, quarter, serialNo, title: `${year}年第${quarter}季度 · 总第${serialNo}期`, noticeDays });
    await this.audit.record({
      action: 'list.issue.create',
      userId: user.id,
      username: user.username,
      ip,
      targetType: 'listIssue',
      targetId: issueId,
      detail: { noticeDays },
    });
    return issueId;
  }

  private async draft(issueId: number) {
    const issue = await this.repo.issueState(issueId);
    if (!issue) throw new NotFoundError('榜单不存在');
    if (issue.publishedAt) throw new ConflictError('已发布的榜单不能修改；如有错误请发布更正公告');
    return issue;
  }

  /**
   * Adds accepted nominations to a draft issue as entries. A black-list nomination is listed only once its prior
   * notice was served and the objection window it gave has passed (条例 Art. 28); otherwise nothing is added and the
   * message says from which day it can be.
   */
  async addEntries(issueId: number, nominationIds: number[], user: Express.User, ip: string | null, today = beijingToday()): Promise<number> {
    await this.draft(issueId);
    const refusals = listingRefusals(await this.repo.nominationsForListing(nominationIds), today);
    if (refusals.length) throw new ConflictError(refusals.join('；'));
    const listed = await this.repo.listNominations(issueId, nominationIds);
    await this.audit.record({
      action: 'list.issue.add',
      userId: user.id,
      username: user.username,
      ip,
      targetType: 'listIssue',
      targetId: issueId,
      detail: { nominations: listed },
    });
    return listed.length;
  }

  async removeEntry(issueId: number, entryId: number, user: Express.User, ip: string | null): Promise<void> {
    await this.draft(issueId);
    const entry = await this.repo.draftEntry(issueId, entryId);
    if (!entry) throw new NotFoundError('条目不存在');
    await this.repo.removeEntry(entryId, entry.nominationId);
    await this.audit.record({
      action: 'list.issue.remove',
      userId: user.id,
      username: user.username,
      ip,
      targetType: 'listIssue',
      targetId: issueId,
      detail: { entryId },
    });
  }

  async publish(issueId: number, user: Express.User, ip: string | null): Promise<void> {
    const count = await this.repo.entryCount(issueId);
    if (count === 0) throw new ConflictError('榜单中还没有条目，不能发布');
    const issue = await this.draft(issueId);
    // The 公示期 counts the publication day as its first calendar day (docs/domain.md "List procedures").
    const noticeEndsOn = addDays(beijingToday(), issue.noticeDays - 1);
    await this.repo.markPublished(issueId, user.id, noticeEndsOn);
    const tasks = await this.createTasks(issueId);
    await this.audit.record({
      action: 'list.issue.publish',
      userId: user.id,
      username: user.username,
      ip,
      targetType: 'listIssue',
      targetId: issueId,
      detail: { entries: count, tasks },
    });
  }

  /** Every entry in force gets a task for each active measure of its list, at the measure's implementing department. */
  private async createTasks(issueId: number, entryIds?: number[]): Promise<number> {
    const [entries, measures] = await this.repo.taskSources(issueId, entryIds);
    const data = entries.flatMap((e) =>
      measures.filter((m) => m.listType === e.listType).map((m) => ({ entryId: e.id, measureId: m.id, departmentId: m.departmentId })),
    );
    if (!data.length) return 0;
    return this.repo.createTasks(data);
  }

  async correct(issueId: number, text: string, user: Express.User, ip: string | null): Promise<void> {
    const issue = await this.repo.issuePublishedAt(issueId);
    if (!issue) throw new NotFoundError('榜单不存在');
    if (!issue.publishedAt) throw new ConflictError('草稿可直接修改，无需更正公告');
    await this.repo.addCorrection(issueId, text, user.id);
    await this.audit.record({
      action: 'list.notice.correction',
      userId: user.id,
      username: user.username,
      ip,
      targetType: 'listIssue',
      targetId: issueId,
      detail: { text },
    });
  }

  /** 退出: the entry leaves the lists in force at once and an exit notice is published. */
  async exit(entryId: number, reason: string, user: Express.User, ip: string | null): Promise<void> {
    const entry = await this.repo.entryWithIssue(entryId);
    if (!entry) throw new NotFoundError('条目不存在');
    if (!entry.issue.publishedAt) throw new ConflictError('草稿中的条目请直接移除');
    if (entry.exitedAt) throw new ConflictError('该条目已退出');
    const listName = entry.listType === 'red' ? '红名单' : '黑名单';
    // The joint measures stop with the exit.
    await this.repo.exitEntry(entry, reason, `${entry.subjectName}退出${listName}。原因：${reason}`, user.id);
    await this.audit.record({
      action: 'list.exit',
      userId: user.id,
      username: user.username,
      ip,
      targetType: 'listEntry',
      targetId: entryId,
      detail: { reason },
    });
  }

  /**
   * The nightly step of 条例 Art. 28: red-list entries whose 公示期 ended before `today` without an open objection are
   * confirmed and their joint measures start. The pages do not wait for it (src/platform/database/in-force.ts).
   */
  async confirmNoticePeriods(today = beijingToday()): Promise<number> {
    const confirmed = await this.repo.confirmDue(today);
    const byIssue = new Map<number, number[]>();
    for (const e of confirmed) byIssue.set(e.issueId, [...(byIssue.get(e.issueId) ?? []), e.id]);
    for (const [issueId, ids] of byIssue) await this.createTasks(issueId, ids);
    for (const e of confirmed) {
      await this.audit.record({ action: 'list.notice.confirm', userId: null, username: 'system', ip: null, targetType: 'listEntry', targetId: e.id });
    }
    return confirmed.length;
  }

  /** 撤回: an objection filed in the 公示期 was upheld, so the red-list entry does not come into force (条例 Art. 28). */
  async withdraw(entryId: number, reason: string, user: Express.User, ip: string | null): Promise<void> {
    const entry = await this.repo.entryState(entryId);
    if (!entry) throw new NotFoundError('条目不存在');
    if (!entry.issue.publishedAt || !entry.noticeEndsOn) throw new ConflictError('只有公示期内的红名单条目可以撤回');
    if (entry.withdrawnAt) throw new ConflictError('该条目已撤回');
    if (entry.confirmedAt || entry.exitedAt) throw new ConflictError('该条目已公示期满确认列入，请办理退出');
    await this.repo.withdrawEntry(entry, reason, `${entry.subjectName}拟列入红名单，公示期内异议成立，不予列入。理由：${reason}`, user.id);
    await this.audit.record({
      action: 'list.withdraw',
      userId: user.id,
      username: user.username,
      ip,
      targetType: 'listEntry',
      targetId: entryId,
      detail: { reason },
    });
  }

  /** Records the 事前告知书 as served on a black-list nomination; the objection window runs from the day served. */
  async servePriorNotice(
    nominationId: number,
    input: { noticeNo: string; measures: string; servedOn: string; objectionDays: number },
    user: Express.User,
    ip: string | null,
  ): Promise<string> {
    const n = await this.nominationForUser(nominationId, user);
    if (n.listType !== 'black') throw new ConflictError('事前告知只适用于黑名单推荐');
    if (n.status === 'listed' || n.status === 'rejected') throw new ConflictError('该推荐已编入榜单或未通过，不能再登记事前告知');
    // The window counts calendar days after the day served: served on the 1st with 7 days, objections until the 8th.
    const objectionEndsOn = addDays(input.servedOn, input.objectionDays);
    await this.repo.recordPriorNotice(nominationId, { ...input, objectionEndsOn }, user.id);
    await this.audit.record({
      action: 'list.priorNotice',
      userId: user.id,
      username: user.username,
      ip,
      targetType: 'nomination',
      targetId: nominationId,
      detail: { ...input, objectionEndsOn },
    });
    return objectionEndsOn;
  }

  /** 向省级主管部门申请复核, recorded on the black-list entry of this nomination. */
  async recordReviewRequest(nominationId: number, requestedOn: string, note: string, user: Express.User, ip: string | null): Promise<void> {
    const n = await this.nominationForUser(nominationId, user);
    if (n.listType !== 'black') throw new ConflictError('申请复核只适用于黑名单');
    if (!n.entry) throw new ConflictError('尚未列入黑名单，暂不能登记复核申请');
    await this.repo.recordReviewRequest(n.entry.id, requestedOn, note);
    await this.audit.record({
      action: 'list.reviewRequest',
      userId: user.id,
      username: user.username,
      ip,
      targetType: 'listEntry',
      targetId: n.entry.id,
      detail: { requestedOn, note },
    });
  }

  /**
   * The 事前告知书 as the nomination stands now: what its PDF prints, and what a verifier's superseded check compares an
   * issued notice with. Null when the nomination is gone or no notice is registered for it (or it is not a black one).
   */
  async priorNotice(id: number): Promise<PriorNotice | null> {
    const n = await this.repo.nominationDetail(id);
    return n ? priorNoticeOf(n) : null;
  }

  async nominationForUser(id: number, user: Express.User) {
    const n = await this.repo.nominationDetail(id);
    if (!n) throw new NotFoundError('推荐不存在');
    if (!canSeeDepartment(user, n.departmentId)) throw new ForbiddenError('只能查看本部门的推荐');
    return n;
  }
}

/** Why these nominations cannot be listed on `today` (black list: no prior notice yet, or its window still open). */
export function listingRefusals(
  noms: { listType: 'red' | 'black'; subjectName: string; priorNoticeServedOn: Date | null; objectionEndsOn: Date | null }[],
  today: string,
): string[] {
  const out: string[] = [];
  for (const n of noms) {
    if (n.listType !== 'black') continue;
    if (!n.priorNoticeServedOn || !n.objectionEndsOn) {
      out.push(`${n.subjectName}：尚未登记送达事前告知书，不能列入黑名单`);
      continue;
    }
    const ends = isoDay(n.objectionEndsOn);
    if (ends >= today) out.push(`${n.subjectName}：事前告知的异议期至 ${ends} 届满，${addDays(ends, 1)} 起方可列入黑名单`);
  }
  return out;
}

type NominationDetail = NonNullable<Awaited<ReturnType<ListRepository['nominationDetail']>>>;

/** The notice of a nomination; null when it has none (a red one, or before the department registered it). */
export function priorNoticeOf(n: NominationDetail): PriorNotice | null {
  if (n.listType !== 'black' || !n.priorNoticeNo || !n.priorNoticeMeasures) return null;
  return {
    docNo: noticeDocNo(n.id),
    noticeNo: n.priorNoticeNo,
    subjectName: n.subjectName,
    // The notice goes to the subject itself, but a printed page travels: a person's number is masked on it too.
    code: n.uscc ?? (n.docNumber ? maskIdNumber(n.docNumber) : ''),
    basisDocNo: n.basisDocNo,
    basisAuthority: n.basisAuthority,
    basisDate: isoDay(n.basisDate),
    reason: n.reason,
    measures: n.priorNoticeMeasures,
    validUntil: isoDay(n.validUntil),
    servedOn: n.priorNoticeServedOn ? isoDay(n.priorNoticeServedOn) : null,
    objectionDays: n.objectionDays ?? DEFAULT_OBJECTION_DAYS,
    objectionEndsOn: n.objectionEndsOn ? isoDay(n.objectionEndsOn) : null,
    department: n.department.name,
    responsiblePersons: n.responsiblePersons,
  };
}
