import type pg from 'pg';
import type { Db } from '../../platform/database/client.js';
import type { AuditLog } from '../../platform/audit.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../platform/errors.js';
import { canSeeDepartment } from '../../platform/access.js';
import type { WorkdayCalendar } from '../../domain/workdays.js';
import { beijingToday, dateColumn, isoDay } from '../../domain/dates.js';
import type { RepairStatus } from '../../generated/prisma/enums.js';
import { storeFiles, type AcceptedFile } from '../../platform/attachments.js';
import type { PublicityRepository } from '../publicity/repository.js';
import { newCaseNo } from '../cases/case.js';
import type { CommitmentService } from '../commitments/service.js';
import type { CommitmentInput } from '../commitments/schemas.js';
import { writeCommitments } from '../commitments/writer.js';
import { eligibility, refusalReasons, type Eligibility, type RepairRuleData } from './rules.js';

export const REPAIR_STATUS_LABELS: Record<RepairStatus, string> = {
  pendingDepartment: '待数据来源单位审核',
  pendingOffice: '待信用办审核',
  approved: '已修复，停止公示',
  refused: '不予修复',
};
/** Working days for each of the two approvals. */
export const DEPARTMENT_WORKDAYS = 5;
export const OFFICE_WORKDAYS = 5;

/** The 信用修复型 commitment the applicant signs; it is recorded as a commitment on approval. */
export const REPAIR_COMMITMENT_TEXT =
  '本单位（本人）承诺：已按行政处罚决定履行全部义务并完成整改，所提交的材料真实、准确、完整；今后严格遵守法律法规，诚信守法经营，不再发生同类违法行为。如有违反，自愿接受相关部门依法依规实施的失信惩戒，并承担相应法律责任。';

export interface RepairInput {
  subjectCode: string;
  applicantName: string;
  phone: string;
  email: string | null;
  rectification: string;
}

/** 信用修复: a subject asks to end a penalty's publicity early; the source department, then the credit office, approve. */
export class RepairService {
  constructor(
    private readonly db: Db,
    private readonly pool: pg.Pool,
    private readonly audit: AuditLog,
    /** read at each use: the credit office may add a year's holiday schedule while the server runs */
    private readonly calendar: () => WorkdayCalendar,
    private readonly publicityRepo: PublicityRepository,
    private readonly commitments: CommitmentService,
    private readonly uploadDir: string,
  ) {}

  rules(): Promise<RepairRuleData[]> {
    return this.db.repairRule.findMany({ orderBy: { id: 'asc' } });
  }

  async penalty(id: number) {
    const rec = await this.publicityRepo.publicDetail('penalty', id, beijingToday());
    if (!rec) throw new NotFoundError('该行政处罚不存在、已撤回、已修复或已过公示期');
    return rec as Record<string, unknown> & {
      id: number;
      subjectName: string;
      subjectCategory: string;
      uscc: string | null;
      docNumber: string | null;
      documentNo: string;
      departmentId: number;
      legalPersonId: number | null;
      department: { name: string } | null;
    };
  }

  /** Which rules apply to a penalty and from when it may be repaired. */
  async eligibilityOf(p: Record<string, unknown> & { department: { name: string } | null }): Promise<Eligibility> {
    return eligibility(await this.rules(), {
      penaltyCategories: (p.penaltyCategories as string[]) ?? [],
      violationType: String(p.violationType ?? ''),
      basis: String(p.basis ?? ''),
      content: String(p.content ?? ''),
      authority: String(p.authority ?? ''),
      departmentName: p.department?.name ?? '',
      decisionDate: isoDay(p.decisionDate as Date),
    });
  }

