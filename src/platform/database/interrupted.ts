/**
 * The one rule for background work (imports, file exports) whose worker is gone, as SQL: a row still queued or
 * running with nobody holding its session advisory lock (lockClass, id), and either running or without a pending
 * pg-boss job, is marked failed with the message $1. Both tables have the same status, message, finished_at and
 * job_id columns; the lock classes are constants of the features.
 */
export function failInterruptedSql(table: 'import' | 'export_file', lockClass: number): string {
  if (!Number.isSafeInteger(lockClass)) throw new RangeError('lock class must be an integer');
  return `UPDATE ${table} w SET status = 'failed', message = $1, finished_at = now()
        WHERE w.status IN ('queued', 'running')
          AND NOT EXISTS (SELECT 1 FROM pg_locks l
                           WHERE l.locktype = 'advisory' AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                             AND l.classid = ${lockClass} AND l.objid = w.id AND l.objsubid = 2)
          AND (w.status = 'running' OR w.job_id IS NULL
               OR NOT EXISTS (SELECT 1 FROM pgboss.job j WHERE j.id = w.job_id AND j.state IN ('created', 'retry', 'active')))`;
}
