import type { CalendarDate, WorkdayCalendar } from './workdays.js';

/**
 * The statutory deadlines of 《河南省社会信用条例》, in working days on the official calendar (workdays.ts):
 *
 * - Art. 41, objections: the platform settles an objection it can settle itself within 3 working days of
 *   receipt; where the providing department must verify, the whole case is settled within 7 working days of
 *   receipt and the department answers within 3 working days of being notified. Time spent on tests,
 *   inspections, quarantine, appraisal or expert review does not count.
 * - Art. 42, revocation: when the deciding act is revoked, the platform removes the record within 1 working
 *   day of the update reaching it.
 *
 * "Within n working days of day D" is the day n working days after D (calendar.addWorkingDays): a case
 * received on a Friday before the Spring Festival is due on the third working day after it, counting the
 * 调休 Saturday. Every function here is pure; the dates come in and go out as 'YYYY-MM-DD'.
 */

/** Art. 41: the credit office settles what it can settle itself within this many working days of receipt. */
export const OFFICE_SETTLE_WORKDAYS = 3;
/** Art. 41: a case the providing department must verify is settled within this many working days of receipt. */
export const VERIFIED_CASE_WORKDAYS = 7;
/** Art. 41: the department answers within this many working days of being notified. */
export const DEPARTMENT_ANSWER_WORKDAYS = 3;
/** Art. 42: a revoked decision leaves publication within this many working days of the update. */
export const REVOCATION_WORKDAYS = 1;

/** The office's due date on receipt. */
export function officeDue(receivedOn: CalendarDate, calendar: WorkdayCalendar): string {
  return calendar.addWorkingDays(receivedOn, OFFICE_SETTLE_WORKDAYS);
}

/**
 * The due dates once the office forwards the case to the department on `notifiedOn`. Pauses before the
 * forwarding count too: `pausedWorkdays` already moved the office's date and moves the whole case's as well.
 */
export function forwardedDues(
  receivedOn: CalendarDate,
  notifiedOn: CalendarDate,
  calendar: WorkdayCalendar,
  pausedWorkdays = 0,
): { answerBy: string; settleBy: string } {
  return {
    answerBy: calendar.addWorkingDays(notifiedOn, DEPARTMENT_ANSWER_WORKDAYS),
    settleBy: calendar.addWorkingDays(receivedOn, VERIFIED_CASE_WORKDAYS + pausedWorkdays),
  };
}

/**
 * The working days a pause took out of the count: those after the day it started, up to and including the day
 * it ended. The start day was already spent on the case (the pause is recorded during it); results that arrive
 * on the end day leave no time to act on them that day. A pause started and ended on one day takes none.
 */
export function pausedWorkdays(startedOn: CalendarDate, endedOn: CalendarDate, calendar: WorkdayCalendar): number {
  return Math.max(0, calendar.workingDaysBetween(startedOn, endedOn));
}

/** A due date moved by a pause's working days (an open step's date only; a met step keeps its date). */
export function moveBy(due: CalendarDate, workdays: number, calendar: WorkdayCalendar): string {
  return calendar.addWorkingDays(due, workdays);
}

/** Art. 42: the day a revocation made known to the platform on `knownOn` must have left publication. */
export function revocationDue(knownOn: CalendarDate, calendar: WorkdayCalendar): string {
  return calendar.addWorkingDays(knownOn, REVOCATION_WORKDAYS);
}

/** Where a deadline stands on `today`, for the dashboards: overdue and due-today stand out. */
export type DueState = 'overdue' | 'today' | 'open';

export function dueState(by: string, today: string): DueState {
  return today > by ? 'overdue' : today === by ? 'today' : 'open';
}
