/**
 * How long adverse information may be used at all, beyond its publicity period (docs/domain.md "Archiving" and
 * "失信 state"):
 * - 《河南省社会信用条例》 Art. 19: adverse information is disclosed for at most 5 years from the decision date, then
 *   archived (kept, never disclosed), except while the subject stays on a joint-punishment (black) list.
 *   Art. 44: once that period has ended the subject may demand archiving.
 * - Art. 20: a penalty becomes 失信信息 only once the time limits for 行政复议 (60 days) and 行政诉讼 (6 months) have
 *   passed without a challenge, or a challenge upheld it.
 */
import { addDays, addMonths } from '../dates.js';
import { DISCLOSURE_LIMIT_MONTHS } from './tiers.js';

/** The last day a penalty decided on `decisionDate` may be disclosed (the same cap as the publicity computation). */
export function disclosureLastDay(decisionDate: string): string {
  return addMonths(decisionDate, DISCLOSURE_LIMIT_MONTHS);
}

/**
 * Whether a penalty is due for archiving on `today`: its 5 years have passed and its subject is not on a black list
 * in force (the exception of Art. 19). The nightly job and the archive request apply this same rule.
 */
export function archiveDue(decisionDate: string, today: string, onBlackList: boolean): boolean {
  return !onBlackList && disclosureLastDay(decisionDate) < today;
}

/**
 * The last decision date due for archiving on `today`: a penalty is due exactly when it was decided on or before this
 * day (disclosureLastDay never decreases), so the nightly scan is one range of penalty_archive_due_idx. Found by
 * stepping from the month arithmetic, which is not invertible at month ends (29 February, the 31st).
 */
export function archiveScanBound(today: string): string {
  let d = addMonths(today, -DISCLOSURE_LIMIT_MONTHS);
  while (disclosureLastDay(d) >= today) d = addDays(d, -1);
  while (disclosureLastDay(addDays(d, 1)) < today) d = addDays(d, 1);
  return d;
}

/**
 * 条例 Art. 19 for a red/black-list entry: the last day it may be disclosed — 5 years from its 认定日期, or, when it
 * stayed listed longer (the exception "until it leaves the list"), the day it ended (exit, withdrawal, or its 有效期至).
 * A red-list entry is not adverse information, but the same rule keeps the issue pages uniform (docs/domain.md).
 */
export function listEntryDisclosureLastDay(basisDate: string, endedOn: string): string {
  const cap = disclosureLastDay(basisDate);
  return endedOn > cap ? endedOn : cap;
}

/** A broken commitment (部分履行 / 全部未履行) is public for 5 years from the day its breach was established. */
export function breachPublic(breachedOn: string, today: string): boolean {
  return disclosureLastDay(breachedOn) >= today;
}

export const ARCHIVE_REASON_LABELS: Record<string, string> = {
  five_years: '披露期限届满 5 年，自动归档（《河南省社会信用条例》第十九条）',
  requested: '信用主体申请归档，经信用办审核同意（《河南省社会信用条例》第四十四条）',
};

/** 行政复议法 Art. 20: 60 days from knowing of the decision. */
export const REVIEW_LIMIT_DAYS = 60;
/** 行政诉讼法 Art. 46: 6 months from knowing of the decision. */
export const LITIGATION_LIMIT_MONTHS = 6;

export type ChallengeKind = 'review' | 'litigation';
export type ChallengeOutcome = 'upheld' | 'changed';

export const CHALLENGE_KIND_LABELS: Record<ChallengeKind, string> = { review: '行政复议', litigation: '行政诉讼' };
export const CHALLENGE_OUTCOME_LABELS: Record<ChallengeOutcome, string> = { upheld: '维持', changed: '撤销或变更' };

export interface Challenge {
  kind: ChallengeKind;
  /** YYYY-MM-DD */
  filedOn: string;
  outcome: ChallengeOutcome | null;
}

export type DishonestyState = 'withinLimits' | 'underReview' | 'inLitigation' | 'upheld' | 'changed' | 'final';

export const DISHONESTY_STATE_LABELS: Record<DishonestyState, string> = {
  withinLimits: '期限内',
  underReview: '已申请复议',
  inLitigation: '已提起诉讼',
  upheld: '已维持',
  changed: '已撤销或变更',
  final: '已生效',
};

/**
 * The last day a challenge can still be brought. The day the subject knew of the decision is taken to be the decision
 * date (the platform stores no service date; a decision is normally served on the day); both limits run from it and the
 * later one, the 6 months of 行政诉讼, is the one that matters.
 */
export function challengeLimitEnds(decisionDate: string): string {
  const review = addDays(decisionDate, REVIEW_LIMIT_DAYS);
  const litigation = addMonths(decisionDate, LITIGATION_LIMIT_MONTHS);
  return review > litigation ? review : litigation;
}

/**
 * The 失信 state of a penalty on `today` from its decision date and the challenges the department recorded (in the
 * order they were filed): the latest challenge decides while there is one — open, upheld, or changed/annulled
 * (then it is no 失信信息 at all; the department withdraws or corrects the record, Art. 42).
 */
export function dishonestyState(decisionDate: string, challenges: readonly Challenge[], today: string): DishonestyState {
  const latest = [...challenges].sort((a, b) => (a.filedOn < b.filedOn ? -1 : a.filedOn > b.filedOn ? 1 : 0)).at(-1);
  if (latest) {
    if (latest.outcome === 'changed') return 'changed';
    if (latest.outcome === 'upheld') return 'upheld';
    return latest.kind === 'review' ? 'underReview' : 'inLitigation';
  }
  return today > challengeLimitEnds(decisionDate) ? 'final' : 'withinLimits';
}

/** Whether the state makes the penalty 失信信息: usable for black-list nominations and joint measures (Art. 20). */
export function countsAsDishonest(state: DishonestyState): boolean {
  return state === 'final' || state === 'upheld';
}
