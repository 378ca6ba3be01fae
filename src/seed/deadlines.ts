import type { Db } from '../platform/database/client.js';
import { WorkdayCalendar } from '../domain/workdays.js';
import { beijingToday, dateColumn } from '../domain/dates.js';
import { forwardedDues, officeDue, revocationDue } from '../domain/objection-deadlines.js';

/**
 * Demo cases for the statutory deadlines (条例 Art. 41 and 42), dated from today on the working-day calendar so
 * that a newcomer signing in sees every state the dashboards single out: an objection due today and one overdue
 * for the credit office, one due today and one overdue for the department (市场监管局, the demo clerk's), one
 * paused for an expert review, one answered and waiting to be settled; and two revocations, one withdrawn on
 * time and one late, in the revocation report. Written only when there are no objections and no revocations
 * yet, so a second start changes nothing.
 */
export async function seedDemoDeadlines(db: Db, opts: { log?: (s: string) => void; calendar?: WorkdayCalendar } = {}): Promise<number> {
  const log = opts.log ?? (() => {});
  const cal = opts.calendar ?? new WorkdayCalendar();
  if ((await db.objection.count()) > 0 || (await db.penalty.count({ where: { revocationKnownOn: { not: null } } })) > 0) return 0;
  const clerk = await db.user.findUnique({ where: { username: 'clerk' }, select: { id: true, departmentId: true } });
  const reviewer = await db.user.findUnique({ where: { username: 'reviewer' }, select: { id: true } });
  if (!clerk?.departmentId || !reviewer) return 0;
  const penalties = await db.penalty.findMany({
    where: { departmentId: clerk.departmentId, isPublic: true, uscc: { not: null } },
    select: { id: true, subjectName: true, uscc: true, documentNo: true },
    // The oldest ones: the browser journeys open the newest records, which must stay free of demo cases.
    orderBy: [{ decisionDate: 'asc' }, { id: 'asc' }],
    take: 8,
  });
  if (penalties.length < 8) return 0;

  const today = beijingToday();
  // The working day `n` working days before today (n ≥ 1): receipt and forwarding dates of the demo cases.
  const before = (n: number): string => {
    let d = today;
    for (let k = 0; k < n;) {
      d = new Date(Date.parse(`${d}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
      if (cal.isWorkday(d)) k++;
    }
    return d;
  };
  const at = (day: string) => new Date(`${day}T10:00:00+08:00`);

  const cases: {
    status: 'submitted' | 'accepted' | 'answered';
    received: string;
    forwarded?: string;
    reason: string;
    pause?: boolean;
  }[] = [
    { status: 'submitted', received: before(3), reason: '处罚决定书记载的罚款金额为 5000 元，平台公示为 50000 元，请予更正' },
    { status: 'submitted', received: before(5), reason: '当事人名称登记错误，本公司已于去年更名，请核实' },
    { status: 'accepted', received: before(4), forwarded: before(3), reason: '违法事实与处罚决定书不一致，请数据来源单位核查' },
    { status: 'accepted', received: before(6), forwarded: before(5), reason: '处罚依据条款引用错误，请数据来源单位核查' },
    { status: 'accepted', received: before(2), forwarded: before(1), reason: '涉案产品检验结论有误，已申请复检，请核查', pause: true },
    { status: 'answered', received: before(5), forwarded: before(4), reason: '处罚已履行完毕，公示内容未注明履行情况' },
  ];
  let n = 0;
  for (const [i, c] of cases.entries()) {
    const p = penalties[i]!;
    const dues = c.forwarded ? forwardedDues(c.received, c.forwarded, cal) : null;
    const created = await db.objection.create({
      data: {
        caseNo: `YY${c.received.replaceAll('-', '')}DEM${'ABCDEFGH'[i]}${'23456789'[i]}${'KMNPQRST'[i]}`,
        penaltyId: p.id,
        departmentId: clerk.departmentId,
        subjectName: p.subjectName,
        documentNo: p.documentNo,
        subjectCode: p.uscc!,
        applicantName: ['李华', '王芳', '张伟', '刘洋', '陈静', '杨帆'][i]!,
        phone: `1383730000${i}`,
        reason: c.reason,
        status: c.status,
        submittedAt: at(c.received),
        acceptBy: dateColumn(officeDue(c.received, cal)),
        ...(c.forwarded && dues
          ? {
              officeDecidedAt: at(c.forwarded),
              officeUserId: reviewer.id,
              answerBy: dateColumn(dues.answerBy),
              settleBy: dateColumn(dues.settleBy),
            }
          : {}),
        ...(c.status === 'answered'
          ? { answeredAt: at(before(1)), answerUserId: clerk.id, departmentOutcome: 'upheld' as const, answer: '经核查，处罚决定已履行，原记录内容无误，维持' }
          : {}),
        ...(c.pause ? { pausedSince: dateColumn(before(1)) } : {}),
      },
    });
    if (c.pause)
      await db.objectionPause.create({
        data: {
          objectionId: created.id,
          reason: 'inspection',
          note: '委托省产品质量检验机构复检，结果出具前暂停计时',
          startedOn: dateColumn(before(1)),
          startedById: clerk.id,
        },
      });
    n++;
  }

  // Two revocations (Art. 42): one taken down the day the update arrived, one recorded three working days late.
  const revoked = [
    { p: penalties[6]!, known: before(1), withdrawn: before(1), docNo: '新政复决〔2026〕12号' },
    { p: penalties[7]!, known: before(5), withdrawn: before(2), docNo: '新行初〔2026〕8号' },
  ];
  for (const r of revoked) {
    await db.penalty.update({
      where: { id: r.p.id },
      data: {
        isPublic: false,
        withdrawnAt: at(r.withdrawn),
        withdrawReason: `决定已撤销（${r.docNo}）：行政复议决定撤销原处罚决定`,
        revokedOn: dateColumn(r.known),
        revocationDocNo: r.docNo,
        revocationKnownOn: dateColumn(r.known),
        revocationDueBy: dateColumn(revocationDue(r.known, cal)),
      },
    });
  }
  log(`演示异议 ${n} 件（含今日到期、已超期、暂停计时），撤销登记 ${revoked.length} 件`);
  return n;
}
