import type { AuditLog } from '../../platform/audit.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../platform/errors.js';
import { canSeeDepartment } from '../../platform/access.js';
import type { FormErrors } from '../../platform/forms.js';
import { storeFiles, type AcceptedFile } from '../../platform/attachments.js';
import type { WorkdayCalendar } from '../../domain/workdays.js';
import { beijingToday, dateColumn, isoDay } from '../../domain/dates.js';
import { deadline, newCaseNo, type Deadline } from './case.js';
import {
  todoSpecs,
  type CaseDetailRow,
  type CaseEffects,
  type CaseKind,
  type CaseRow,
  type CaseStep,
  type Filed,
  type FilingContext,
  type ViewContext,
} from './kind.js';
import type { CaseRepository, ObjectionTargetKind } from './repository.js';
import { OPEN_STATUSES } from './objection/definition.js';
import { forwardedDues, moveBy, officeDue, pausedWorkdays } from '../../domain/objection-deadlines.js';
import type { PauseReason } from '../../generated/prisma/enums.js';
import type { RepairRuleData } from './repair/rules.js';

/** Any definition, with its own type parameters kept (the service's methods are generic over them). */
type Kind<S extends string, D extends CaseDetailRow<S>, P extends CaseRow<S>, T, I, R> = CaseKind<S, D, P, T, I, R>;

export interface TodoItem {
  label: string;
  href: string;
  open: number;
  overdue: number;
  /** due today: the last working day to act */
  dueToday: number;
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
    /** the time now; tests pin it to run the statutory deadlines on dates of their choosing */
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Beijing today, by the service's clock. */
  private today(): string {
    return beijingToday(this.clock());
  }

  private filingContext(): FilingContext {
    const today = this.today();
    const calendar = this.calendar();
    return { repo: this.repo, now: this.clock(), today, calendar, dueIn: (n) => dateColumn(calendar.addWorkingDays(today, n)) };
  }

  viewContext(): ViewContext {
    const today = this.today();
    const calendar = this.calendar();
    return { repo: this.repo, today, deadline: (by, open = true) => deadline(isoDay(by), today, calendar, open) };
  }

  /** A deadline as the lists show it. */
  deadline(by: Date): Deadline {
    return this.viewContext().deadline(by);
  }

  /** The record a filing is about, as the public may see it (NotFoundError otherwise). */
  record<S extends string, D extends CaseDetailRow<S>, P extends CaseRow<S>, T, I, R>(kind: Kind<S, D, P, T, I, R>, target: T): Promise<R> {
    return kind.filing.record(this.repo, target, this.today());
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

  async byCaseNo<S extends string, D extends CaseDetailRow<S>, P extends CaseRow<S>, T, I, R>(kind: Kind<S, D, P, T, I, R>, caseNo: string): Promise<P | null> {
    await this.upgradeLegacyDeadlines();
    return kind.table(this.repo).byCaseNo(caseNo);
  }

  /** A department's clerk sees its own department's cases (of some statuses only, when the kind says so). */
  async list<S extends string, D extends CaseDetailRow<S>, P extends CaseRow<S>, T, I, R>(kind: Kind<S, D, P, T, I, R>, user: Express.User, status: S | '') {
    await this.upgradeLegacyDeadlines();
    const scope = user.role === 'clerk' ? { departmentId: user.departmentId ?? -1, ...(kind.departmentSees ? { statuses: kind.departmentSees } : {}) } : {};
    return kind.table(this.repo).list({ ...scope, ...(status ? { status } : {}) });
  }

  async forUser<S extends string, D extends CaseDetailRow<S>, P extends CaseRow<S>, T, I, R>(
    kind: Kind<S, D, P, T, I, R>,
    id: number,
    user: Express.User,
  ): Promise<D> {
    await this.upgradeLegacyDeadlines();
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
    const today = this.today();
    const calendar = this.calendar();
    const done = await parsed.run(
      { repo: this.repo, today, calendar, dueIn: (n) => dateColumn(calendar.addWorkingDays(today, n)), user, effects: this.effects },
      c,
    );
    await this.audit.record({ action: done.action, userId: user.id, username: user.username, ip, targetType: kind.key, targetId: id, detail: done.detail });
    return { done: done.done };
  }

  /**
   * What waits for the signed-in user's side of `kind`, the overdue and the due-today ones counted apart
   * (dashboard): a department sees the objections waiting for its answer, the office those it must settle.
   */
  async todo<S extends string, D extends CaseDetailRow<S>, P extends CaseRow<S>, T, I, R>(
    kind: Kind<S, D, P, T, I, R>,
    user: Express.User,
  ): Promise<TodoItem[]> {
    await this.upgradeLegacyDeadlines();
    const clerk = user.role === 'clerk';
    const table = kind.table(this.repo);
    const today = dateColumn(this.today());
    return Promise.all(
      todoSpecs(kind.todo[clerk ? 'department' : 'office']).map(async ({ status, label }) => {
        const where = { status, ...(clerk ? { departmentId: user.departmentId ?? -1 } : {}) };
        const [open, overdue, dueToday] = await Promise.all([
          table.count(where),
          table.count({ ...where, dueBefore: today }),
          table.count({ ...where, dueOn: today }),
        ]);
        return { label, href: `${kind.adminPath}?status=${status}`, open, overdue, dueToday };
      }),
    );
  }

