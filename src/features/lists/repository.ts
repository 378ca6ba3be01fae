import type { Db } from '../../platform/database/client.js';
import { containing } from '../../platform/database/like.js';
import { departmentScope } from '../../platform/access.js';
import { inForceWhere, inNoticeWhere } from '../../platform/database/in-force.js';
import { OPEN_OBJECTION_STATUSES } from '../../domain/objections.js';
import { dateColumn } from '../../domain/dates.js';
import type { StoredFile } from '../../platform/attachments.js';
import type { NominationInput } from './schemas.js';

/** What the public pages need of an entry's nomination: the responsible persons it names (names only). */
const PERSONS = { nomination: { select: { responsiblePersons: { select: { role: true, name: true }, orderBy: { id: 'asc' } } } } } as const;

export type NominationStatusFilter = '' | 'pending' | 'accepted' | 'rejected' | 'listed';

/** The 红黑榜 tables: the pages' reads, and the writes of ListService's workflow (nominate, review, issue, exit). */
export class ListRepository {
  constructor(private readonly db: Db) {}

  /** The latest 200 nominations the user may see, optionally of one status, with their department's name. */
  nominationsFor(user: Express.User, status: NominationStatusFilter) {
    return this.db.listNomination.findMany({
      where: { ...departmentScope(user), ...(status ? { status } : {}) },
      orderBy: { id: 'desc' },
      take: 200,
      include: { department: { select: { name: true } } },
    });
  }

  /** Records the stored files as the nomination's attachments. */
  async addAttachments(nominationId: number, stored: StoredFile[]): Promise<void> {
    await this.db.nominationAttachment.createMany({ data: stored.map((s) => ({ ...s, nominationId })) });
  }

  /** One attachment of one nomination, or null. */
  attachment(nominationId: number, attachmentId: number) {
    return this.db.nominationAttachment.findFirst({ where: { id: attachmentId, nominationId } });
  }

  /** Every issue, newest first, with its entry count. */
  issues() {
    return this.db.listIssue.findMany({ orderBy: { serialNo: 'desc' }, include: { _count: { select: { entries: true } } } });
  }

  /** One issue (published or draft) with its entries and notices, or null. */
  issue(id: number) {
    return this.db.listIssue.findUnique({
      where: { id },
      include: { entries: { orderBy: { id: 'asc' }, include: PERSONS }, notices: { orderBy: { id: 'asc' } } },
    });
  }

  /** Accepted nominations waiting to be put in an issue, with their department's name. */
  acceptedNominations() {
    return this.db.listNomination.findMany({ where: { status: 'accepted' }, orderBy: { id: 'asc' }, include: { department: { select: { name: true } } } });
  }

  /** The nominations among `ids` with what the black-list gate needs (prior notice and its objection window). */
  nominationsForListing(ids: number[]) {
    return this.db.listNomination.findMany({
      where: { id: { in: ids }, status: 'accepted' },
      select: { id: true, listType: true, subjectName: true, priorNoticeServedOn: true, objectionEndsOn: true },
    });
  }

  /** The issue an entry belongs to, or null when there is no such entry. */
  async entryIssueId(entryId: number): Promise<number | null> {
    const entry = await this.db.listEntry.findUnique({ where: { id: entryId }, select: { issueId: true } });
    return entry?.issueId ?? null;
  }

  /** Published issues, newest first, with their entry and notice counts. */
  publishedIssues() {
    return this.db.listIssue.findMany({
      where: { publishedAt: { not: null } },
      orderBy: { serialNo: 'desc' },
      // Archived entries (条例 Art. 19) are no longer disclosed, so not counted either.
      include: { _count: { select: { entries: { where: { archivedAt: null } }, notices: true } } },
    });
  }

  /** How many red and black entries are in force. */
  async inForceCounts(): Promise<{ red: number; black: number }> {
    const [red, black] = await Promise.all([
      this.db.listEntry.count({ where: { listType: 'red', ...inForceWhere() } }),
      this.db.listEntry.count({ where: { listType: 'black', ...inForceWhere() } }),
    ]);
    return { red, black };
  }

  /** Red-list entries in their 公示期 (条例 Art. 28) on `today`, the period's end first. */
  inNoticeEntries(today?: string) {
    return this.db.listEntry.findMany({
      where: { listType: 'red', ...inNoticeWhere(today) },
      orderBy: [{ noticeEndsOn: 'asc' }, { id: 'asc' }],
      include: { issue: { select: { id: true, title: true } } },
      take: 500,
    });
  }

