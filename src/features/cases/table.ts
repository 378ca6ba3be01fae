/** The shapes every case table shares, and what the workflow reads from a kind's table (repository.ts). */

/** What every case row has, whatever its table. */
export interface CaseRow<S extends string = string> {
  id: number;
  caseNo: string;
  status: S;
  departmentId: number;
  subjectName: string;
  applicantName: string;
  submittedAt: Date;
  department: { name: string };
}

export interface CaseFile {
  id: number;
  fileName: string;
  mime: string;
  storedAs: string;
  bytes: number;
}

/** A case as the back office opens it: the row and its uploaded evidence. */
export interface CaseDetailRow<S extends string = string> extends CaseRow<S> {
  attachments: CaseFile[];
}

/** The typed reads a kind's table offers the shared workflow. */
export interface CaseTable<S extends string, D extends CaseDetailRow<S>, P extends CaseRow<S>> {
  /** newest first, at most 200; `dueBy` is the deadline of the step the case waits for, if any */
  list(where: { departmentId?: number; statuses?: readonly S[]; status?: S }): Promise<(CaseRow<S> & { dueBy: Date | null })[]>;
  detail(id: number): Promise<D | null>;
  byCaseNo(caseNo: string): Promise<P | null>;
  /** `dueBefore`: due before that day (overdue); `dueOn`: due that very day. Paused cases are never due. */
  count(where: { departmentId?: number; status: S; dueBefore?: Date; dueOn?: Date }): Promise<number>;
}
