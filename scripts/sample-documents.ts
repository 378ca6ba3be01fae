/**
 * The unsigned 信用核查报告 and 事前告知书 the signing benchmark and the verify:report test both sign: one sample of each,
 * so the two measure and check the same documents.
 */
import { renderCheckPdf } from '../src/features/credit-check/pdf.js';
import { renderPriorNotice } from '../src/features/lists/prior-notice.js';
import { noticeDocNo } from '../src/features/reports/signing.js';

export const SAMPLE_USCC = '91410700174608534E';
export const SAMPLE_CHECK_RUN = 42;
export const SAMPLE_NOMINATION = 7;

export function sampleCheckPdf(code = SAMPLE_USCC): Promise<Buffer> {
  return renderCheckPdf(
    { id: SAMPLE_CHECK_RUN, createdAt: new Date(), purpose: '招投标', department: null },
    {
      rows: [{ code, name: '新乡市华兴食品有限公司', found: true, black: [], red: [], seriousPenalties: [], measures: [] }],
      invalid: [],
    },
  );
}

export function sampleNoticePdf(code = SAMPLE_USCC): Promise<Buffer> {
  return renderPriorNotice({
    docNo: noticeDocNo(SAMPLE_NOMINATION),
    noticeNo: '新告〔2026〕3号',
    subjectName: '新乡市告知测试有限公司',
    code,
    basisDocNo: '新文明〔2026〕1号',
    basisAuthority: '新乡市市场监督管理局',
    basisDate: '2026-02-01',
    reason: '拒不履行法院判决，情节严重',
    measures: '限制参与政府采购和招投标',
    validUntil: '2029-03-14',
    servedOn: null,
    objectionDays: 10,
    objectionEndsOn: null,
    department: '新乡市市场监督管理局',
    responsiblePersons: [{ role: 'legalRepresentative', name: '赵大成' }],
  });
}
