// The check's result, shared by the service that computes it and the repository that stores it (no import cycle).
export interface CheckRow {
  code: string;
  name: string | null;
  found: boolean;
  black: { basisDocNo: string; basisAuthority: string; validUntil: string }[];
  red: { basisDocNo: string; basisAuthority: string; validUntil: string }[];
  seriousPenalties: { documentNo: string; decisionDate: string; authority: string; summary: string }[];
  measures: { listType: string; department: string; text: string }[];
}

export interface CheckResult {
  rows: CheckRow[];
  invalid: { code: string; reason: string }[];
}
