import type pg from 'pg';
import type { Db } from '../platform/database/client.js';
import { AuditLog } from '../platform/audit.js';
import { DEMO_NATURAL_PERSONS, DEMO_SEED, DEMO_SUBJECTS, generateLegalPersons, generateNaturalPersons } from './demo-subjects.js';
import { generateDemoRecords, tierShowcase, type DemoRecord } from './demo-records.js';
import { seedDemoRepair } from './demo-repair.js';
import { recordSchema } from '../domain/publicity/schemas.js';
import { beijingToday, epochDay } from '../domain/dates.js';
import type { RecordKind } from '../domain/publicity/fields.js';
import { PublicityService } from '../features/publicity/service.js';
import { RecordWriter, writeRecords, type StagedRow } from '../features/publicity/writer.js';
import { RecordRepository } from '../features/publicity/record-repository.js';
import { AuthorityRepository } from '../features/authorities/repository.js';
import { seedDemoDisclosure } from './disclosure.js';

/**
 * Demo 双公示 records, written only into empty tables (so a second start changes nothing). Every record
 * passes the same record schema as real input; report dates follow the working-day calendar, mostly in time.
 */
export async function seedDemoRecords(
  db: Db,
  pool: pg.Pool,
  opts: { permits?: number; penalties?: number; log?: (s: string) => void } = {},
): Promise<{ permits: number; penalties: number }> {
  const log = opts.log ?? (() => {});
  if ((await db.permit.count()) + (await db.penalty.count()) > 0) return { permits: 0, penalties: 0 };
  const service = new PublicityService(new RecordRepository(db), new RecordWriter(pool), new AuditLog(db), new AuthorityRepository(db));
  const subjects = [...DEMO_SUBJECTS, ...generateLegalPersons(300, DEMO_SEED)];
  const people = [...DEMO_NATURAL_PERSONS, ...generateNaturalPersons(60, DEMO_SEED)].map((p) => ({ name: p.name, docNumber: p.docNumber }));
  const today = beijingToday();
  const endDay = epochDay(today) - 1;
  const departments = new Map((await db.department.findMany({ select: { id: true, name: true } })).map((d) => [d.name, d.id]));
  const result = { permits: 0, penalties: 0 };
  for (const kind of ['permit', 'penalty'] as const satisfies RecordKind[]) {
    const count = kind === 'permit' ? (opts.permits ?? 300) : (opts.penalties ?? 300);
    const byDept = new Map<string, DemoRecord[]>();
    const generated = generateDemoRecords(kind, count, { seed: DEMO_SEED, subjects, people, endDay, spanDays: 730, pinned: DEMO_SUBJECTS.length });
    for (const r of kind === 'penalty' ? [...generated, ...tierShowcase(DEMO_SUBJECTS, endDay)] : generated) {
      const list = byDept.get(r.departmentName) ?? [];
      list.push(r);
      byDept.set(r.departmentName, list);
    }
    const schema = recordSchema(kind, { today });
    for (const [deptName, records] of byDept) {
      const departmentId = departments.get(deptName);
      if (departmentId === undefined) throw new Error(`演示数据的部门“${deptName}”不存在`);
      const ctx = await service.writeContext(departmentId, null, null);
      const rows: StagedRow[] = records.map((r, i) => {
        const parsed = schema.safeParse(r.raw);
        if (!parsed.success) throw new Error(`演示数据无效：${parsed.error.issues.map((x) => x.message).join('；')}`);
        const reportedDay = service.calendar.addWorkingDays(parsed.data.decisionDate, r.reportDelay);
        const reportedAt = new Date(Math.min(Date.parse(`${reportedDay}T10:00:00+08:00`), Date.now()));
        return { rowNo: i + 1, input: parsed.data, reportedAt };
      });
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const written = await writeRecords(client, kind, rows, ctx, { auditAction: `${kind}.update`, username: 'seed', ip: null });
        if (written.problems.length) throw new Error(`演示数据写入失败：${written.problems[0]!.message}`);
        await client.query('COMMIT');
        result[kind === 'permit' ? 'permits' : 'penalties'] += written.inserted;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    }
  }
  // Records past their period were written as having left; date that as the nightly job would have: the first minutes
  // of the day after their last public day (Beijing).
  await pool.query(`UPDATE penalty SET left_publication_at = ((public_until + 1) + time '00:05') AT TIME ZONE 'Asia/Shanghai' WHERE left_reason = 'expired'`);
  log(`行政许可新增 ${result.permits} 条，行政处罚新增 ${result.penalties} 条`);
  await seedDemoRepair(db, pool, log);
  // 条例 Art. 19/20/40/44: an archived penalty, a 档案化申请, the 失信 states, a year of access counts.
  await seedDemoDisclosure(db, pool, log);
  return result;
}
