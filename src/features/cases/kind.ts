import type { Request } from 'express';
import type { z } from 'zod';
import { parseForm, type FormErrors } from '../../platform/forms.js';
import type { StoredFile } from '../../platform/attachments.js';
import type { CasePrefix, Deadline } from './case.js';
import type { WorkdayCalendar } from '../../domain/workdays.js';
import type { CaseRepository } from './repository.js';
import type { CaseDetailRow, CaseRow, CaseTable } from './table.js';
import type { CommitmentContext } from '../commitments/writer.js';

export type { CaseDetailRow, CaseFile, CaseRow, CaseTable } from './table.js';

/**
 * One kind of case (异议, 信用修复, and next 档案化申请): everything that differs between kinds, as data and a few
 * functions. The workflow itself — filing, listing, the back-office steps with their status guards, deadlines
 * and audit, the routes and the page shells — is shared (service.ts, routes.ts, views/cases/), so a new kind is
 * a new definition plus the effect of its decision, not a new feature folder.
 *
 * Adding a kind (e.g. 档案化申请, 河南省社会信用条例 Art. 44: once a record's disclosure period has ended, its
 * subject may ask that it be archived):
 * 1. its table (prisma/schema.prisma + a migration): the CaseRow columns (case_no, status, department_id,
 *    subject_name, applicant_name, submitted_at), its own fields, one deadline column per waiting status, and a
 *    foreign key from case_attachment;
 * 2. in repository.ts, its CaseTable (list / detail / byCaseNo / count, typed Prisma) and the guarded writes its
 *    steps make; the effect of its decision (for the archive request: mark the record archived, out of every
 *    public view) there too, with anything outside the case tables through CaseEffects;
 * 3. `<kind>/definition.ts`: a CaseKind — labels, its own case-number prefix (case.ts), statuses and which are
 *    open, the filing path(s) and zod schema, the record it is about and the subject check, the steps (actor,
 *    from-status, form, working days to the next deadline), what the public and the back office see;
 * 4. its partials in views/cases/<key>/ (record summary, own fields, detail rows, public rows and progress);
 * 5. mount it in routes.ts (mountKind, CASE_FILING_PATHS, the lookup's prefixes), add its line to todo.ts and
 *    its back-office routes to ACCESS (src/platform/access.ts). kinds.test.ts then checks the definition.
 */

/** What a step's or a filing's code gets to work with: the one repository, today and the working-day rule. */
export interface CaseContext {
  repo: CaseRepository;
  /** Beijing today, YYYY-MM-DD */
  today: string;
  /** the day `workdays` working days after today, as a DATE column value */
  dueIn(workdays: number): Date;
  /** the official working-day calendar, for deadlines not counted from today (条例 Art. 41 counts from receipt) */
  calendar: WorkdayCalendar;
  user: Express.User;
  effects: CaseEffects;
}

/**
 * What a decision may do outside the case tables, provided by the app (deps.ts). A repair's approval writes a
 * commitment and takes a penalty out of public view; the archive request of Art. 44 will add its own here.
 */
export interface CaseEffects {
  /** the context the commitment writer needs to hand out a 承诺编码 in the department's region */
  commitmentContext(departmentId: number, userId: number): Promise<CommitmentContext>;
  /** public records changed: forget cached public counts */
  publicityChanged(): void;
}

/** What filing gets: no signed-in user (the public files), and the time of receipt (条例 Art. 41 counts from it). */
export type FilingContext = Omit<CaseContext, 'user' | 'effects'> & { now: Date };

/** A clerk of the case's own department, or the credit office (reviewer). */
export type CaseActor = 'department' | 'office';

/** What a step did: the message for the user, and the audit entry. */
export interface StepDone {
  done: string;
  action: string;
  detail: Record<string, unknown>;
}

/**
 * One back-office step: POST <adminPath>/:id/<name>, by `actor`, only while the case is in `from`. The form is
 * parsed first (400 with the field errors); then the shared service checks the actor and the status (403 / 409),
 * runs the step's guarded change (which throws ConflictError when the case moved on meanwhile) and audits it.
 */
export interface CaseStep<S extends string, D extends CaseDetailRow<S>> {
  name: string;
  actor: CaseActor;
  from: S;
  /** the 409 message when the case is no longer in `from` */
  conflict: string;
  /** the 403 message when the signed-in user is not the actor */
  forbidden: string;
  form: StepForm;
  parse(body: unknown): { errors: FormErrors } | { run(ctx: CaseContext, c: D): Promise<StepDone> };
}

/** The form of a step on the case page: one choice and one text, in the shared detail view. */
export interface StepForm {
  heading: string;
  qa: string;
  /** a partial with the step's explanation, rendered above the form, or none */
  intro?: string;
  legend: string;
  choice: string;
  options: { value: string; label: string }[];
  text: { name: string; label: string; rows: number };
  button: string;
}

/** A step as a definition writes it: its form's zod schema, and `run` with the typed data. */
export interface StepSpec<S extends string, D extends CaseDetailRow<S>, In extends object> {
  name: string;
  actor: CaseActor;
  from: S;
  schema: z.ZodType<In, unknown>;
  audit: (data: In) => string;
  auditDetail: (data: In) => Record<string, unknown>;
  conflict: string;
  forbidden: string;
  run(ctx: CaseContext, c: D, data: In): Promise<void>;
  done(data: In): string;
  form: StepForm;
}

