import type { AuditLog } from '../../platform/audit.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../platform/errors.js';
import { canSeeDepartment } from '../../platform/access.js';
import type { FormErrors } from '../../platform/forms.js';
import { storeFiles, type AcceptedFile } from '../../platform/attachments.js';
import type { WorkdayCalendar } from '../../domain/workdays.js';
import { beijingToday, dateColumn, isoDay } from '../../domain/dates.js';
import { deadline, newCaseNo, type Deadline } from './case.js';
import type { CaseDetailRow, CaseEffects, CaseKind, CaseRow, CaseStep, Filed, FilingContext, ViewContext } from './kind.js';
import type { CaseRepository, ObjectionTargetKind } from './repository.js';
import { OPEN_STATUSES } from './objection/definition.js';
import type { RepairRuleData } from './repair/rules.js';

/** Any definition, with its own type parameters kept (the service's methods are generic over them). */
type Kind<S extends string, D extends CaseDetailRow<S>, P extends CaseRow<S>, T, I, R> = CaseKind<S, D, P, T, I, R>;

export interface TodoItem {
  label: string;
  href: string;
  open: number;
  overdue: number;
}

/**
 * The one case workflow: filing, listing, opening a case with the department check, the back-office steps
 * (actor and status checked here, the change itself the kind's), deadlines in working days, and the audit
 * entry of every change. It knows no kind: each call gets the kind's definition.
 */
export class CaseService {
  constructor(
    private readonly repo: CaseRepository,
    private readonly audit: AuditLog,
    /** read at each use: the credit office may add a year's holiday schedule while the server runs */
    private readonly calendar: () => WorkdayCalendar,
    private readonly effects: CaseEffects,
    private readonly uploadDir: string,
  ) {}

  private filingContext(): FilingContext {
    const today = beijingToday();
    const calendar = this.calendar();
    return { repo: this.repo, today, dueIn: (n) => dateColumn(calendar.addWorkingDays(today, n)) };
  }

  viewContext(): ViewContext {
    const today = beijingToday();
    const calendar = this.calendar();
    return { repo: this.repo, today, deadline: (by, open = true) => deadline(isoDay(by), today, calendar, open) };
  }

  /** A deadline as the lists show it. */
  deadline(by: Date): Deadline {
    return this.viewContext().deadline(by);
  }

  /** The record a filing is about, as the public may see it (NotFoundError otherwise). */
  record<S extends string, D extends CaseDetailRow<S>, P extends CaseRow<S>, T, I, R>(kind: Kind<S, D, P, T, I, R>, target: T): Promise<R> {
    return kind.filing.record(this.repo, target, beijingToday());
  }

  /** What the filing page shows of the record. */
  async filingPage<S extends string, D extends CaseDetailRow<S>, P extends CaseRow<S>, T, I, R>(kind: Kind<S, D, P, T, I, R>, target: T) {
    const ctx = this.filingContext();
    const record = await kind.filing.record(this.repo, target, ctx.today);
    return kind.filing.page(ctx, target, record);
  }

  async file<S extends string, D extends CaseDetailRow<S>, P extends CaseRow<S>, T, I, R>(
    kind: Kind<S, D, P, T, I, R>,
    target: T,
    input: I,
    files: AcceptedFile[],
    ip: string | null,
  ): Promise<Filed> {
    const ctx = this.filingContext();
    const record = await kind.filing.record(this.repo, target, ctx.today);
    const stored = files.length ? await storeFiles(this.uploadDir, files) : [];
    const filed = await kind.filing.file(ctx, target, record, input, stored, newCaseNo(kind.prefix, ctx.today));
    await this.audit.record({ action: kind.filing.auditAction, ip, targetType: kind.key, targetId: filed.id, detail: filed.audit });
    return filed;
  }

  byCaseNo<S extends string, D extends CaseDetailRow<S>, P extends CaseRow<S>, T, I, R>(kind: Kind<S, D, P, T, I, R>, caseNo: string): Promise<P | null> {
    return kind.table(this.repo).byCaseNo(caseNo);
  }

  /** A department's clerk sees its own department's cases (of some statuses only, when the kind says so). */
  list<S extends string, D extends CaseDetailRow<S>, P extends CaseRow<S>, T, I, R>(kind: Kind<S, D, P, T, I, R>, user: Express.User, status: S | '') {
    const scope = user.role === 'clerk' ? { departmentId: user.departmentId ?? -1, ...(kind.departmentSees ? { statuses: kind.departmentSees } : {}) } : {};
    return kind.table(this.repo).list({ ...scope, ...(status ? { status } : {}) });
  }

