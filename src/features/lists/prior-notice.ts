import { ISSUER, OBJECTION_OFFICE, cjkDocument, drawDocumentQr, type DocumentQr } from '../reports/pdf.js';
import { RESPONSIBLE_ROLE_LABELS, type ResponsiblePerson } from './schemas.js';

/**
 * 事前告知书 (河南省社会信用条例 Art. 28): before a subject is put on the black list it is told in writing the basis,
 * the reasons, the measures it will face, that it may object, and until when. The department serves it; the day it
 * was served starts the objection window, and the subject is listed only after that window.
 */
export interface PriorNotice {
  /** XXPN…: the number the file signature names (signing.ts noticeDocNo), printed so a verifier can match the two */
  docNo?: string;
  noticeNo: string;
  subjectName: string;
  /** USCC for an organisation; a person's number is masked before it reaches here */
  code: string;
  basisDocNo: string;
  basisAuthority: string;
  basisDate: string;
  reason: string;
  measures: string;
  validUntil: string;
  /** the day served; null on a draft printed before serving */
  servedOn: string | null;
  objectionDays: number;
  objectionEndsOn: string | null;
  department: string;
  responsiblePersons: ResponsiblePerson[];
}

/** The notice's paragraphs, also the text the tests read (PDF text is not searchable without a parser). */
export function priorNoticeParagraphs(n: PriorNotice): string[] {
  const persons = n.responsiblePersons.length
    ? `本次拟列入名单信息同时列明：${n.responsiblePersons.map((p) => `${RESPONSIBLE_ROLE_LABELS[p.role]}${p.name}`).join('、')}。`
    : '';
  const window = n.objectionEndsOn
    ? `自本告知书送达之日起 ${n.objectionDays} 日内（至 ${n.objectionEndsOn} 止）`
    : `自本告知书送达之日起 ${n.objectionDays} 日内`;
  return [
    `${n.subjectName}（统一社会信用代码 / 证件号码：${n.code}）：`,
    `依据《河南省社会信用条例》第二十八条及相关认定标准，经${n.basisAuthority}认定（认定文号：${n.basisDocNo}，认定日期：${n.basisDate}），本单位拟将你（单位）列入新乡市失信惩戒对象名单（黑名单），有效期至 ${n.validUntil}。现将有关事项告知如下：`,
    `一、列入事由：${n.reason}`,
    `二、列入依据：《河南省社会信用条例》第二十八条；${n.basisAuthority}${n.basisDocNo}。${persons}`,
    `三、拟采取的惩戒措施：${n.measures}`,
    `四、陈述、申辩和异议的权利：你（单位）对拟列入名单有异议的，可以${window}，向本单位或${OBJECTION_OFFICE}书面提出异议，并提交相关证明材料。异议由认定单位核查处理；对处理结果不服的，可以向省级主管部门申请复核。逾期未提出异议的，本单位将依法列入名单并通过“信用新乡”网站向社会公布。`,
    `五、退出：名单有效期届满或者依法依规提前退出的，通过原公布渠道发布退出公告，联合惩戒措施同时停止。`,
  ];
}

/**
 * The notice's canonical content: JSON with a fixed order of every printed field. Its SM3 is signed in the QR code and
 * compared with the notice as the nomination stands today to tell a superseded one (docs/report-signing.md).
 */
export function priorNoticeContent(n: PriorNotice): string {
  return JSON.stringify({
    v: 1,
    no: n.docNo ?? null,
    noticeNo: n.noticeNo,
    subject: [n.subjectName, n.code],
    basis: [n.basisDocNo, n.basisAuthority, n.basisDate],
    reason: n.reason,
    measures: n.measures,
    validUntil: n.validUntil,
    servedOn: n.servedOn,
    objection: [n.objectionDays, n.objectionEndsOn],
    department: n.department,
    responsiblePersons: n.responsiblePersons.map((p) => [p.role, p.name]),
  });
}

export async function renderPriorNotice(n: PriorNotice, qr?: DocumentQr): Promise<Buffer> {
  const w = cjkDocument({
    margins: { top: 64, bottom: 56, left: 64, right: 64 },
    info: { Title: '列入失信惩戒对象名单事前告知书', Author: ISSUER, Subject: n.noticeNo },
  });
  const { doc, done } = w;
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  doc.fontSize(20).text('列入失信惩戒对象名单事前告知书', left, doc.y, { align: 'center', width, characterSpacing: 2 });
  doc.moveDown(0.4);
  doc.fontSize(11).text(n.noticeNo, left, doc.y, { align: 'center', width });
  doc.moveDown(1);
  priorNoticeParagraphs(n).forEach((text, i) => {
    doc.fontSize(12).text(text, left, doc.y, { width, lineGap: 4, indent: i === 0 ? 0 : 24, paragraphGap: 6 });
  });
  doc.moveDown(1.5);
  doc.fontSize(12).text(`${n.department}（盖章）`, left, doc.y, { width, align: 'right' });
  doc.moveDown(0.4);
  doc.text(n.servedOn ? `送达日期：${n.servedOn}` : '送达日期：        年    月    日', left, doc.y, { width, align: 'right' });
  doc.moveDown(2);
  doc
    .fontSize(9)
    .fillColor('#555555')
    .text(`本告知书由${ISSUER}生成${n.docNo ? `，电子文件核验编号 ${n.docNo}` : ''}；送达后请将送达回证留存备查。`, left, doc.y, { width });
  doc.fillColor('#000000');
  if (qr) await drawDocumentQr(w, qr);
  doc.end();
  return done;
}
