import type { Db } from '../../platform/database/client.js';
import { dateColumn } from '../../domain/dates.js';
import { blackListOfWhere } from '../../platform/database/in-force.js';
import type { ChallengeKind, ChallengeOutcome } from '../../domain/publicity/disclosure.js';

/** A penalty as the 失信 state and the archive need it. */
export interface PenaltyFacts {
  id: number;
  departmentId: number;
  documentNo: string;
  decisionDate: Date;
  legalPersonId: number | null;
  naturalPersonId: number | null;
  withdrawnAt: Date | null;
  archivedAt: Date | null;
  archiveReason: string | null;
}

const FACTS = {
  id: true,
  departmentId: true,
  documentNo: true,
  decisionDate: true,
  legalPersonId: true,
  naturalPersonId: true,
  withdrawnAt: true,
  archivedAt: true,
  archiveReason: true,
} as const;

/** 条例 Art. 19/20: the challenges of penalties (复议/诉讼) and what the archive rule reads. */
export class DisclosureRepository {
  constructor(private readonly db: Db) {}

  penalty(id: number): Promise<PenaltyFacts | null> {
    return this.db.penalty.findUnique({ where: { id }, select: FACTS });
  }

  /** The penalty a black-list nomination names as its basis: same 文书号, same subject (USCC or document number), not withdrawn. */
  basisPenalty(basisDocNo: string, subject: { uscc: string | null; docNumber: string | null }): Promise<PenaltyFacts | null> {
    const who = [...(subject.uscc ? [{ uscc: subject.uscc }] : []), ...(subject.docNumber ? [{ docNumber: subject.docNumber }] : [])];
    if (!who.length) return Promise.resolve(null);
    return this.db.penalty.findFirst({ where: { documentNo: basisDocNo, withdrawnAt: null, OR: who }, select: FACTS, orderBy: { decisionDate: 'desc' } });
  }

  /** The black-list entries of an issue with what names their basis. */
  blackEntries(issueId: number) {
    return this.db.listEntry.findMany({
      where: { issueId, listType: 'black' },
      select: { id: true, subjectName: true, basisDocNo: true, uscc: true, docNumber: true },
    });
  }

  challenges(penaltyIds: readonly number[]) {
    return this.db.penaltyChallenge.findMany({ where: { penaltyId: { in: [...penaltyIds] } }, orderBy: [{ filedOn: 'asc' }, { id: 'asc' }] });
  }

  async addChallenge(data: { penaltyId: number; kind: ChallengeKind; filedOn: string; note: string | null; userId: number }): Promise<number> {
    const c = await this.db.penaltyChallenge.create({
      data: { penaltyId: data.penaltyId, kind: data.kind, filedOn: dateColumn(data.filedOn), note: data.note, createdById: data.userId },
      select: { id: true },
    });
    return c.id;
  }

  /** Records the outcome of a challenge still open; false when it is not this penalty's or already decided. */
  async decideChallenge(id: number, penaltyId: number, outcome: ChallengeOutcome, decidedOn: string, note: string | null): Promise<boolean> {
    const r = await this.db.penaltyChallenge.updateMany({
      where: { id, penaltyId, outcome: null },
      data: { outcome, decidedOn: dateColumn(decidedOn), ...(note ? { note } : {}) },
    });
    return r.count === 1;
  }

  /** Whether the subject is on a black list in force on `today` (the exception of Art. 19). */
  async onBlackList(subject: { legalPersonId: number | null; naturalPersonId: number | null }, today: string): Promise<boolean> {
    const where = blackListOfWhere(subject, today);
    return where !== null && (await this.db.listEntry.count({ where })) > 0;
  }

  /**
   * 条例 Art. 19: list entries whose disclosure has ended (listEntryDisclosureLastDay before `today`) are archived: the
   * entry has ended (exited or withdrawn before today, or its 有效期至 passed) and 5 years from its basis have passed
   * (`scanBound` = archiveScanBound(today), the last basis date that far back). Exits and withdrawals are compared as
   * Beijing days. Published issues only (a draft's entries were never disclosed). Idempotent; returns the ids.
   */
  async archiveListEntries(today: string, scanBound: string): Promise<number[]> {
    const rows = await this.db.$queryRaw<{ id: number }[]>`
      UPDATE list_entry e SET archived_at = now()
        FROM list_issue i
       WHERE i.id = e.issue_id AND i.published_at IS NOT NULL AND e.archived_at IS NULL
         AND e.basis_date <= ${scanBound}::date
         AND (e.valid_until < ${today}::date
              OR (e.exited_at AT TIME ZONE 'Asia/Shanghai')::date < ${today}::date
              OR (e.withdrawn_at AT TIME ZONE 'Asia/Shanghai')::date < ${today}::date)
      RETURNING e.id`;
    return rows.map((r) => r.id);
  }
}
