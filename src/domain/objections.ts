/**
 * When a record counts as 「异议处理中」 (条例 Art. 41: marked at once on filing): an objection to it is waiting for
 * the credit office (submitted), for the answering department (accepted), or for the office to settle it after
 * the department's answer (answered). Every public view marks such records, so the rule lives here, beside
 * the other rules of what the public sees; the objection workflow itself is src/features/cases/objection.
 */
export const OPEN_OBJECTION_STATUSES = ['submitted', 'accepted', 'answered'] as const;

/** The same, as SQL for queries that mark records 异议处理中 (the subject profile). */
export const OPEN_OBJECTION_STATUSES_SQL = `(${OPEN_OBJECTION_STATUSES.map((s) => `'${s}'`).join(', ')})`;
