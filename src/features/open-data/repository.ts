import type { Db } from '../../platform/database/client.js';
import { inForceWhere } from '../../platform/database/in-force.js';
import { publicCommitmentWhere } from '../../platform/database/commitment-disclosure.js';
import { dateColumn } from '../../domain/dates.js';
import type { RecordKind } from '../../domain/publicity/fields.js';
import type { ResponsiblePerson } from '../lists/schemas.js';
import { OPEN_OBJECTION_STATUSES } from '../../domain/objections.js';

/** Rows per keyset page: memory stays flat whatever the table's size (docs/performance.md#open-data). */
const BATCH = 2000;

/** Whether an objection to the row is being handled (异议处理中, 条例 Art. 41), as the pages mark it: one id at most. */
const OPEN_OBJECTION = { objections: { where: { status: { in: [...OPEN_OBJECTION_STATUSES] } }, select: { id: true }, take: 1 } };

export interface ListEntryRead {
  id: number;
  listType: 'red' | 'black';
  issueTitle: string;
  subjectName: string;
  subjectCategory: string;
  uscc: string | null;
  docNumber: string | null;
  basisDocNo: string;
  basisAuthority: string;
  basisDate: Date;
  reason: string;
  validUntil: Date;
  department: string;
  persons: ResponsiblePerson[];
  exitedAt: Date | null;
  exitReason: string | null;
  disputed: boolean;
}

export interface CommitmentRead {
  id: number;
  code: string;
  promisorName: string;
  promisorCategory: string;
  promisorCode: string;
  commitmentType: string;
  matter: string;
  content: string;
  madeOn: Date;
  fulfilment: string | null;
  department: string;
  disputed: boolean;
}

/** Walks a query in id order, BATCH rows at a time (keyset, not OFFSET: every page costs the same). */
async function* keyset<T extends { id: number }>(page: (afterId: number, take: number) => Promise<T[]>): AsyncGenerator<T> {
  let after = 0;
  for (;;) {
    const rows = await page(after, BATCH);
    for (const r of rows) yield r;
    const last = rows[rows.length - 1];
    if (rows.length < BATCH || !last) return;
    after = last.id;
  }
}

/**
 * What the open-data files hold, read exactly as the public pages read it (the same public rules: publicWhere of the
 * 双公示 lists, inForceWhere of the lists, publicCommitmentWhere). Built on the pool without a statement timeout: the
 * daily job reads every public record.
 */
export class OpenDataRepository {
  constructor(private readonly db: Db) {}

  /** Public permits, or penalties still within their publicity period on `today` (PublicityRepository's rule). */
  records(kind: RecordKind, today: string): AsyncGenerator<Record<string, unknown>> {
    if (kind === 'permit') {
      return keyset((after, take) =>
        this.db.permit.findMany({ where: { isPublic: true, id: { gt: after } }, orderBy: { id: 'asc' }, take, include: OPEN_OBJECTION }),
      );
    }
    return keyset((after, take) =>
      this.db.penalty.findMany({
        where: { isPublic: true, publicUntil: { gte: dateColumn(today) }, id: { gt: after } },
        orderBy: { id: 'asc' },
        take,
        include: OPEN_OBJECTION,
      }),
    );
  }

  /** Red/black-list entries in force on `today` (what /lists/red and /lists/black show), of the given list types. */
  listEntries(types: ('red' | 'black')[], today: string): AsyncGenerator<ListEntryRead> {
    return this.entries({ AND: [inForceWhere(today), { listType: { in: types }, archivedAt: null }] });
  }

  /** Exits from a published list (条例 Art. 37: announced where the entry was), unless archived (条例 Art. 19). */
  listExits(types: ('red' | 'black')[]): AsyncGenerator<ListEntryRead> {
    return this.entries({ listType: { in: types }, exitedAt: { not: null }, withdrawnAt: null, archivedAt: null, issue: { publishedAt: { not: null } } });
  }

  private entries(where: object): AsyncGenerator<ListEntryRead> {
    return keyset(async (after, take) => {
      const rows = await this.db.listEntry.findMany({
        where: { AND: [where, { id: { gt: after } }] },
        orderBy: { id: 'asc' },
        take,
        include: {
          issue: { select: { title: true } },
          nomination: { select: { responsiblePersons: { select: { role: true, name: true }, orderBy: { id: 'asc' } } } },
          ...OPEN_OBJECTION,
        },
      });
      return rows.map((e) => ({
        id: e.id,
        listType: e.listType,
        issueTitle: e.issue.title,
        subjectName: e.subjectName,
        subjectCategory: e.subjectCategory,
        uscc: e.uscc,
        docNumber: e.docNumber,
        basisDocNo: e.basisDocNo,
        basisAuthority: e.basisAuthority,
        basisDate: e.basisDate,
        reason: e.reason,
        validUntil: e.validUntil,
        department: e.department,
        persons: e.nomination.responsiblePersons as ResponsiblePerson[],
        exitedAt: e.exitedAt,
        exitReason: e.exitReason,
        disputed: e.objections.length > 0,
      }));
    });
  }

  /** Commitments the public may see on `today`. */
  commitments(today: string): AsyncGenerator<CommitmentRead> {
    return keyset(async (after, take) => {
      const rows = await this.db.commitment.findMany({
        where: { AND: [publicCommitmentWhere(today), { id: { gt: after } }] },
        orderBy: { id: 'asc' },
        take,
        include: { department: { select: { name: true } }, ...OPEN_OBJECTION },
      });
      return rows.map((c) => ({
        id: c.id,
        code: c.code,
        promisorName: c.promisorName,
        promisorCategory: c.promisorCategory,
        promisorCode: c.promisorCode,
        commitmentType: c.commitmentType,
        matter: c.matter,
        content: c.content,
        madeOn: c.madeOn,
        fulfilment: c.fulfilment,
        department: c.department.name,
        disputed: c.objections.length > 0,
      }));
    });
  }
}