  /**
   * Registers the request. One the rules already rule out (before the minimum period, or a penalty that may
   * not be repaired) is recorded and refused at once with the reasons, so the applicant has an answer on record.
   */
  async apply(penaltyId: number, input: RepairInput, files: AcceptedFile[], ip: string | null): Promise<{ caseNo: string; refused: boolean }> {
    const p = await this.penalty(penaltyId);
    const open = await this.db.repairRequest.count({ where: { penaltyId, status: { in: ['pendingDepartment', 'pendingOffice'] } } });
    if (open) throw new ConflictError('该行政处罚已有信用修复申请正在办理，请等待审核结果');
    const today = beijingToday();
    const e = await this.eligibilityOf(p);
    const reasons = refusalReasons(e, today);
    const refused = reasons.length > 0;
    const stored = files.length ? await storeFiles(this.uploadDir, files) : [];
    const created = await this.db.repairRequest.create({
      data: {
        caseNo: newCaseNo('XF', today),
        penaltyId,
        departmentId: p.departmentId,
        subjectName: p.subjectName,
        subjectCode: input.subjectCode.toUpperCase(),
        applicantName: input.applicantName,
        phone: input.phone,
        email: input.email,
        rectification: input.rectification,
        commitmentContent: REPAIR_COMMITMENT_TEXT,
        minMonths: e.minMonths,
        rules: e.matched.map((r) => r.name).join('、') || '（无匹配规则，按最短三个月）',
        eligibleFrom: dateColumn(e.eligibleFrom),
        ...(refused
          ? { status: 'refused' as const, refusalReason: `系统核验：${reasons.join('；')}`, decidedAt: new Date() }
          : { status: 'pendingDepartment' as const, departmentBy: dateColumn(this.calendar().addWorkingDays(today, DEPARTMENT_WORKDAYS)) }),
        attachments: { create: stored },
      },
      select: { id: true, caseNo: true },
    });
    await this.audit.record({
      action: 'repair.submit',
      ip,
      targetType: 'repair',
      targetId: created.id,
      detail: { caseNo: created.caseNo, penaltyId, documentNo: p.documentNo, refused, reasons },
    });
    return { caseNo: created.caseNo, refused };
  }

  byCaseNo(caseNo: string) {
    return this.db.repairRequest.findUnique({
      where: { caseNo },
      include: { department: { select: { name: true } }, penalty: { select: { id: true, documentNo: true, decisionDate: true, subjectCategory: true } } },
    });
  }

  listFor(user: Express.User, status: RepairStatus | '') {
    return this.db.repairRequest.findMany({
      where: { ...(user.role === 'clerk' ? { departmentId: user.departmentId ?? -1 } : {}), ...(status ? { status } : {}) },
      orderBy: [{ submittedAt: 'desc' }],
      take: 200,
      include: { department: { select: { name: true } } },
    });
  }

  async forUser(id: number, user: Express.User) {
    const r = await this.db.repairRequest.findUnique({
      where: { id },
      include: {
        department: { select: { name: true } },
        attachments: { orderBy: { id: 'asc' } },
        penalty: {
          select: {
            id: true,
            documentNo: true,
            decisionDate: true,
            violationType: true,
            penaltyCategories: true,
            publicUntil: true,
            repairedAt: true,
            subjectCategory: true,
          },
        },
      },
    });
    if (!r) throw new NotFoundError('信用修复申请不存在');
    if (!canSeeDepartment(user, r.departmentId)) throw new ForbiddenError('该申请不属于您的部门');
    return r;
  }

  /** The source department checks the rectification: approve (to the credit office) or refuse with reasons. */
  async departmentDecision(id: number, decision: 'approve' | 'refuse', note: string, user: Express.User, ip: string | null): Promise<void> {
    const r = await this.forUser(id, user);
    if (user.role !== 'clerk' || user.departmentId !== r.departmentId) throw new ForbiddenError('只有数据来源单位可以审核');
    const today = beijingToday();
    const updated = await this.db.repairRequest.updateMany({
      where: { id, status: 'pendingDepartment' },
      data:
        decision === 'approve'
          ? {
              status: 'pendingOffice',
              departmentAt: new Date(),
              departmentUserId: user.id,
              departmentNote: note || null,
              officeBy: dateColumn(this.calendar().addWorkingDays(today, OFFICE_WORKDAYS)),
            }
          : {
              status: 'refused',
              departmentAt: new Date(),
              departmentUserId: user.id,
              departmentNote: note,
              refusalReason: `数据来源单位审核不通过：${note}`,
              decidedAt: new Date(),
            },
    });
    if (updated.count === 0) throw new ConflictError('该申请不在待部门审核状态');
    await this.audit.record({
      action: 'repair.department',
      userId: user.id,
      username: user.username,
      ip,
      targetType: 'repair',
      targetId: id,
      detail: { decision, note },
    });
  }

