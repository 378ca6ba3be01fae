import type { Db } from '../../platform/database/client.js';
import { beijingToday } from '../../domain/publicity/schemas.js';

type Tx = Pick<Db, 'department' | 'commitment'>;

/** 承诺编码: region of the accepting department (or the city) + date + a serial within the day. */
export async function nextCommitmentCode(db: Tx, departmentId: number): Promise<string> {
  const dept = await db.department.findUnique({ where: { id: departmentId }, select: { county: { select: { code: true } } } });
  const region = dept?.county?.code ?? '410700';
  const prefix = `${region}${beijingToday().replace(/-/g, '')}`;
  const last = await db.commitment.findFirst({ where: { code: { startsWith: prefix } }, orderBy: { code: 'desc' }, select: { code: true } });
  const serial = last ? Number(last.code.slice(14)) + 1 : 1;
  return `${prefix}${String(serial).padStart(6, '0')}`;
}