  /** Up to 500 entries of one list in force, newest basis first, optionally matching a name fragment or a USCC. */
  inForceEntries(listType: 'red' | 'black', q: string) {
    return this.db.listEntry.findMany({
      // AND, not a spread: inForceWhere has an OR of its own (the notice period) that the search must not replace.
      where: { listType, AND: [inForceWhere(), ...(q ? [{ OR: [{ subjectName: { contains: containing(q) } }, { uscc: q.toUpperCase() }] }] : [])] },
      orderBy: [{ basisDate: 'desc' }, { id: 'desc' }],
      take: 500,
      include: PERSONS,
    });
  }

  /**
   * One published issue with its entries not archived (条例 Art. 19) and its notices, each saying whether the entry it
   * is about was archived (the page then keeps only a line without details), or null.
   */
  publishedIssue(id: number) {
    return this.db.listIssue.findFirst({
      where: { id, publishedAt: { not: null } },
      include: {
        entries: { where: { archivedAt: null }, orderBy: { id: 'asc' }, include: PERSONS },
        notices: { orderBy: { id: 'asc' }, include: { entry: { select: { archivedAt: true } } } },
      },
    });
  }

  // ListService's workflow.

  /**
   * Matches the nominated subject in the libraries (adding it when the department knows it and the library not yet)
   * and stores the nomination; returns its id.
   */
  async createNomination(input: NominationInput, departmentId: number, userId: number, basis: { basisDate: Date; validUntil: Date }): Promise<number> {
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
        basisDate: basis.basisDate,
        reason: input.reason,
        validUntil: basis.validUntil,
        departmentId,
        createdById: userId,
        responsiblePersons: { create: input.responsiblePersons ?? [] },
      },
      select: { id: true },
    });
    return n.id;
  }

  nominationStatus(id: number) {
    return this.db.listNomination.findUnique({ where: { id }, select: { status: true } });
  }

  async reviewNomination(id: number, status: 'accepted' | 'rejected', comment: string | null, userId: number): Promise<void> {
    await this.db.listNomination.update({ where: { id }, data: { status, reviewComment: comment, reviewedById: userId, reviewedAt: new Date() } });
  }

  async issueExists(year: number, quarter: number): Promise<boolean> {
    return (await this.db.listIssue.findUnique({ where: { year_quarter: { year, quarter } }, select: { id: true } })) !== null;
  }

  async lastSerialNo(): Promise<number> {
    return (await this.db.listIssue.aggregate({ _max: { serialNo: true } }))._max.serialNo ?? 0;
  }

  async createIssue(data: { year: number; quarter: number; serialNo: number; title: string; noticeDays: number }): Promise<number> {
    return (await this.db.listIssue.create({ data, select: { id: true } })).id;
  }

  issueState(id: number) {
    return this.db.listIssue.findUnique({ where: { id }, select: { id: true, publishedAt: true, noticeDays: true } });
  }

  /** Turns the accepted ones of these nominations into entries of the issue, in one transaction; returns their ids. */
  async listNominations(issueId: number, nominationIds: number[]): Promise<number[]> {
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
    return noms.map((n) => n.id);
  }

  draftEntry(issueId: number, entryId: number) {
    return this.db.listEntry.findFirst({ where: { id: entryId, issueId }, select: { nominationId: true } });
  }

  /** Takes an entry out of a draft issue; its nomination is accepted again. */
  async removeEntry(entryId: number, nominationId: number): Promise<void> {
    await this.db.$transaction([
      this.db.listEntry.delete({ where: { id: entryId } }),
      this.db.listNomination.update({ where: { id: nominationId }, data: { status: 'accepted' } }),
    ]);
  }

  entryCount(issueId: number): Promise<number> {
    return this.db.listEntry.count({ where: { issueId } });
  }

  /** Publishes the issue; its red-list entries enter their 公示期, which ends on `noticeEndsOn`. */
  async markPublished(issueId: number, userId: number, noticeEndsOn: string): Promise<void> {
    await this.db.$transaction([
      this.db.listIssue.update({ where: { id: issueId }, data: { publishedAt: new Date(), publishedById: userId } }),
      this.db.listEntry.updateMany({ where: { issueId, listType: 'red' }, data: { noticeEndsOn: dateColumn(noticeEndsOn) } }),
    ]);
  }

  /**
   * Confirms the red-list entries whose 公示期 ended before `today` with no objection open (条例 Art. 28); returns
   * them with their issue, so the joint measures of the issue can now be created for them.
   */
  async confirmDue(today: string): Promise<{ id: number; issueId: number }[]> {
    const due = await this.db.listEntry.findMany({
      where: {
        confirmedAt: null,
        withdrawnAt: null,
        exitedAt: null,
        noticeEndsOn: { lt: dateColumn(today) },
        issue: { publishedAt: { not: null } },
        objections: { none: { status: { in: [...OPEN_OBJECTION_STATUSES] } } },
      },
      select: { id: true, issueId: true },
    });
    if (due.length) {
      await this.db.listEntry.updateMany({ where: { id: { in: due.map((e) => e.id) }, confirmedAt: null }, data: { confirmedAt: new Date() } });
    }
    return due;
  }

  /** An entry with what withdrawing it, or recording a review request on it, needs to check. */
  entryState(entryId: number) {
    return this.db.listEntry.findUnique({
      where: { id: entryId },
      select: {
        id: true,
        issueId: true,
        listType: true,
        subjectName: true,
        noticeEndsOn: true,
        confirmedAt: true,
        withdrawnAt: true,
        exitedAt: true,
        nominationId: true,
        issue: { select: { publishedAt: true } },
      },
    });
  }

  /** 撤回: an objection in the notice period was upheld; the entry never comes into force, and a notice says so. */
  async withdrawEntry(entry: { id: number; issueId: number }, reason: string, notice: string, userId: number): Promise<void> {
    await this.db.$transaction([
      this.db.listEntry.update({ where: { id: entry.id }, data: { withdrawnAt: new Date(), withdrawReason: reason } }),
      this.db.listNotice.create({ data: { kind: 'correction', issueId: entry.issueId, entryId: entry.id, text: notice, publishedById: userId } }),
    ]);
  }

  async recordPriorNotice(
    nominationId: number,
    data: { noticeNo: string; measures: string; servedOn: string; objectionDays: number; objectionEndsOn: string },
    userId: number,
  ): Promise<void> {
    await this.db.listNomination.update({
      where: { id: nominationId },
      data: {
        priorNoticeNo: data.noticeNo,
        priorNoticeMeasures: data.measures,
        priorNoticeServedOn: dateColumn(data.servedOn),
        objectionDays: data.objectionDays,
        objectionEndsOn: dateColumn(data.objectionEndsOn),
        priorNoticeById: userId,
      },
    });
  }

  async recordReviewRequest(entryId: number, requestedOn: string, note: string): Promise<void> {
    await this.db.listEntry.update({ where: { id: entryId }, data: { reviewRequestedOn: dateColumn(requestedOn), reviewNote: note } });
  }

  /** The entries of an issue still in force and the active measures, from which the measure tasks are made. */
  taskSources(issueId: number, entryIds?: number[]) {
    return Promise.all([
      // Entries in their 公示期 get no measures yet: they are not in force until confirmed.
      this.db.listEntry.findMany({
        where: { issueId, ...(entryIds ? { id: { in: entryIds } } : {}), ...inForceWhere() },
        select: { id: true, listType: true },
      }),
      this.db.measure.findMany({ where: { active: true }, select: { id: true, listType: true, departmentId: true } }),
    ]);
  }

  /** Creates the tasks not yet there; returns how many were created. */
  async createTasks(data: { entryId: number; measureId: number; departmentId: number }[]): Promise<number> {
    return (await this.db.measureTask.createMany({ data, skipDuplicates: true })).count;
  }

  issuePublishedAt(id: number) {
    return this.db.listIssue.findUnique({ where: { id }, select: { publishedAt: true } });
  }

  async addCorrection(issueId: number, text: string, userId: number): Promise<void> {
    await this.db.listNotice.create({ data: { kind: 'correction', issueId, text, publishedById: userId } });
  }

  entryWithIssue(entryId: number) {
    return this.db.listEntry.findUnique({ where: { id: entryId }, include: { issue: { select: { publishedAt: true } } } });
  }

  /** 退出 in one transaction: the entry leaves, its pending joint measures stop, the exit notice is published. */
  async exitEntry(entry: { id: number; issueId: number }, reason: string, notice: string, userId: number): Promise<void> {
    await this.db.$transaction([
      this.db.listEntry.update({ where: { id: entry.id }, data: { exitedAt: new Date(), exitReason: reason } }),
      this.db.measureTask.updateMany({ where: { entryId: entry.id, status: 'pending' }, data: { status: 'stopped' } }),
      this.db.listNotice.create({ data: { kind: 'exit', issueId: entry.issueId, entryId: entry.id, text: notice, publishedById: userId } }),
    ]);
  }

  nominationDetail(id: number) {
    return this.db.listNomination.findUnique({
      where: { id },
      include: {
        department: { select: { name: true } },
        entry: { include: { issue: { select: { title: true, publishedAt: true } } } },
        attachments: { select: { id: true, fileName: true, bytes: true, mime: true } },
        responsiblePersons: { select: { role: true, name: true }, orderBy: { id: 'asc' } },
      },
    });
  }
}