  async forUser<S extends string, D extends CaseDetailRow<S>, P extends CaseRow<S>, T, I, R>(
    kind: Kind<S, D, P, T, I, R>,
    id: number,
    user: Express.User,
  ): Promise<D> {
    const c = await kind.table(this.repo).detail(id);
    if (!c) throw new NotFoundError(kind.text.notFound);
    if (!canSeeDepartment(user, c.departmentId) || (user.role === 'clerk' && kind.departmentSees && !kind.departmentSees.includes(c.status)))
      throw new ForbiddenError(kind.text.foreign);
    return c;
  }

  /** Whether `user` is the one who takes `step` on `c` now (the case page shows its form). */
  canTake<S extends string, D extends CaseDetailRow<S>>(step: CaseStep<S, D>, c: D, user: Express.User): boolean {
    return c.status === step.from && isActor(step, c, user);
  }

  /** Takes a parsed step: 403 for anyone but its actor, 409 unless the case waits for it; audited. */
  async take<S extends string, D extends CaseDetailRow<S>, P extends CaseRow<S>, T, I, R>(
    kind: Kind<S, D, P, T, I, R>,
    step: CaseStep<S, D>,
    id: number,
    body: unknown,
    user: Express.User,
    ip: string | null,
  ): Promise<{ errors: FormErrors } | { done: string }> {
    const parsed = step.parse(body);
    if ('errors' in parsed) return { errors: parsed.errors };
    const c = await this.forUser(kind, id, user);
    if (!isActor(step, c, user)) throw new ForbiddenError(step.forbidden);
    if (c.status !== step.from) throw new ConflictError(step.conflict);
    const today = beijingToday();
    const calendar = this.calendar();
    const done = await parsed.run({ repo: this.repo, today, dueIn: (n) => dateColumn(calendar.addWorkingDays(today, n)), user, effects: this.effects }, c);
    await this.audit.record({ action: done.action, userId: user.id, username: user.username, ip, targetType: kind.key, targetId: id, detail: done.detail });
    return { done: done.done };
  }

  /** What waits for the signed-in user's side of `kind`, the overdue ones counted apart (dashboard). */
  async todo<S extends string, D extends CaseDetailRow<S>, P extends CaseRow<S>, T, I, R>(kind: Kind<S, D, P, T, I, R>, user: Express.User): Promise<TodoItem> {
    const clerk = user.role === 'clerk';
    const { status, label } = kind.todo[clerk ? 'department' : 'office'];
    const where = { status, ...(clerk ? { departmentId: user.departmentId ?? -1 } : {}) };
    const table = kind.table(this.repo);
    const [open, overdue] = await Promise.all([table.count(where), table.count({ ...where, dueBefore: dateColumn(beijingToday()) })]);
    return { label, href: `${kind.adminPath}?status=${status}`, open, overdue };
  }

  // ---- what other features ask of cases ----

  /** Ids among `ids` with an objection still being handled: those records show 异议处理中. */
  disputedAmong(kind: ObjectionTargetKind, ids: number[]): Promise<Set<number>> {
    return this.repo.disputedAmong(kind, ids, OPEN_STATUSES);
  }

  // ---- the repair rules (data of the repair kind, edited by the credit office) ----

  /** 档案化申请: the penalty with this 文书号 whose subject has this code, not yet archived (null when none). */
  findArchivable(documentNo: string, subjectCode: string): Promise<number | null> {
    return this.repo.findArchivable(documentNo, subjectCode);
  }

  repairRules(): Promise<RepairRuleData[]> {
    return this.repo.repairRules();
  }

  ruleExists(id: number): Promise<boolean> {
    return this.repo.ruleExists(id);
  }

  async saveRepairRule(id: number | null, data: Omit<RepairRuleData, 'id'>, user: Express.User, ip: string | null): Promise<void> {
    const savedId = await this.repo.saveRule(id, data);
    await this.audit.record({
      action: 'repair.rule',
      userId: user.id,
      username: user.username,
      ip,
      targetType: 'repair_rule',
      targetId: savedId,
      detail: { ...data },
    });
  }
}

function isActor(step: { actor: 'department' | 'office' }, c: { departmentId: number }, user: Express.User): boolean {
  return step.actor === 'office' ? user.role === 'reviewer' : user.role === 'clerk' && user.departmentId === c.departmentId;
}
