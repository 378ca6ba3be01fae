import type pg from 'pg';
import type { Db } from '../platform/database/client.js';
import { addDays, addMonths, beijingToday } from '../domain/dates.js';
import { archiveScanBound } from '../domain/publicity/disclosure.js';
import { recordSchema } from '../domain/publicity/schemas.js';
import { DEPARTMENTS } from '../domain/xinxiang.js';
import { PublicityService } from '../features/publicity/service.js';
import { RecordRepository } from '../features/publicity/record-repository.js';
import { RecordWriter, writeRecords } from '../features/publicity/writer.js';
import { AuditLog } from '../platform/audit.js';
import { AuthorityRepository } from '../features/authorities/repository.js';
import { newCaseNo } from '../features/cases/case.js';
import { DEMO_SUBJECTS } from './demo-subjects.js';

/**
 * Demo data of 《河南省社会信用条例》 Art. 19/20/40/44 (docs/domain.md), after the demo records: a penalty archived after
 * its 5 years, one out of publicity with a pending 档案化申请, a penalty in each 失信 state (期限内 and 已生效 come from
 * the generated records by their dates; 已申请复议, 已提起诉讼, 已维持 and 已撤销或变更 from recorded challenges), and a
 * year of access counts for the first demo company's report. Dates are relative to today: it is demo data.
 */
export async function seedDemoDisclosure(db: Db, pool: pg.Pool, log: (s: string) => void = () => {}): Promise<void> {
  if ((await db.penaltyChallenge.count()) > 0) return;
  const today = beijingToday();
  const market = '新乡市市场监督管理局';
  const code = DEPARTMENTS.find((d) => d.name === market)?.uscc ?? '';
  const dept = await db.department.findUnique({ where: { name: market }, select: { id: true } });
  if (!dept) return;
  const service = new PublicityService(new RecordRepository(db), new RecordWriter(pool), new AuditLog(db), new AuthorityRepository(db));
  const [a, b] = [DEMO_SUBJECTS[3] ?? DEMO_SUBJECTS[0]!, DEMO_SUBJECTS[4] ?? DEMO_SUBJECTS[0]!];
  const raw = (subject: typeof a, decided: string, n: number, violation: string) => ({
    subjectName: subject.name,
    subjectCategory: subject.subjectType === 'soleTrader' ? '个体工商户' : '法人及非法人组织',
    uscc: subject.uscc ?? '00000000000000000X',
    legalRepresentative: subject.legalRepresentative ?? '',
    authority: market,
    authorityCode: code,
    sourceName: market,
    sourceCode: code,
    decisionDate: decided.replace(/-/g, '/'),
    documentNo: `新市监罚〔${decided.slice(0, 4)}〕档${n}号`,
    violationType: violation,
    facts: `经查，当事人存在${violation}的违法行为，事实清楚，证据确凿。`,
    basis: '《中华人民共和国食品安全法》第一百二十四条',
    penaltyCategories: '罚款',
    content: '罚款人民币 2 万元',
    fineAmount: '2',
    validUntil: addDays(decided, 30).replace(/-/g, '/'),
  });
  // Six years ago: archived by the nightly rule. Two years ago: out of publicity (一般, one year), not yet archived.
  const records = [raw(a, addMonths(today, -72), 1, '销售过期食品'), raw(b, addMonths(today, -24), 2, '未按规定建立进货查验记录')];
  const schema = recordSchema('penalty', { today });
  const ctx = await service.writeContext(dept.id, null, null);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const rows = records.map((r, i) => {
      const parsed = schema.safeParse(r);
      if (!parsed.success) throw new Error(`演示数据无效：${parsed.error.issues.map((x) => x.message).join('；')}`);
      return { rowNo: i + 1, input: parsed.data, reportedAt: new Date(Date.parse(`${r.decisionDate.replace(/\//g, '-')}T10:00:00+08:00`) + 3 * 86_400_000) };
    });
    const written = await writeRecords(client, 'penalty', rows, ctx, { auditAction: 'penalty.update', username: 'seed', ip: null });
    if (written.problems.length) throw new Error(`演示数据写入失败：${written.problems[0]!.message}`);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
  const archived = await new RecordWriter(pool).archiveExpired(today, archiveScanBound(today), 1000);

  // A pending 档案化申请 for the penalty out of publicity.
  const old = await db.penalty.findFirst({
    where: { documentNo: records[1]!.documentNo },
    select: { id: true, subjectName: true, uscc: true, departmentId: true },
  });
  if (old)
    await db.archiveRequest.create({
      data: {
        caseNo: newCaseNo('GD', today),
        penaltyId: old.id,
        departmentId: old.departmentId,
        subjectName: old.subjectName,
        subjectCode: old.uscc ?? '',
        applicantName: '赵敏',
        phone: '13937300000',
        reason: '该行政处罚信息的公示期已届满，请求归档，不再用于信用核查。',
        officeBy: new Date(`${addDays(today, 3)}T00:00:00Z`),
      },
    });

  // 失信 states by recorded challenges, on four public penalties of legal persons decided 2 to 5 months ago.
  const { rows: picks } = await pool.query<{ id: number; decided: string }>(
    `SELECT id, decision_date::text AS decided FROM penalty
      WHERE is_public AND legal_person_id IS NOT NULL AND decision_date BETWEEN $1::date AND $2::date
      ORDER BY decision_date, id LIMIT 4`,
    [addMonths(today, -5), addMonths(today, -2)],
  );
  const challenge = [
    { kind: 'review', outcome: null },
    { kind: 'litigation', outcome: null },
    { kind: 'review', outcome: 'upheld' },
    { kind: 'litigation', outcome: 'changed' },
  ] as const;
  for (const [i, p] of picks.entries()) {
    const c = challenge[i]!;
    await db.penaltyChallenge.create({
      data: {
        penaltyId: p.id,
        kind: c.kind,
        filedOn: new Date(`${addDays(p.decided, 20)}T00:00:00Z`),
        outcome: c.outcome,
        decidedOn: c.outcome ? new Date(`${addDays(p.decided, 50)}T00:00:00Z`) : null,
        note: '演示数据',
      },
    });
  }

  // A year of uses of the first demo company's information (条例 Art. 40), for its credit report.
  const first = await db.legalPerson.findUnique({ where: { uscc: DEMO_SUBJECTS[0]!.uscc ?? '' }, select: { id: true } });
  const departments = await db.department.findMany({
    where: { name: { in: ['新乡市住房和城乡建设局', '新乡市财政局', market] } },
    select: { id: true, name: true },
  });
  if (first) {
    const data = [];
    for (let m = 0; m < 12; m++) {
      const day = new Date(`${addDays(addMonths(today, -m), -3)}T00:00:00Z`);
      data.push({ legalPersonId: first.id, day, channel: 'portal' as const, actorKey: '', actorName: '社会公众', count: 5 + m });
      const d = departments[m % Math.max(departments.length, 1)];
      if (d && m % 3 === 0) data.push({ legalPersonId: first.id, day, channel: 'credit_check' as const, actorKey: `d${d.id}`, actorName: d.name, count: 1 });
    }
    await db.subjectAccessDay.createMany({ data, skipDuplicates: true });
  }
  log(`档案与失信认定演示数据：归档 ${archived} 条，复议诉讼 ${picks.length} 条`);
}