/** The step builder of a kind: `const step = stepsOf<Status, Detail>()`, then `step({ … })` per step. */
export function stepsOf<S extends string, D extends CaseDetailRow<S>>() {
  return <In extends object>(s: StepSpec<S, D, In>): CaseStep<S, D> => defineStep(s);
}

function defineStep<S extends string, D extends CaseDetailRow<S>, In extends object>(s: StepSpec<S, D, In>): CaseStep<S, D> {
  return {
    name: s.name,
    actor: s.actor,
    from: s.from,
    conflict: s.conflict,
    forbidden: s.forbidden,
    form: s.form,
    parse(body) {
      const parsed = parseForm(s.schema, body);
      if (!parsed.ok) return { errors: parsed.errors };
      const data = parsed.data;
      return {
        async run(ctx, c) {
          await s.run(ctx, c, data);
          return { done: s.done(data), action: s.audit(data), detail: s.auditDetail(data) };
        },
      };
    },
  };
}

/** Where a filing form lives and which record it is about. */
export interface FilingPath<T> {
  path: string;
  /** the record, from the path's other parameters and the parsed `:id` */
  target(req: Request, id: number): T;
}

/** A registered case as the filing returns it. */
export interface Filed {
  id: number;
  caseNo: string;
  /** flash after the redirect to the status page */
  flash: { kind: 'success' | 'error'; text: string };
  audit: Record<string, unknown>;
}

/**
 * The definition of a kind. `S` its statuses, `D` its back-office row, `P` what its public status page loads,
 * `T` what a filing is about (a record), `I` the parsed filing form, `R` what the filing page shows of the record.
 */
export interface CaseKind<S extends string, D extends CaseDetailRow<S>, P extends CaseRow<S>, T, I, R> {
  key: string;
  /** 异议 / 信用修复: in page titles and messages */
  noun: string;
  prefix: CasePrefix;
  /** public status page: <statusPath>/:no */
  statusPath: string;
  /** back office: <adminPath>, <adminPath>/:id, <adminPath>/:id/<step> */
  adminPath: string;
  adminNav: string;
  statuses: Record<S, string>;
  /** statuses of a case still being handled */
  open: readonly S[];
  /** the deadline rule: working days a case may wait in each open status (from the day it entered it) */
  deadlines: Partial<Record<S, number>>;
  /** what a department's clerk sees of its own cases; all of them when absent */
  departmentSees?: readonly S[];
  /** the dashboard's count of what waits for each side: cases in `status`, overdue and due-today ones apart */
  todo: Record<CaseActor, TodoSpec<S> | readonly TodoSpec<S>[]>;
  steps: readonly CaseStep<S, D>[];
  /** table access of the kind (the one repository holds every kind's table) */
  table(repo: CaseRepository): CaseTable<S, D, P>;
  text: {
    notFound: string;
    noSuchCase: (no: string) => string;
    foreign: string;
    listTitle: string;
    /** the list's explanation; trusted HTML from this definition, never user input */
    listIntro: string;
    listLabel: string;
    listQa: string;
    empty: string;
    statusTitle: string;
  };
  filing: {
    paths: readonly FilingPath<T>[];
    schema: z.ZodType<I, unknown>;
    /** the form's field names, to put typed values back into a refused form */
    fields: readonly string[];
    /** the error when no attachment came (a repair must prove every duty fulfilled); absent: attachments optional */
    requiredFiles?: string;
    title: string;
    /** the filing form's own fields and record summary (views/cases/<key>/…) */
    view: { record: string; fields: string; after?: string; subjectHint: string; attachmentsLabel: string; button: string; qa: string };
    action(target: T): string;
    /** the record the filing is about, as the public may see it (NotFoundError otherwise) */
    record(repo: CaseRepository, target: T, today: string): Promise<R>;
    /** what the filing page shows of the record (and whether it can be filed now) */
    page(ctx: FilingContext, target: T, record: R): Promise<Record<string, unknown>>;
    /** the applicant must be the record's subject: the error when not */
    sameSubject(input: I, record: R): string | null;
    /** registers the case; the effect of filing (e.g. an immediate refusal by the rules) is the kind's */
    file(ctx: FilingContext, target: T, record: R, input: I, files: StoredFile[], caseNo: string): Promise<Filed>;
    auditAction: string;
  };
  /** the kind's parts of the shared pages (views/cases/<key>/…): back-office rows, public rows, public progress */
  views: { detail: string; status: string; progress: string };
  /** what the public status page shows besides the row (names masked, codes masked) */
  publicView(row: P, ctx: ViewContext): Promise<Record<string, unknown>>;
  /** what the back-office case page shows besides the row itself */
  adminView(row: D, ctx: ViewContext): Promise<Record<string, unknown>>;
}

/** One line of a side's dashboard: the cases waiting in `status`. */
export interface TodoSpec<S extends string> {
  status: S;
  label: string;
}

/** A side's dashboard lines, one or several (the credit office acts twice on a forwarded objection). */
export function todoSpecs<S extends string>(spec: TodoSpec<S> | readonly TodoSpec<S>[]): readonly TodoSpec<S>[] {
  return 'status' in spec ? [spec] : spec;
}

export interface ViewContext {
  repo: CaseRepository;
  today: string;
  /** a deadline as the back office shows it; `open` false once the step is done */
  deadline(by: Date, open?: boolean): Deadline;
}
