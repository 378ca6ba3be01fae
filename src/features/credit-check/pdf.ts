import { ISSUER, beijingDateTime, cjkDocument, drawDocumentQr, type DocumentQr } from '../reports/pdf.js';
import type { CheckResult, CreditCheckService } from './service.js';
import type { CreditCheckRepository } from './repository.js';
import { checkDocNo } from '../reports/signing.js';
import { disputedMark } from './types.js';
import { asOfLabel } from '../publication/service.js';

/**
 * The 信用核查报告 as PDF: plain pdfkit text in the report fonts (same font setting as the credit report), so
 * Chinese is real, selectable text; text() falls back per character for rare characters. A check of thousands of codes is a long but simple document.
 */
/**
 * Records of one kind printed per subject: a check of up to 5,000 codes where one subject has thousands of serious
 * penalties would otherwise make a document of thousands of pages; the verdict needs none of them beyond the first.
 */
export const CHECK_ROWS_PER_KIND = 20;

export interface CheckReportMeta {
  id: number;
  createdAt: Date;
  purpose: string | null;
  department: string | null;
}

/**
 * The 信用核查报告's canonical content: JSON with a fixed order of everything it states — the run's number, time,
 * department and purpose, the as-of day, every code's verdict and every record with every printed field (all of them,
 * not only the first CHECK_ROWS_PER_KIND printed: the rest are stated by their count). Its SM3 is signed in the QR
 * code, and compared with a fresh check of the same codes to tell a superseded report (docs/report-signing.md).
 */
export function checkReportContent(meta: CheckReportMeta, result: CheckResult): string {
  const entry = (e: CheckResult['rows'][number]['black'][number]) => [e.basisDocNo, e.basisAuthority, e.validUntil, !!e.disputed];
  // A subject's records come from reads without a fixed order: sorted, so the same statements always hash the same.
  const sorted = <T>(items: T[]) => items.map((i) => JSON.stringify(i)).sort();
  return JSON.stringify({
    v: 1,
    no: checkDocNo(meta.id),
    createdAt: meta.createdAt.toISOString(),
    department: meta.department,
    purpose: meta.purpose,
    asOf: result.asOf ?? null,
    rows: result.rows.map((r) => [
      r.code,
      r.name,
      r.found,
      sorted(r.black.map(entry)),
      sorted(r.red.map(entry)),
      sorted(r.seriousPenalties.map((p) => [p.documentNo, p.decisionDate, p.authority, p.summary, !!p.disputed])),
      sorted(r.measures.map((m) => [m.listType, m.department, m.text])),
    ]),
    invalid: result.invalid.map((i) => [i.code, i.reason]),
  });
}

/**
 * What the run's report would state if the same codes were checked now (as of the same day, for an as-of run): the
 * superseded check. Null when the run is gone. The department's current name, as a new download would print.
 */
export async function currentCheckReportContent(repo: CreditCheckRepository, service: CreditCheckService, runId: number): Promise<string | null> {
  const run = await repo.run(runId);
  if (!run) return null;
  const codes = [...run.result.rows.map((r) => r.code), ...run.result.invalid.map((i) => i.code)];
  const fresh = await service.check(codes, run.result.asOf ?? null);
  const department = await repo.departmentName(run.departmentId);
  return checkReportContent({ id: run.id, createdAt: run.createdAt, purpose: run.purpose, department }, fresh);
}

export async function renderCheckPdf(meta: CheckReportMeta, result: CheckResult, qr?: DocumentQr): Promise<Buffer> {
  const w = cjkDocument({ margin: 50, info: { Title: `信用核查报告 ${meta.id}`, Author: ISSUER } });
  const { doc, done, text } = w;

  doc.fontSize(18).text('信用核查报告', { align: 'center' });
  doc.moveDown(0.5).fontSize(10);
  text(`报告编号：${checkDocNo(meta.id)}    核查时间：${beijingDateTime(meta.createdAt)}`);
  if (meta.department) text(`核查单位：${meta.department}`);
  if (meta.purpose) text(`核查事由：${meta.purpose}`);
  // an as-of check answers what was public that day, not on the day it was run
  if (result.asOf) text(`核查依据：${asOfLabel(result.asOf)}公开的信息`);
  const flagged = result.rows.filter((r) => r.black.length || r.seriousPenalties.length).length;
  text(
    `共核查 ${result.rows.length + result.invalid.length} 个代码：平台有 ${result.rows.filter((r) => r.found).length} 个主体，其中存在失信记录 ${flagged} 个；无效代码 ${result.invalid.length} 个。`,
  );
  doc.moveDown();
  /** A subject's records of one kind beyond the cap: how many, and where the subject's profile lists them all. */
  const leftOut = (code: string, label: string, n: number, section: string) => {
    if (n > CHECK_ROWS_PER_KIND) text(`  另有${label} ${n - CHECK_ROWS_PER_KIND} 条未列出，详见本平台 /subjects/${code}/${section}`);
  };
  for (const r of result.rows) {
    const verdict = !r.found ? '平台无此主体' : r.black.length || r.seriousPenalties.length ? '存在失信记录' : '未发现失信记录';
    doc.fontSize(11);
    // a subject's name may hold a rare character that only the fallback font has
    text(`${r.code}  ${r.name ?? ''}  —  ${verdict}`);
    doc.fontSize(9);
    for (const e of r.black.slice(0, CHECK_ROWS_PER_KIND)) text(`  黑名单：${e.basisDocNo}（${e.basisAuthority}，有效期至 ${e.validUntil}）${disputedMark(e)}`);
    leftOut(r.code, '黑名单', r.black.length, 'black');
    for (const p of r.seriousPenalties.slice(0, CHECK_ROWS_PER_KIND))
      text(`  严重行政处罚：${p.documentNo}，${p.decisionDate}，${p.authority}，${p.summary}${disputedMark(p)}`);
    leftOut(r.code, '严重行政处罚', r.seriousPenalties.length, 'penalties');
    for (const e of r.red.slice(0, CHECK_ROWS_PER_KIND)) text(`  红名单：${e.basisDocNo}（${e.basisAuthority}）${disputedMark(e)}`);
    leftOut(r.code, '红名单', r.red.length, 'red');
    for (const m of r.measures) text(`  适用措施：${m.department}：${m.text}`);
    doc.moveDown(0.4);
  }
  if (result.invalid.length) {
    doc.moveDown().fontSize(11).text('无效代码');
    doc.fontSize(9);
    for (const i of result.invalid) text(`  ${i.code}：${i.reason}`);
  }
  doc
    .moveDown()
    .fontSize(8)
    .text(`本报告由${ISSUER}根据${result.asOf ? asOfLabel(result.asOf) : '核查时'}的公共信用信息生成，仅供所述事由使用。`);
  if (qr) await drawDocumentQr(w, qr);
  doc.end();
  return done;
}