  /**
   * The credit office's final decision. Approval ends the penalty's publicity at once (public_until becomes
   * yesterday, repaired_at is set so a later correction cannot bring it back) and records the applicant's
   * 信用修复型 commitment, all in one transaction.
   */
  async officeDecision(id: number, decision: 'approve' | 'refuse', note: string, user: Express.User, ip: string | null): Promise<void> {
    const today = beijingToday();
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{
        status: string;
        eligible_from: string;
        department_id: number;
        penalty_id: number;
        case_no: string;
        subject_name: string;
        subject_code: string;
        commitment_content: string;
        submitted: string;
        category: 'legal' | 'natural' | 'soleTrader';
      }>(
        `SELECT r.status, to_char(r.eligible_from, 'YYYY-MM-DD') AS eligible_from, r.department_id, r.penalty_id, r.case_no, r.subject_name, r.subject_code, r.commitment_content,
                to_char(r.submitted_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS submitted, p.subject_category::text AS category
           FROM repair_request r JOIN penalty p ON p.id = r.penalty_id WHERE r.id = $1 FOR UPDATE OF r`,
        [id],
      );
      const r = rows[0];
      if (!r) throw new NotFoundError('信用修复申请不存在');
      if (r.status !== 'pendingOffice') throw new ConflictError('该申请不在待信用办审核状态');
      if (decision === 'refuse') {
        await client.query(
          `UPDATE repair_request SET status = 'refused', office_at = now(), office_user_id = $2, office_note = $3, refusal_reason = $4, decided_at = now() WHERE id = $1`,
          [id, user.id, note, `信用办审核不通过：${note}`],
        );
      } else {
        if (today < r.eligible_from) throw new ConflictError(`最短公示期未满，${r.eligible_from} 起方可批准`);
        // The applicant's 信用修复型 commitment, through the one writer that hands out 承诺编码.
        const ctx = await this.commitments.writeContext(r.department_id, user.id, null);
        const input: CommitmentInput = {
          promisorName: r.subject_name,
          promisorCategory: r.category,
          promisorCode: r.subject_code,
          commitmentType: '信用修复型',
          matter: `申请信用修复（案件编号 ${r.case_no}）`,
          content: r.commitment_content,
          liability: '自愿接受相关部门依法依规实施的失信惩戒，并承担相应法律责任',
          madeOn: r.submitted,
          validUntil: null,
          disclosure: '可向社会公开',
          remark: null,
          fulfilment: null,
          unfulfilledContent: null,
          liabilityPursued: null,
        };
        const { created } = await writeCommitments(client, [{ rowNo: 1, input }], ctx);
        // Out of public view from today on; repaired_at keeps a later correction from bringing it back.
        await client.query(`UPDATE penalty SET repaired_at = now(), public_until = $2::date - 1, updated_at = now() WHERE id = $1`, [r.penalty_id, today]);
        await client.query(
          `UPDATE repair_request SET status = 'approved', office_at = now(), office_user_id = $2, office_note = $3, decided_at = now(), commitment_id = $4 WHERE id = $1`,
          [id, user.id, note || null, created[0]!.id],
        );
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
    this.publicityRepo.forgetCounts();
    await this.audit.record({
      action: 'repair.office',
      userId: user.id,
      username: user.username,
      ip,
      targetType: 'repair',
      targetId: id,
      detail: { decision, note },
    });
  }

  async updateRule(id: number | null, data: Omit<RepairRuleData, 'id'>, user: Express.User, ip: string | null): Promise<void> {
    const saved =
      id === null
        ? await this.db.repairRule.create({ data, select: { id: true } })
        : await this.db.repairRule.update({ where: { id }, data, select: { id: true } });
    await this.audit.record({
      action: 'repair.rule',
      userId: user.id,
      username: user.username,
      ip,
      targetType: 'repair_rule',
      targetId: saved.id,
      detail: { ...data },
    });
  }
}
