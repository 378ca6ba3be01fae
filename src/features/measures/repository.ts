import type { Db } from '../../platform/database/client.js';
import type { ListType, TaskStatus } from '../../generated/prisma/enums.js';

export interface MeasureFields {
  listType: ListType;
  departmentId: number;
  legalBasis: string;
  text: string;
}

export interface TaskFeedback {
  status: 'implemented' | 'notImplemented';
  feedbackDate: Date;
  reason: string | null;
  detail: string | null;
  feedbackById: number;
}

/** One department's feedback figures: tasks still running or answered, how many answered, how many implemented. */
export interface FeedbackRow {
  department: string;
  total: number;
  answered: number;
  implemented: number;
}

/** 联合奖惩: the measure catalogue and the implementing departments' tasks. */
export class MeasureRepository {
  constructor(private readonly db: Db) {}

  /** Every measure, red before black, with its department and how many tasks it made. */
  catalogue() {
    return this.db.measure.findMany({
      orderBy: [{ listType: 'asc' }, { id: 'asc' }],
      include: { department: { select: { name: true } }, _count: { select: { tasks: true } } },
    });
  }

  /** The active departments, in id order, for the implementing-department choice. */
  departmentOptions() {
    return this.db.department.findMany({ where: { active: true }, orderBy: { id: 'asc' }, select: { id: true, name: true } });
  }

  /** The active measures for these list types (what a subject on them faces). */
  activeFor(listTypes: ListType[]) {
    return this.db.measure.findMany({
      where: { active: true, listType: { in: listTypes } },
      include: { department: { select: { name: true } } },
      orderBy: { id: 'asc' },
    });
  }

  create(data: MeasureFields): Promise<number> {
    return this.db.measure.create({ data, select: { id: true } }).then((m) => m.id);
  }

  /** Returns false when no such measure exists, so the caller can answer 404. */
  async deactivate(id: number): Promise<boolean> {
    const found = await this.db.measure.findUnique({ where: { id }, select: { id: true } });
    if (!found) return false;
    await this.db.measure.update({ where: { id }, data: { active: false } });
    return true;
  }

  /** The latest 300 tasks in a status, within the departments the caller may see (a Prisma where on departmentId). */
  tasks(scope: { departmentId?: number }, status: TaskStatus) {
    return this.db.measureTask.findMany({
      where: { ...scope, status },
      orderBy: { id: 'desc' },
      take: 300,
      include: {
        measure: true,
        entry: { select: { subjectName: true, uscc: true, docNumber: true, listType: true, validUntil: true, basisDocNo: true } },
        department: { select: { name: true } },
      },
    });
  }

  task(id: number) {
    return this.db.measureTask.findUnique({ where: { id }, select: { departmentId: true, status: true } });
  }

  async recordFeedback(id: number, feedback: TaskFeedback): Promise<void> {
    await this.db.measureTask.update({ where: { id }, data: { ...feedback, feedbackAt: new Date() } });
  }

  /** Feedback figures per department (unsorted). */
  async feedbackByDepartment(): Promise<FeedbackRow[]> {
    const rows = await this.db.$queryRaw<{ department: string; total: bigint; answered: bigint; implemented: bigint }[]>`
      SELECT d.name AS department, count(*) FILTER (WHERE t.status <> 'stopped') AS total,
             count(*) FILTER (WHERE t.status IN ('implemented', 'notImplemented')) AS answered,
             count(*) FILTER (WHERE t.status = 'implemented') AS implemented
        FROM measure_task t JOIN department d ON d.id = t.department_id
       GROUP BY d.name`;
    return rows.map((r) => ({ department: r.department, total: Number(r.total), answered: Number(r.answered), implemented: Number(r.implemented) }));
  }
}
