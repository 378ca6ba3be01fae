import type { Db } from '../../platform/database/client.js';
import { beijingToday, dateColumn } from '../../domain/dates.js';

export interface TodoItem {
  label: string;
  href: string;
  open: number;
  overdue: number;
}

/**
 * What waits for the signed-in user's step on objections and repair requests, with the overdue ones counted
 * apart, for the dashboard: the credit office decides first on objections and last on repairs; a department
 * answers objections passed to it and decides first on repairs of its penalties.
 */
export class CaseTodoRepository {
  constructor(private readonly db: Db) {}

  async forUser(user: Express.User): Promise<TodoItem[]> {
    const db = this.db;
    const today = dateColumn(beijingToday());
    const clerk = user.role === 'clerk';
    const dept = clerk ? { departmentId: user.departmentId ?? -1 } : {};
    const objection = clerk ? { status: 'accepted' as const, ...dept } : { status: 'submitted' as const };
    const objectionDue = clerk ? { answerBy: { lt: today } } : { acceptBy: { lt: today } };
    const repair = clerk ? { status: 'pendingDepartment' as const, ...dept } : { status: 'pendingOffice' as const };
    const repairDue = clerk ? { departmentBy: { lt: today } } : { officeBy: { lt: today } };
    const [o, oLate, r, rLate] = await Promise.all([
      db.objection.count({ where: objection }),
      db.objection.count({ where: { ...objection, ...objectionDue } }),
      db.repairRequest.count({ where: repair }),
      db.repairRequest.count({ where: { ...repair, ...repairDue } }),
    ]);
    return [
      { label: clerk ? '待核查答复的异议' : '待受理的异议', href: `/admin/objections?status=${objection.status}`, open: o, overdue: oLate },
      { label: clerk ? '待部门审核的信用修复' : '待信用办审核的信用修复', href: `/admin/repairs?status=${repair.status}`, open: r, overdue: rLate },
    ];
  }
}
