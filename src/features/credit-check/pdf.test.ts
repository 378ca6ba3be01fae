import { PDFParse } from 'pdf-parse';
import { describe, expect, it } from 'vitest';
import { CHECK_ROWS_PER_KIND, renderCheckPdf } from './pdf.js';
import type { CheckResult } from './types.js';

describe('the 信用核查 PDF', () => {
  it('prints at most a fixed number of records of a kind per subject, and says how many more and where', async () => {
    const many = CHECK_ROWS_PER_KIND + 35;
    const result: CheckResult = {
      rows: [
        {
          code: '91410700174608534E',
          name: '新乡市华兴食品有限公司',
          found: true,
          black: [],
          red: [],
          seriousPenalties: Array.from({ length: many }, (_, i) => ({
            documentNo: `新市监罚〔2026〕${i + 1}号`,
            decisionDate: '2026-01-02',
            authority: '新乡市市场监督管理局',
            summary: '严重失信',
          })),
          measures: [],
        },
      ],
      invalid: [],
    };
    const pdf = await renderCheckPdf({ id: 7, createdAt: new Date(), purpose: null, department: null }, result);
    const parser = new PDFParse({ data: new Uint8Array(pdf) });
    const text = (await parser.getText().finally(() => parser.destroy())).text.replace(/\s+/g, '');
    expect(text.match(/严重行政处罚：/g)).toHaveLength(CHECK_ROWS_PER_KIND);
    expect(text).toContain(`另有严重行政处罚35条未列出，详见本平台/subjects/91410700174608534E/penalties`);
  });
});
