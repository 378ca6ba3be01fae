import type pg from 'pg';
import type { AccessChannel } from './channels.js';

/** One counted use: the subject by its USCC (never an ID number), the channel and who used it. */
export interface AccessNote {
  channel: AccessChannel;
  /** 'd<department id>', 'k<API key id>', '' for the anonymous public */
  actorKey: string;
  actorName: string;
  /** when set, the actor is named by this department's current name (actorName is the fallback) */
  departmentId?: number | null;
}

export interface AccessSummaryRow {
  channel: AccessChannel;
  actorName: string;
  count: number;
}

/**
 * 条例 Art. 40: who used and queried a subject's information. One row per subject, Beijing day, channel and actor with
 * a counter, upserted — a busy subject costs one row a day per channel and actor, not one per hit. Subjects are found
 * by USCC inside the statement, so a credit check of 5,000 codes is one round trip, and unknown codes count nothing.
 */
export class AccessLogRepository {
  constructor(private readonly pool: Pick<pg.Pool, 'query'>) {}

  async note(usccs: readonly string[], day: string, n: AccessNote): Promise<number> {
    if (!usccs.length) return 0;
    const r = await this.pool.query(
      `INSERT INTO subject_access_day AS a (legal_person_id, day, channel, actor_key, actor_name, count)
       SELECT lp.id, $2::date, $3::"AccessChannel", $4, COALESCE((SELECT d.name FROM department d WHERE d.id = $6), $5), 1
         FROM legal_person lp WHERE lp.uscc = ANY($1::text[])
       ON CONFLICT (legal_person_id, day, channel, actor_key) DO UPDATE SET count = a.count + 1, actor_name = EXCLUDED.actor_name`,
      [[...new Set(usccs)], day, n.channel, n.actorKey, n.actorName.slice(0, 200), n.departmentId ?? null],
    );
    return r.rowCount ?? 0;
  }

  /** Uses from `from` to `to` (Beijing days, both included) by channel and actor, most first. */
  async summary(legalPersonId: number, from: string, to: string): Promise<AccessSummaryRow[]> {
    const { rows } = await this.pool.query<AccessSummaryRow>(
      `SELECT channel::text AS channel, max(actor_name) AS "actorName", sum(count)::int AS count
         FROM subject_access_day
        WHERE legal_person_id = $1 AND day BETWEEN $2::date AND $3::date
        GROUP BY channel, actor_key
        ORDER BY channel, sum(count) DESC, max(actor_name)`,
      [legalPersonId, from, to],
    );
    return rows;
  }
}
