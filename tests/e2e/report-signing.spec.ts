/// <reference lib="dom" />
import { expect, test } from '@playwright/test';
import { DEMO_SUBJECTS } from '../../src/seed/demo-subjects.js';
import { expectAccessible, signInAs } from './helpers.js';

const USCC = DEMO_SUBJECTS.find((s) => s.uscc)!.uscc!;

/** A report as a visitor downloads it, with the text its QR code holds (what a scanner app would show). */
async function download(request: import('@playwright/test').APIRequestContext) {
  const res = await request.get(`/subjects/${USCC}/report.pdf`);
  expect(res.status()).toBe(200);
  const qr = res.headers()['x-report-qr'];
  expect(qr).toMatch(/^XXCR1\|/);
  return { qr: qr!, pdf: await res.body() };
}

test('the offline verification page checks a QR text and the report file with the network off', async ({ page, context }) => {
  const { qr, pdf } = await download(page.request);
  await page.goto('/reports/verify/offline');
  await expect(page.getByRole('heading', { level: 1, name: '信用报告离线核验' })).toBeVisible();
  await expectAccessible(page);

  await context.setOffline(true);
  const verdict = page.getByTestId('offline-verdict');
  const check = async (text: string) => {
    await page.getByLabel('二维码内容').fill(text);
    await page.getByRole('button', { name: '核验' }).click();
  };

  await check(qr);
  await expect(verdict).toHaveAttribute('data-ok', 'true');
  await expect(verdict).toContainText('二维码核验通过');
  await expect(page.getByTestId('offline-result')).toContainText(USCC);
  await expectAccessible(page);

  // the address a phone's scanner app opens works as well
  await check(`https://credit.example.gov.cn/reports/verify?qr=${encodeURIComponent(qr)}`);
  await expect(verdict).toHaveAttribute('data-ok', 'true');

  // one QR field changed: the report number's last character
  const parts = qr.split('|');
  parts[1] = parts[1]!.slice(0, -1) + (parts[1]!.endsWith('0') ? '1' : '0');
  await check(parts.join('|'));
  await expect(verdict).toHaveAttribute('data-ok', 'false');
  await expect(verdict).toContainText('签名与内容不符');

  // the file itself, byte for byte
  await page.getByLabel('二维码内容').fill(qr);
  await page.getByLabel('报告文件（PDF，可选）').setInputFiles({ name: 'report.pdf', mimeType: 'application/pdf', buffer: pdf });
  await page.getByRole('button', { name: '核验' }).click();
  await expect(verdict).toHaveAttribute('data-ok', 'true');
  await expect(verdict).toContainText('文件核验通过');

  const tampered = Buffer.from(pdf);
  const at = Math.floor(tampered.length / 3);
  tampered[at] = tampered[at]! ^ 0x01;
  await page.getByLabel('报告文件（PDF，可选）').setInputFiles({ name: 'report.pdf', mimeType: 'application/pdf', buffer: tampered });
  await page.getByRole('button', { name: '核验' }).click();
  await expect(verdict).toHaveAttribute('data-ok', 'false');
  await expect(verdict).toContainText('文件核验未通过');
  await expectAccessible(page);
  await context.setOffline(false);
});

test('a scanned QR code opens the server check, which links to the keys and the offline page', async ({ page }) => {
  const { qr } = await download(page.request);
  await page.goto(`/reports/verify?qr=${encodeURIComponent(qr)}`);
  await expect(page.getByTestId('qr-result')).toHaveAttribute('data-ok', 'true');
  await expect(page.getByTestId('current')).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('link', { name: '报告签名公钥' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '报告签名公钥' })).toBeVisible();
  await expect(page.getByTestId('keys-table')).toContainText('签发中');
  await expectAccessible(page);
});

test('the offline page checks a 信用核查报告 file alone, and its XXCR2 QR text with the file', async ({ page, context }) => {
  await signInAs(page, 'clerk', 'Clerk12345!');
  await page.goto('/admin/credit-check');
  await page.getByLabel('核查事由').fill('签名核验');
  await page.getByLabel('统一社会信用代码').fill(USCC);
  await page.getByRole('button', { name: '开始核查' }).click();
  await expect(page.getByRole('heading', { name: '信用核查结果' })).toBeVisible();
  const res = await page.request.get(`${page.url()}/report.pdf`);
  expect(res.status()).toBe(200);
  const pdf = await res.body();
  const qr = res.headers()['x-report-qr'];
  expect(qr).toMatch(/^XXCR2\|XXCC\d{8}\|/);

  await page.goto('/reports/verify/offline');
  await context.setOffline(true);
  const verdict = page.getByTestId('offline-verdict');
  await page.getByLabel('报告文件（PDF，可选）').setInputFiles({ name: 'check.pdf', mimeType: 'application/pdf', buffer: pdf });
  await page.getByRole('button', { name: '核验' }).click();
  await expect(verdict).toHaveAttribute('data-ok', 'true');
  await expect(verdict).toContainText('文件核验通过');
  await expect(page.getByTestId('offline-result')).toContainText(/信用核查报告 XXCC\d{8}/);

  // the code printed at the report's end, with the file: both name the same XXCC number
  await page.getByLabel('二维码内容').fill(qr!);
  await page.getByRole('button', { name: '核验' }).click();
  await expect(verdict).toHaveAttribute('data-ok', 'true');
  await expect(verdict).toContainText('二维码核验通过');
  await expect(page.getByTestId('offline-result')).toContainText('信用核查报告');
  const parts = qr!.split('|');
  parts[4] = (parts[4]!.startsWith('0') ? '1' : '0') + parts[4]!.slice(1);
  await page.getByLabel('二维码内容').fill(parts.join('|'));
  await page.getByRole('button', { name: '核验' }).click();
  await expect(verdict).toHaveAttribute('data-ok', 'false');
  await expect(verdict).toContainText('签名与内容不符');
  await page.getByLabel('二维码内容').fill('');

  const tampered = Buffer.from(pdf);
  const at = Math.floor(tampered.length / 2);
  tampered[at] = tampered[at]! ^ 0x01;
  await page.getByLabel('报告文件（PDF，可选）').setInputFiles({ name: 'check.pdf', mimeType: 'application/pdf', buffer: tampered });
  await page.getByRole('button', { name: '核验' }).click();
  await expect(verdict).toHaveAttribute('data-ok', 'false');
  await expect(verdict).toContainText('文件核验未通过');
  await expectAccessible(page);
  await context.setOffline(false);
});
