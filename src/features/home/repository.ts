import type { Db } from '../../platform/database/client.js';

export interface SiteCounts {
  legalPersons: number;
  naturalPersons: number;
  departments: number;
  counties: number;
}

export class StatsRepository {
  constructor(private readonly db: Db) {}

  /** One round trip; count(*) over the libraries stays fast because PostgreSQL scans the small pkey index. */
  async counts(): Promise<SiteCounts> {
    const [row] = await this.db.$queryRaw<{ legal: bigint; natural: bigint; departments: bigint; counties: bigint }[]>`
      SELECT (SELECT count(*) FROM legal_person) AS legal,
             (SELECT count(*) FROM natural_person) AS natural,
             (SELECT count(*) FROM department WHERE active) AS departments,
             (SELECT count(*) FROM county) AS counties`;
    return {
      legalPersons: Number(row?.legal ?? 0),
      naturalPersons: Number(row?.natural ?? 0),
      departments: Number(row?.departments ?? 0),
      counties: Number(row?.counties ?? 0),
    };
  }

  async ping(): Promise<void> {
    await this.db.$queryRaw`SELECT 1`;
  }
}
