/**
 * When a penalty may still be shown, shared or used (docs/domain.md "Credit repair"): published (is_public: scope
 * public, not withdrawn, not excluded by a publicity rule, not repaired) and inside its publicity period. A repair
 * sets is_public false and public_until before today in one transaction, and the expiry job does the same at the end
 * of the period, so the date test only covers the hours between the end of the period and the job. The credit check
 * and the API read this; the public columns, profile and search read the same two columns.
 */
import { beijingToday, dateColumn } from '../../domain/dates.js';

export function penaltyInUseWhere(today = beijingToday()) {
  return { isPublic: true, publicUntil: { gte: dateColumn(today) } };
}
