import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { expect, test, type Page } from '@playwright/test';
import { rawRecord } from '../helpers/records.js';
import { csvOf } from '../helpers/imports.js';
import { attempt, signInAs } from './helpers.js';
import { fieldsOf } from '../../src/domain/publicity/fields.js';
import { exportCsvHeader } from '../../src/features/imports/template.js';

async function uploadFile(page: Page, kind: '行政许可' | '行政处罚', name: string, buffer: Buffer) {
  await page.goto('/admin/imports/new');
  await page.getByLabel('数据类别').selectOption({ label: kind });
  await page.getByLabel('文件（.csv 或 .xlsx）').setInputFiles({ name, mimeType: 'application/octet-stream', buffer });
  await page.getByRole('button', { name: '开始导入' }).click();
  await expect(page.locator('[data-qa="import-status"]')).not.toContainText('正在导入', { timeout: 20_000 });
}

test('batch import: three bad rows are all listed and nothing is written; GBK CSV and XLSX land publicly; a withdrawn row disappears', async ({ page }) => {
  await signInAs(page, 'clerk', 'Clerk12345!');
  const a = attempt();

  const bad = [
    rawRecord('penalty', { documentNo: `E2E批罚〔2026〕1${a}号`, subjectName: `新乡市端到端甲${a}有限公司` }),
    rawRecord('penalty', { documentNo: `E2E批罚〔2026〕2${a}号`, uscc: '91410700174608534F' }),
    rawRecord('penalty', { documentNo: `E2E批罚〔2026〕3${a}号`, fineAmount: '-1' }),
    rawRecord('penalty', { documentNo: `E2E批罚〔2026〕4${a}号`, decisionDate: '2026/13/01' }),
  ];
  await uploadFile(page, '行政处罚', '有错误.csv', Buffer.from(csvOf('penalty', bad)));
  await expect(page.locator('[data-qa="import-status"]')).toContainText('未写入任何数据');
  const errors = page.locator('[data-qa="import-errors"] tbody tr');
  await expect(errors).toHaveCount(3);
  await expect(page.locator('[data-qa="import-errors"]')).toContainText('第 3 行');
  await expect(page.locator('[data-qa="import-errors"]')).toContainText('第 4 行');
  await expect(page.locator('[data-qa="import-errors"]')).toContainText('第 5 行');
  await page.goto('/publicity/penalties?q=端到端甲');
  await expect(page.locator('[data-qa="no-results"]')).toBeVisible();

  const good = [1, 2].map((i) => rawRecord('penalty', { documentNo: `E2E国标罚〔2026〕${i}${a}号`, subjectName: `新乡市国标编码${i}${a}有限公司` }));
  await uploadFile(page, '行政处罚', 'gbk.csv', iconv.encode(csvOf('penalty', good), 'gbk'));
  await expect(page.locator('[data-qa="import-status"]')).toContainText('导入成功');

  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('行政许可');
  ws.addRow(exportCsvHeader('permit'));
  const r = rawRecord('permit', { documentNo: `E2E表格许〔2026〕1${a}号`, subjectName: `新乡市表格导入${a}有限公司` });
  ws.addRow(fieldsOf('permit').map((f) => r[f.key] ?? ''));
  await uploadFile(page, '行政许可', 'permits.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
  await expect(page.locator('[data-qa="import-status"]')).toContainText('导入成功');

  await page.goto('/publicity/penalties?q=国标编码');
  await expect(page.getByRole('link', { name: `新乡市国标编码1${a}有限公司` })).toBeVisible();
  await expect(page.getByRole('link', { name: `新乡市国标编码2${a}有限公司` })).toBeVisible();
  await page.goto('/publicity/permits?q=表格导入');
  await expect(page.getByRole('link', { name: `新乡市表格导入${a}有限公司` })).toBeVisible();

  await page.goto(`/admin/penalties?q=国标编码1${a}`);
  await page.getByRole('link', { name: `新乡市国标编码1${a}有限公司` }).click();
  page.once('dialog', (d) => d.accept());
  await page.locator('#reason').fill('数据报送错误');
  await page.getByRole('button', { name: '撤回' }).click();
  await expect(page.getByText('已撤回').first()).toBeVisible();
  await page.goto('/publicity/penalties?q=国标编码');
  await expect(page.getByRole('link', { name: `新乡市国标编码1${a}有限公司` })).toHaveCount(0);
  await expect(page.getByRole('link', { name: `新乡市国标编码2${a}有限公司` })).toBeVisible();
});
