import type { Db } from '../../platform/database/client.js';
import { containing } from '../../platform/database/like.js';
import { departmentScope } from '../../platform/access.js';
import { inForceWhere } from '../../platform/database/in-force.js';
import type { StoredFile } from '../../platform/attachments.js';

export type NominationStatusFilter = '' | 'pending' | 'accepted' | 'rejected' | 'listed';

/** The reads (and the attachment write) the 红黑榜 pages make beside ListService's workflow. */
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
    return this.db.listIssue.findUnique({ where: { id }, include: { entries: { orderBy: { id: 'asc' } }, notices: { orderBy: { id: 'asc' } } } });
  }

  /** Accepted nominations waiting to be put in an issue, with their department's name. */
  acceptedNominations() {
    return this.db.listNomination.findMany({ where: { status: 'accepted' }, orderBy: { id: 'asc' }, include: { department: { select: { name: true } } } });
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
      include: { _count: { select: { entries: true, notices: true } } },
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

  /** Up to 500 entries of one list in force, newest basis first, optionally matching a name fragment or a USCC. */
  inForceEntries(listType: 'red' | 'black', q: string) {
    return this.db.listEntry.findMany({
      where: { listType, ...inForceWhere(), ...(q ? { OR: [{ subjectName: { contains: containing(q) } }, { uscc: q.toUpperCase() }] } : {}) },
      orderBy: [{ basisDate: 'desc' }, { id: 'desc' }],
      take: 500,
    });
  }

  /** One published issue with its entries and notices, or null. */
  publishedIssue(id: number) {
    return this.db.listIssue.findFirst({
      where: { id, publishedAt: { not: null } },
      include: { entries: { orderBy: { id: 'asc' } }, notices: { orderBy: { id: 'asc' } } },
    });
  }
}
