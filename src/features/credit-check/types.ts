// The check's result, shared by the service that computes it and the repository that stores it (no import cycle).
export interface CheckRow {
  code: string;
  name: string | null;
  found: boolean;
  // disputed: an objection is being handled (条例 Art. 41); absent in runs stored before it was recorded
  black: { basisDocNo: string; basisAuthority: string; validUntil: string; disputed?: boolean }[];
  red: { basisDocNo: string; basisAuthority: string; validUntil: string; disputed?: boolean }[];
  seriousPenalties: { documentNo: string; decisionDate: string; authority: string; summary: string; disputed?: boolean }[];
  measures: { listType: string; department: string; text: string }[];
}

export interface CheckResult {
  /** Answered as of this Beijing day (what was public then, from the publication history); absent: as of the run. */
  asOf?: string;
  rows: CheckRow[];
  invalid: { code: string; reason: string }[];
}

/** The mark a record under objection carries in the result's PDF and spreadsheet (条例 Art. 41). */
export function disputedMark(r: { disputed?: boolean }): string {
  return r.disputed ? '（异议处理中）' : '';
}
