import type { AuditLog } from '../../platform/audit.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../platform/errors.js';
import { canSeeDepartment } from '../../platform/access.js';
import { beijingToday, isoDay } from '../../domain/dates.js';
import {
  ARCHIVE_REASON_LABELS,
  CHALLENGE_KIND_LABELS,
  CHALLENGE_OUTCOME_LABELS,
  DISHONESTY_STATE_LABELS,
  archiveDue,
  archiveScanBound,
  challengeLimitEnds,
  countsAsDishonest,
  disclosureLastDay,
  dishonestyState,
  type ChallengeKind,
  type ChallengeOutcome,
  type DishonestyState,
} from '../../domain/publicity/disclosure.js';
import type { DisclosureRepository, PenaltyFacts } from './repository.js';

/** What the back office shows of a penalty's 失信 state, challenges and archive. */
export interface DisclosureView {
  state: DishonestyState;
  stateLabel: string;
  dishonest: boolean;
  limitEnds: string;
  challenges: { id: number; kind: string; filedOn: string; outcome: string | null; decidedOn: string | null; note: string | null; open: boolean }[];
  archived: { at: Date; reason: string } | null;
  disclosureLastDay: string;
  /** past 5 years but kept because the subject is on a black list */
  heldByBlackList: boolean;
}

/**
 * 《河南省社会信用条例》 Art. 19 and 20 in the back office: a penalty's 失信 state from its decision date and the
 * challenges its department records (audited), the check that a black-list nomination rests on 失信信息, and the
 * archive state.
 */
export class DisclosureService {
  constructor(
    private readonly repo: DisclosureRepository,
    private readonly audit: AuditLog,
  ) {}

  /**
   * 条例 Art. 19 for list entries (job publicity-expiry, after the penalties): entries whose disclosure has ended leave
   * every public page (the issue page, its exit notices and counts) and stay in the back office. Audited as one line
   * per run. Returns how many were archived.
   */
  async archiveListEntries(today = beijingToday()): Promise<number> {
    const ids = await this.repo.archiveListEntries(today, archiveScanBound(today));
    if (ids.length) {
      await this.audit.record({
        action: 'list.entry.archive',
        userId: null,
        username: 'system',
        ip: null,
        targetType: 'listEntry',
        targetId: ids[0]!,
        detail: { entries: ids.length, ids: ids.slice(0, 100), today },
      });
    }
    return ids.length;
  }

  async view(penaltyId: number, today = beijingToday()): Promise<DisclosureView | null> {
    const p = await this.repo.penalty(penaltyId);
    if (!p) return null;
    const rows = await this.repo.challenges([p.id]);
    const decided = isoDay(p.decisionDate);
    const state = dishonestyState(decided, rows.map(asChallenge), today);
    const pastLimit = disclosureLastDay(decided) < today;
    return {
      state,
      stateLabel: DISHONESTY_STATE_LABELS[state],
      dishonest: countsAsDishonest(state),
      limitEnds: challengeLimitEnds(decided),
      challenges: rows.map((c) => ({
        id: c.id,
        kind: CHALLENGE_KIND_LABELS[c.kind],
        filedOn: isoDay(c.filedOn),
        outcome: c.outcome ? CHALLENGE_OUTCOME_LABELS[c.outcome] : null,
        decidedOn: c.decidedOn ? isoDay(c.decidedOn) : null,
        note: c.note,
        open: c.outcome === null,
      })),
      archived: p.archivedAt ? { at: p.archivedAt, reason: ARCHIVE_REASON_LABELS[p.archiveReason ?? ''] ?? (p.archiveReason || '') } : null,
      disclosureLastDay: disclosureLastDay(decided),
      heldByBlackList: !p.archivedAt && pastLimit && (await this.repo.onBlackList(p, today)),
    };
  }

  /** Whether a penalty is due for archiving today (Art. 19; the black-list exception included). */
  async archiveDue(p: PenaltyFacts, today: string): Promise<boolean> {
    return archiveDue(isoDay(p.decisionDate), today, await this.repo.onBlackList(p, today));
  }

  private async own(penaltyId: number, user: Express.User): Promise<PenaltyFacts> {
    const p = await this.repo.penalty(penaltyId);
    if (!p) throw new NotFoundError('记录不存在');
    if (user.role !== 'clerk' || !canSeeDepartment(user, p.departmentId)) throw new ForbiddenError('只有作出处罚的报送部门可以登记复议、诉讼');
    return p;
  }

