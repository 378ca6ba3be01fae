/**
 * When a record counts as 「异议处理中」: an objection to it is waiting for the credit office (submitted) or for
 * the answering department (accepted). Every public view marks such records, so the rule lives here, beside
 * the other rules of what the public sees; the objection workflow itself is src/features/cases/objection.
 */
export const OPEN_OBJECTION_STATUSES = ['submitted', 'accepted'] as const;

/** The same, as SQL for queries that mark records 异议处理中 (the subject profile). */
export const OPEN_OBJECTION_STATUSES_SQL = `(${OPEN_OBJECTION_STATUSES.map((s) => `'${s}'`).join(', ')})`;
