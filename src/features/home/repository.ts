import type { Db } from '../../platform/database/client.js';

export interface SiteCounts {
  legalPersons: number;
  naturalPersons: number;
  departments: number;
  counties: number;
}

const COUNTS_TTL_MS = 60_000;

export class StatsRepository {
  private cached: { at: number; value: Promise<SiteCounts> } | null = null;

  constructor(private readonly db: Db) {}

  /**
   * The library totals on the home page. An exact count(*) over a million legal persons is a scan on every
   * visit, so the figures are kept for a minute — fine for a headline, and the home page stays cheap.
   */
  counts(): Promise<SiteCounts> {
    if (this.cached && Date.now() - this.cached.at < COUNTS_TTL_MS) return this.cached.value;
    const value = this.countNow();
    this.cached = { at: Date.now(), value };
    value.catch(() => (this.cached = null));
    return value;
  }

  private async countNow(): Promise<SiteCounts> {
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
