import type { Db } from '../../platform/database/client.js';

export interface ReportDayRow {
  day: string;
  count: number;
}

export interface ReportSubjectRow {
  legalPersonId: number;
  uscc: string;
  subjectName: string;
  count: number;
}

export interface NewCreditReport {
  reportNo: string;
  legalPersonId: number;
  uscc: string;
  subjectName: string;
  issuedAt: Date;
  sha256: string;
  bytes: number;
  ip: string | null;
  contentSm3: string | null;
  keyId: string | null;
  signedSm3: string | null;
}

export interface NewIssuedDocument {
  docNo: string;
  issuedAt: Date;
  contentSm3: string;
  keyId: string;
  signedSm3: string;
  sha256: string;
  bytes: number;
  subjectName: string | null;
  userId: number | null;
}

/** The register of issued credit reports (公共信用信息报告), which anyone can check a report against. */
export class ReportRepository {
  constructor(private readonly db: Db) {}

  /** Throws Prisma's P2002 when the number is taken (the service then draws another). */
  async record(report: NewCreditReport): Promise<void> {
    await this.db.creditReport.create({ data: report });
  }

  /** One download of a signed 信用核查报告 or 事前告知书 (issued_document). */
  async recordDocument(doc: NewIssuedDocument): Promise<void> {
    await this.db.issuedDocument.create({ data: doc });
  }

  /** The register's row of the document a QR code names: its number, issue second and content hash all match. */
  findDocument(q: { docNo: string; issuedAt: Date; contentSm3: string }) {
    return this.db.issuedDocument.findFirst({ where: { docNo: q.docNo, issuedAt: q.issuedAt, contentSm3: q.contentSm3 }, orderBy: { id: 'asc' } });
  }

  async legalPersonExists(uscc: string): Promise<boolean> {
    return (await this.db.legalPerson.findUnique({ where: { uscc }, select: { id: true } })) !== null;
  }

  findByNo(reportNo: string) {
    return this.db.creditReport.findUnique({ where: { reportNo } });
  }

  /** Reports issued per Beijing day from `from` to `to` (both included, YYYY-MM-DD), every day of the range with zeros. */
  perDay(from: string, to: string): Promise<ReportDayRow[]> {
    return this.db.$queryRaw<ReportDayRow[]>`
        SELECT to_char(d.day, 'YYYY-MM-DD') AS day, coalesce(c.n, 0)::int AS count
          FROM generate_series(${from}::date, ${to}::date, interval '1 day') AS d(day)
          LEFT JOIN (
            SELECT (issued_at AT TIME ZONE 'Asia/Shanghai')::date AS day, count(*) AS n
              FROM credit_report
             WHERE issued_at >= (${from}::date::timestamp AT TIME ZONE 'Asia/Shanghai')
               AND issued_at < ((${to}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')
             GROUP BY 1
          ) c ON c.day = d.day::date
         ORDER BY d.day`;
  }

  /** The most-reported subjects of the range first. */
  perSubject(from: string, to: string, limit: number): Promise<ReportSubjectRow[]> {
    return this.db.$queryRaw<ReportSubjectRow[]>`
        SELECT legal_person_id AS "legalPersonId", max(uscc) AS uscc,
               (array_agg(subject_name ORDER BY issued_at DESC))[1] AS "subjectName", count(*)::int AS count
          FROM credit_report
         WHERE issued_at >= (${from}::date::timestamp AT TIME ZONE 'Asia/Shanghai')
           AND issued_at < ((${to}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')
         GROUP BY legal_person_id
         ORDER BY count(*) DESC, legal_person_id
         LIMIT ${limit}`;
  }
}