  /** The department records a 复议 or 诉讼 against its penalty (audited). */
  async recordChallenge(
    penaltyId: number,
    input: { kind: ChallengeKind; filedOn: string; note: string },
    user: Express.User,
    ip: string | null,
  ): Promise<void> {
    const p = await this.own(penaltyId, user);
    if (input.filedOn < isoDay(p.decisionDate)) throw new ConflictError('申请（起诉）日期不能早于处罚决定日期');
    const open = (await this.repo.challenges([p.id])).some((c) => c.outcome === null);
    if (open) throw new ConflictError('该处罚已有尚未办结的复议或诉讼，请先登记其结果');
    const id = await this.repo.addChallenge({ penaltyId, kind: input.kind, filedOn: input.filedOn, note: input.note || null, userId: user.id });
    await this.audit.record({
      action: 'penalty.challenge',
      userId: user.id,
      username: user.username,
      ip,
      targetType: 'penalty',
      targetId: penaltyId,
      detail: { challengeId: id, documentNo: p.documentNo, kind: input.kind, filedOn: input.filedOn },
    });
  }

  /** The department records the outcome of an open challenge (audited). */
  async decideChallenge(
    penaltyId: number,
    challengeId: number,
    input: { outcome: ChallengeOutcome; decidedOn: string; note: string },
    user: Express.User,
    ip: string | null,
  ): Promise<void> {
    const p = await this.own(penaltyId, user);
    const c = (await this.repo.challenges([p.id])).find((x) => x.id === challengeId);
    if (!c) throw new NotFoundError('复议或诉讼记录不存在');
    if (input.decidedOn < isoDay(c.filedOn)) throw new ConflictError('结果日期不能早于申请（起诉）日期');
    if (!(await this.repo.decideChallenge(challengeId, penaltyId, input.outcome, input.decidedOn, input.note || null)))
      throw new ConflictError('该复议或诉讼已登记结果');
    await this.audit.record({
      action: 'penalty.challenge.outcome',
      userId: user.id,
      username: user.username,
      ip,
      targetType: 'penalty',
      targetId: penaltyId,
      detail: { challengeId, documentNo: p.documentNo, outcome: input.outcome, decidedOn: input.decidedOn },
    });
  }

  /**
   * Art. 20 at a black-list nomination: when its 认定文号 names a penalty of the subject on the platform, that penalty
   * must be 失信信息 (limits passed unchallenged, or upheld). Null when it may be nominated; otherwise why not. A basis
   * that is not a penalty here (a court judgment, another platform's decision) is not ours to check.
   */
  async basisProblem(n: { basisDocNo: string; uscc: string | null; docNumber: string | null }, today = beijingToday()): Promise<string | null> {
    const p = await this.repo.basisPenalty(n.basisDocNo, n);
    if (!p) return null;
    if (p.archivedAt) return `作为依据的行政处罚（${p.documentNo}）已归档，不得再作为失信惩戒依据（《河南省社会信用条例》第十九条）`;
    const decided = isoDay(p.decisionDate);
    const state = dishonestyState(decided, (await this.repo.challenges([p.id])).map(asChallenge), today);
    if (countsAsDishonest(state)) return null;
    const why =
      state === 'withinLimits' ? `复议、诉讼期限至 ${challengeLimitEnds(decided)} 届满` : state === 'changed' ? '该处罚已被撤销或变更' : '复议或诉讼尚未办结';
    return `作为依据的行政处罚（${p.documentNo}）目前状态为「${DISHONESTY_STATE_LABELS[state]}」，尚不是失信信息（${why}），不能据此列入黑名单或实施联合惩戒（《河南省社会信用条例》第二十条）`;
  }

  /** basisProblem for each black-list entry of an issue, before its publication creates the joint-measure tasks. */
  async issueProblems(issueId: number, today = beijingToday()): Promise<string[]> {
    const out: string[] = [];
    for (const e of await this.repo.blackEntries(issueId)) {
      const problem = await this.basisProblem(e, today);
      if (problem) out.push(`${e.subjectName}：${problem}`);
    }
    return out;
  }
}

const asChallenge = (c: { kind: ChallengeKind; filedOn: Date; outcome: ChallengeOutcome | null }) => ({
  kind: c.kind,
  filedOn: isoDay(c.filedOn),
  outcome: c.outcome,
});
