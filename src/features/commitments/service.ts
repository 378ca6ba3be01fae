import type pg from 'pg';
import type { Db } from '../../platform/database/client.js';
import { beijingToday } from '../../domain/dates.js';
import type { CommitmentInput } from './schemas.js';
import { writeCommitments, type CommitmentContext } from './writer.js';

/** The city's region code, used for 市直 departments (no county). */
const CITY_REGION = '410700';

export class CommitmentService {
  constructor(
    private readonly db: Db,
    private readonly pool: pg.Pool,
  ) {}

  /** Where and by whom commitments are accepted: the region part of 承诺编码 comes from the department's county. */
  async writeContext(departmentId: number, userId: number, importId: number | null): Promise<CommitmentContext> {
    const dept = await this.db.department.findUnique({ where: { id: departmentId }, select: { county: { select: { code: true } } } });
    return { departmentId, region: dept?.county?.code ?? CITY_REGION, today: beijingToday(), userId, importId };
  }

  /** One commitment from the form, through the same writer as a batch (same code sequence and lock). */
  async createOne(input: CommitmentInput, departmentId: number, userId: number): Promise<{ id: number; code: string }> {
    const ctx = await this.writeContext(departmentId, userId, null);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { created } = await writeCommitments(client, [{ rowNo: 1, input }], ctx);
      await client.query('COMMIT');
      return created[0]!;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }
}
