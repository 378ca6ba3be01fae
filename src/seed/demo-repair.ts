import type pg from 'pg';
import type { Db } from '../platform/database/client.js';
import { addDays, beijingToday, dateColumn } from '../domain/dates.js';
import { WorkdayCalendar } from '../domain/workdays.js';
import { CaseRepository } from '../features/cases/repository.js';
import { CommitmentRepository } from '../features/commitments/repository.js';
import { newCaseNo } from '../features/cases/case.js';
import { DEPARTMENT_WORKDAYS, EFFECT_WORKDAYS, OFFICE_WORKDAYS, REPAIR_COMMITMENT_TEXT, eligibilityOf } from '../features/cases/repair/definition.js';
import { refusalReasons } from '../features/cases/repair/rules.js';

/**
 * One approved credit repair for the demo (docs/domain.md "Credit repair"): a 一般 penalty of a market-supervision
 * subject, past its minimum, repaired through the same repository steps the back office takes — so the newcomer sees a
 * record that left publication as 信用修复, its 信用修复型 commitment in the 信用承诺 column, and the case at /repairs/…
 * (the demo has no uploaded proof: the seed keeps no files). Written once, after the demo records; skipped when no
 * record fits or the demo accounts are missing.
 */
export async function seedDemoRepair(db: Db, pool: pg.Pool, log: (s: string) => void = () => {}): Promise<string | null> {
  if ((await db.repairRequest.count()) > 0) return null;
  const today = beijingToday();
  const calendar = new WorkdayCalendar();
  const [clerk, reviewer] = await Promise.all([
    db.user.findUnique({ where: { username: 'clerk' }, select: { id: true, departmentId: true } }),
    db.user.findUnique({ where: { username: 'reviewer' }, select: { id: true } }),
  ]);
  if (!clerk?.departmentId || !reviewer) return null;
  const candidate = await db.penalty.findFirst({
    where: {
      departmentId: clerk.departmentId,
      tier: 'general',
      isPublic: true,
      publicUntil: { gte: dateColumn(today) },
      legalPersonId: { not: null },
      decisionDate: { gte: dateColumn(addDays(today, -300)), lte: dateColumn(addDays(today, -100)) },
      NOT: { penaltyCategories: { has: '吊销许可证件' } },
    },
    orderBy: [{ decisionDate: 'asc' }, { id: 'asc' }],
    select: { id: true },
  });
  if (!candidate) return null;
  const repo = new CaseRepository(db, pool);
  const p = await repo.publicPenalty(candidate.id, today);
  if (!p || !p.uscc) return null;
  const e = eligibilityOf(await repo.repairRules(), p, today);
  if (refusalReasons(e, today).length) return null;
  const { id, caseNo } = await repo.createRepair({
    caseNo: newCaseNo('XF', today),
    penaltyId: p.id,
    departmentId: p.departmentId,
    subjectName: p.subjectName,
    subjectCode: p.uscc,
    applicantName: '张经理',
    phone: '13837301234',
    email: null,
    rectification: '已于处罚决定书规定期限内缴清全部罚款；对照违法事实逐项整改，建立了进货查验和索证索票制度，并经执法人员复查合格。',
    commitmentContent: REPAIR_COMMITMENT_TEXT,
    tier: p.tier,
    minMonths: e.minMonths,
    rules: e.basisText,
    eligibleFrom: dateColumn(e.eligibleFrom),
    outcome: { departmentBy: dateColumn(calendar.addWorkingDays(today, DEPARTMENT_WORKDAYS)) },
    files: [],
  });
  await repo.departmentDecision(
    id,
    { approved: true, officeBy: dateColumn(calendar.addWorkingDays(today, OFFICE_WORKDAYS)) },
    '已核实缴款凭证和复查记录',
    clerk.id,
  );
  const region = (await new CommitmentRepository(db).departmentRegion(p.departmentId)) ?? '410700';
  await repo.officeDecision(
    id,
    'approve',
    '符合信用修复条件，予以修复',
    reviewer.id,
    today,
    dateColumn(calendar.addWorkingDays(today, EFFECT_WORKDAYS)),
    async (departmentId) => ({
      departmentId,
      region,
      today,
      userId: reviewer.id,
      importId: null,
    }),
  );
  log(`演示信用修复：${p.subjectName}（${p.documentNo}），案件编号 ${caseNo}`);
  return caseNo;
}
