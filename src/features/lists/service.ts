import type { Db } from '../../platform/database/client.js';
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
    private readonly db: Db,
    private readonly audit: AuditLog,
  ) {}

  async nominate(input: NominationInput, user: Express.User, ip: string | null): Promise<number> {
    if (user.departmentId === null) throw new ForbiddenError('您的账号未分配部门');
    // The subject is matched in the libraries (and added when the department knows it and the library not yet).
    let legalPersonId: number | null = null;
    let naturalPersonId: number | null = null;
    if (input.uscc) {
      const lp = await this.db.legalPerson.upsert({
        where: { uscc: input.uscc },
        update: {},
        create: { uscc: input.uscc, name: input.subjectName, subjectType: input.subjectCategory === 'soleTrader' ? 'soleTrader' : 'organisation' },
        select: { id: true },
      });
      legalPersonId = lp.id;
    } else if (input.docType && input.docNumber) {
      const np = await this.db.naturalPerson.upsert({
        where: { docType_docNumber: { docType: input.docType, docNumber: input.docNumber } },
        update: {},
        create: { docType: input.docType, docNumber: input.docNumber, name: input.subjectName },
        select: { id: true },
      });
      naturalPersonId = np.id;
    }
    const n = await this.db.listNomination.create({
      data: {
        listType: input.listType,
        subjectCategory: input.subjectCategory,
        subjectName: input.subjectName,
        uscc: input.uscc,
        docType: input.docType,
        docNumber: input.docNumber,
        legalPersonId,
        naturalPersonId,
        basisDocNo: input.basisDocNo,
        basisAuthority: input.basisAuthority,
        basisDate: dateColumn(input.basisDate),
        reason: input.reason,
        validUntil: dateColumn(input.validUntil),
        departmentId: user.departmentId,
        createdById: user.id,
      },
      select: { id: true },
    });
    await this.audit.record({
      action: 'list.nominate',
      userId: user.id,
      username: user.username,
      ip,
      targetType: 'nomination',
      targetId: n.id,
      detail: { listType: input.listType, subject: input.subjectName },
    });
    return n.id;
  }

  async review(id: number, decision: 'accept' | 'reject', comment: string | undefined, user: Express.User, ip: string | null): Promise<void> {
    const n = await this.db.listNomination.findUnique({ where: { id }, select: { status: true } });
    if (!n) throw new NotFoundError('推荐不存在');
    if (n.status !== 'pending') throw new ConflictError('该推荐已审核');
    await this.db.listNomination.update({
      where: { id },
      data: { status: decision === 'accept' ? 'accepted' : 'rejected', reviewComment: comment ?? null, reviewedById: user.id, reviewedAt: new Date() },
    });
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
    const exists = await this.db.listIssue.findUnique({ where: { year_quarter: { year, quarter } }, select: { id: true } });
    if (exists) throw new ConflictError(`${year}年第${quarter}季度的榜单已存在`);
    const last = await this.db.listIssue.aggregate({ _max: { serialNo: true } });
    const serialNo = (last._max.serialNo ?? 0) + 1;
    const issue = await this.db.listIssue.create({
      data: { year, quarter, serialNo, title: `${year}年第${quarter}季度 · 总第${serialNo}期` },
      select: { id: true },
    });
    await this.audit.record({ action: 'list.issue.create', userId: user.id, username: user.username, ip, targetType: 'listIssue', targetId: issue.id });
    return issue.id;
  }

  private async draft(issueId: number) {
    const issue = await this.db.listIssue.findUnique({ where: { id: issueId }, select: { id: true, publishedAt: true } });
    if (!issue) throw new NotFoundError('榜单不存在');
    if (issue.publishedAt) throw new ConflictError('已发布的榜单不能修改；如有错误请发布更正公告');
    return issue;
  }

  /** Adds accepted nominations to a draft issue as entries. */
  async addEntries(issueId: number, nominationIds: number[], user: Express.User, ip: string | null): Promise<number> {
    await this.draft(issueId);
    const noms = await this.db.listNomination.findMany({
      where: { id: { in: nominationIds }, status: 'accepted' },
      include: { department: { select: { name: true } } },
    });
    await this.db.$transaction([
      ...noms.map((n) =>
        this.db.listEntry.create({
          data: {
            issueId,
            nominationId: n.id,
            listType: n.listType,
            subjectCategory: n.subjectCategory,
            subjectName: n.subjectName,
            uscc: n.uscc,
            docNumber: n.docNumber,
            legalPersonId: n.legalPersonId,
            naturalPersonId: n.naturalPersonId,
            basisDocNo: n.basisDocNo,
            basisAuthority: n.basisAuthority,
            basisDate: n.basisDate,
            reason: n.reason,
            validUntil: n.validUntil,
            department: n.department.name,
          },
        }),
      ),
      this.db.listNomination.updateMany({ where: { id: { in: noms.map((n) => n.id) } }, data: { status: 'listed' } }),
    ]);
    await this.audit.record({
      action: 'list.issue.add',
      userId: user.id,
      username: user.username,
      ip,
      targetType: 'listIssue',
      targetId: issueId,
      detail: { nominations: noms.map((n) => n.id) },
    });
    return noms.length;
  }

  async removeEntry(issueId: number, entryId: number, user: Express.User, ip: string | null): Promise<void> {
    await this.draft(issueId);
    const entry = await this.db.listEntry.findFirst({ where: { id: entryId, issueId }, select: { nominationId: true } });
    if (!entry) throw new NotFoundError('条目不存在');
    await this.db.$transaction([
      this.db.listEntry.delete({ where: { id: entryId } }),
      this.db.listNomination.update({ where: { id: entry.nominationId }, data: { status: 'accepted' } }),
    ]);
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
    const count = await this.db.listEntry.count({ where: { issueId } });
    if (count === 0) throw new ConflictError('榜单中还没有条目，不能发布');
    await this.db.listIssue.update({ where: { id: issueId }, data: { publishedAt: new Date(), publishedById: user.id } });
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
    const [entries, measures] = await Promise.all([
      this.db.listEntry.findMany({ where: { issueId, exitedAt: null }, select: { id: true, listType: true } }),
      this.db.measure.findMany({ where: { active: true }, select: { id: true, listType: true, departmentId: true } }),
    ]);
    const data = entries.flatMap((e) =>
      measures.filter((m) => m.listType === e.listType).map((m) => ({ entryId: e.id, measureId: m.id, departmentId: m.departmentId })),
    );
    if (!data.length) return 0;
    return (await this.db.measureTask.createMany({ data, skipDuplicates: true })).count;
  }

  async correct(issueId: number, text: string, user: Express.User, ip: string | null): Promise<void> {
    const issue = await this.db.listIssue.findUnique({ where: { id: issueId }, select: { publishedAt: true } });
    if (!issue) throw new NotFoundError('榜单不存在');
    if (!issue.publishedAt) throw new ConflictError('草稿可直接修改，无需更正公告');
    await this.db.listNotice.create({ data: { kind: 'correction', issueId, text, publishedById: user.id } });
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
    const entry = await this.db.listEntry.findUnique({ where: { id: entryId }, include: { issue: { select: { publishedAt: true } } } });
    if (!entry) throw new NotFoundError('条目不存在');
    if (!entry.issue.publishedAt) throw new ConflictError('草稿中的条目请直接移除');
    if (entry.exitedAt) throw new ConflictError('该条目已退出');
    const listName = entry.listType === 'red' ? '红名单' : '黑名单';
    await this.db.$transaction([
      this.db.listEntry.update({ where: { id: entryId }, data: { exitedAt: new Date(), exitReason: reason } }),
      // The joint measures stop with the exit.
      this.db.measureTask.updateMany({ where: { entryId, status: 'pending' }, data: { status: 'stopped' } }),
      this.db.listNotice.create({
        data: { kind: 'exit', issueId: entry.issueId, entryId, text: `${entry.subjectName}退出${listName}。原因：${reason}`, publishedById: user.id },
      }),
    ]);
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
    const n = await this.db.listNomination.findUnique({
      where: { id },
      include: {
        department: { select: { name: true } },
        entry: { include: { issue: { select: { title: true, publishedAt: true } } } },
        attachments: { select: { id: true, fileName: true, bytes: true, mime: true } },
      },
    });
    if (!n) throw new NotFoundError('推荐不存在');
    if (!canSeeDepartment(user, n.departmentId)) throw new ForbiddenError('只能查看本部门的推荐');
    return n;
  }
}
