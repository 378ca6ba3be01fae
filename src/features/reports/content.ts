import type { SubjectProfile } from '../subjects/profile.js';
import { sm3Hex } from './signing.js';

/**
 * The report's canonical content: what the report states about the subject, as JSON with a fixed key order. Left out
 * on purpose: the day of the query period and the usage section (they change every day and with every query, not
 * with the subject's record) and the counts (derived from the records). Its SM3 is signed in the QR code, stored at
 * issue, and compared with today's to tell whether the report has been superseded (docs/report-signing.md).
 */
export function canonicalContent(p: SubjectProfile): string {
  const s = p.subject;
  return JSON.stringify({
    v: 1,
    subject: [s.uscc, s.name, s.legalRepresentative, s.subjectType, s.status, s.address, s.establishedOn, s.county, s.orgCode, s.regNo],
    hiddenBase: p.hiddenBase ?? [],
    tags: p.tags,
    sections: p.sections.map((sec) => ({
      key: sec.key,
      notPublic: !!sec.notPublic,
      records: sec.records.map((r) => [
        r.kind,
        r.id,
        r.title,
        r.documentNo,
        r.decisionDate,
        r.authority,
        r.summary,
        r.fields.map((f) => [f.label, f.value]),
        !!r.disputed,
      ]),
    })),
  });
}

export function contentSm3(p: SubjectProfile): string {
  return sm3Hex(canonicalContent(p));
}
