import type { ListRepository } from './repository.js';
import type { AuditLog } from '../../platform/audit.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../platform/errors.js';
import { canSeeDepartment } from '../../platform/access.js';
import { dateColumn } from '../../domain/dates.js';
import type { NominationInput } from './schemas.js';

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

  async createIssue(year: number, quarter: number, user: Express.User, ip: string | null): Promise<number> {
    if (await this.repo.issueExists(year, quarter)) throw new ConflictError(`${year}年第${quarter}季度的榜单已存在`);
    const serialNo = (await this.repo.lastSerialNo()) + 1;
    const issueId = await this.repo.createIssue({ year, quarter, serialNo, title: `${year}年第${quarter}季度 · 总第${serialNo}期` });
    await this.audit.record({ action: 'list.issue.create', userId: user.id, username: user.username, ip, targetType: 'listIssue', targetId: issueId });
    return issueId;
  }

  private async draft(issueId: number) {
    const issue = await this.repo.issueState(issueId);
    if (!issue) throw new NotFoundError('榜单不存在');
    if (issue.publishedAt) throw new ConflictError('已发布的榜单不能修改；如有错误请发布更正公告');
    return issue;
  }

  /** Adds accepted nominations to a draft issue as entries. */
  async addEntries(issueId: number, nominationIds: number[], user: Express.User, ip: string | null): Promise<number> {
    await this.draft(issueId);
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
    await this.draft(issueId);
    const count = await this.repo.entryCount(issueId);
    if (count === 0) throw new ConflictError('榜单中还没有条目，不能发布');
    await this.repo.markPublished(issueId, user.id);
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
  private async createTasks(issueId: number): Promise<number> {
    const [entries, measures] = await this.repo.taskSources(issueId);
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

  async nominationForUser(id: number, user: Express.User) {
    const n = await this.repo.nominationDetail(id);
    if (!n) throw new NotFoundError('推荐不存在');
    if (!canSeeDepartment(user, n.departmentId)) throw new ForbiddenError('只能查看本部门的推荐');
    return n;
  }
}