  // ---- 条例 Art. 41: pauses and the deadlines of cases filed under the old rule ----

  /**
   * Pauses an objection's deadlines while a test, inspection, quarantine, appraisal or expert review runs. The
   * credit office may pause any open case; the department only one waiting for its answer. Audited.
   */
  async startPause(id: number, input: { reason: PauseReason; note: string }, user: Express.User, ip: string | null): Promise<void> {
    const c = await this.pauseable(id, user);
    if (c.pausedSince) throw new ConflictError('该异议已在暂停计时中');
    const today = this.today();
    if (!(await this.repo.startPause(id, OPEN_STATUSES, { ...input, startedOn: dateColumn(today), userId: user.id })))
      throw new ConflictError('该异议已办结或已在暂停计时中');
    await this.audit.record({
      action: 'objection.pause',
      userId: user.id,
      username: user.username,
      ip,
      targetType: 'objection',
      targetId: id,
      detail: { ...input, startedOn: today },
    });
  }

  /** Ends the running pause: the open step's due dates (and a forwarded case's 7 days) move by the paused working days. */
  async endPause(id: number, user: Express.User, ip: string | null): Promise<{ pausedWorkdays: number }> {
    const c = await this.pauseable(id, user);
    const pause = await this.repo.runningPause(id);
    if (!c.pausedSince || !pause) throw new ConflictError('该异议没有正在暂停的计时');
    const today = this.today();
    const calendar = this.calendar();
    const n = pausedWorkdays(pause.startedOn, today, calendar);
    const moved = (d: Date | null) => (d ? dateColumn(moveBy(d, n, calendar)) : undefined);
    // Only the dates still running move: a step already taken keeps the date it was measured against.
    const dues =
      c.status === 'submitted'
        ? { acceptBy: moved(c.acceptBy) }
        : c.status === 'accepted'
          ? { answerBy: moved(c.answerBy), settleBy: moved(c.settleBy) }
          : { settleBy: moved(c.settleBy) };
    if (!(await this.repo.endPause(id, pause.id, { endedOn: dateColumn(today), userId: user.id, pausedWorkdays: n, dues })))
      throw new ConflictError('该暂停已结束');
    await this.audit.record({
      action: 'objection.resume',
      userId: user.id,
      username: user.username,
      ip,
      targetType: 'objection',
      targetId: id,
      detail: { pauseId: pause.id, endedOn: today, pausedWorkdays: n, ...Object.fromEntries(Object.entries(dues).map(([k, v]) => [k, isoDay(v)])) },
    });
    return { pausedWorkdays: n };
  }

  private async pauseable(id: number, user: Express.User) {
    const c = await this.repo.objectionDetail(id);
    if (!c) throw new NotFoundError('异议不存在');
    if (!(OPEN_STATUSES as readonly string[]).includes(c.status)) throw new ConflictError('该异议已办结，不能暂停计时');
    if (!this.canPause(c, user)) throw new ForbiddenError('只有信用办或正在核查的数据来源单位可以暂停或恢复计时');
    return c;
  }

  /** The office on any open objection; the department while the objection waits for its answer. */
  canPause(c: { status: string; departmentId: number }, user: Express.User): boolean {
    if (!(OPEN_STATUSES as readonly string[]).includes(c.status)) return false;
    return user.role === 'reviewer' || (user.role === 'clerk' && user.departmentId === c.departmentId && c.status === 'accepted');
  }

  /**
   * Objections filed before Art. 41's deadlines came in carry the old 2 + 10 working-day dates. The first read of
   * cases after the upgrade recomputes the open ones from their receipt (the day filed) and forwarding days, and
   * marks every legacy row, so later calls find nothing (an indexed, empty query).
   */
  async upgradeLegacyDeadlines(): Promise<number> {
    // Only the migration makes legacy rows: once a process has upgraded them there is nothing more to find.
    if (this.legacyChecked) return 0;
    const rows = await this.repo.legacyOpenObjections(OPEN_STATUSES);
    const calendar = this.calendar();
    for (const o of rows) {
      const forwarded = o.status !== 'submitted' && o.officeDecidedAt ? forwardedDues(o.submittedAt, o.officeDecidedAt, calendar) : null;
      await this.repo.setArt41Dues(o.id, {
        acceptBy: dateColumn(officeDue(o.submittedAt, calendar)),
        answerBy: forwarded ? dateColumn(forwarded.answerBy) : null,
        settleBy: forwarded ? dateColumn(forwarded.settleBy) : null,
      });
    }
    await this.repo.closeLegacy(OPEN_STATUSES);
    this.legacyChecked = true;
    return rows.length;
  }
  private legacyChecked = false;

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
