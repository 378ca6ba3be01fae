import { expect, test } from '@playwright/test';
import { expectAccessible, signInAs } from './helpers.js';
import { day, monthsFrom } from '../helpers/dates.js';

test('a clerk reports a penalty, fixes a mistake from the error summary, and the public sees it; withdrawing removes it', async ({ page, browser }) => {
  // A retry runs on the same database, where the first attempt's 文书号 may already be withdrawn (and cannot return).
  const attempt = test.info().retry === 0 ? '' : `-${test.info().retry}`;
  const documentNo = `新市监罚〔2026〕E2E-1${attempt}号`;
  const subjectName = `新乡市端到端报送${attempt ? `第${test.info().retry + 1}次` : ''}有限公司`;
  await signInAs(page, 'clerk', 'Clerk12345!');
  await page.getByRole('navigation', { name: '后台导航' }).getByRole('link', { name: '行政处罚' }).click();
  await page.getByRole('link', { name: '报送行政处罚' }).click();
  // The 市场监管局 reports for county bureaus too: its own name is the one picked first.
  await expect(page.locator('#authorityCode option:checked')).toHaveText(/^新乡市市场监督管理局（/);

  await page.locator('#subjectName').fill(subjectName);
  await page.locator('#uscc').fill('91410700174608534F'); // wrong check character
  await page.locator('#legalRepresentative').fill('王建国');
  await page.locator('#documentNo').fill(documentNo);
  await page.locator('#violationType').fill('销售过期食品');
  await page.locator('#facts').fill('当事人销售超过保质期的食品');
  await page.locator('#basis').fill('《中华人民共和国食品安全法》第一百二十四条');
  await page.getByRole('checkbox', { name: '罚款' }).check();
  await page.locator('#content').fill('罚款人民币 5000 元');
  await page.locator('#fineAmount').fill('0.5');
  await page.locator('#decisionDate').fill(day(-12));
  await page.locator('#validUntil').fill(monthsFrom(12, -13));
  await page.getByRole('button', { name: '报送', exact: true }).click();

  await expect(page).toHaveTitle(/^错误：/);
  const summary = page.getByRole('alert');
  await expect(summary).toContainText('第18位校验码应为 E');
  await expect(page.locator('#facts')).toHaveValue('当事人销售超过保质期的食品');
  await summary.getByRole('link', { name: /第18位校验码/ }).click();
  await expect(page.locator('#uscc')).toBeFocused();
  await page.locator('#uscc').fill('91410700174608534E');
  await page.getByRole('button', { name: '报送', exact: true }).click();
  await expect(page.getByText('已报送行政处罚')).toBeVisible();

  // Found by its name, not by its place in the list: demo records dated nearer today come first.
  const visitor = await browser.newPage();
  await visitor.goto(`/publicity/penalties?q=${encodeURIComponent(subjectName)}`);
  await expect(visitor.getByRole('link', { name: subjectName })).toBeVisible();
  await visitor.getByRole('link', { name: subjectName }).click();
  await expect(visitor.locator('[data-qa="record-fields"]')).toContainText(documentNo);
  const publicUrl = visitor.url();

  page.once('dialog', (d) => d.accept());
  await page.locator('#reason').fill('行政复议撤销原处罚决定');
  await page.getByRole('button', { name: '撤回' }).click();
  await expect(page.getByText('已撤回').first()).toBeVisible();
  const gone = await visitor.goto(publicUrl);
  expect(gone?.status()).toBe(404);
  await visitor.goto(`/publicity/penalties?q=${encodeURIComponent(subjectName)}`);
  await expect(visitor.locator('[data-qa="no-results"]')).toBeVisible();
  await expect(visitor.getByText(documentNo)).toHaveCount(0);
  await visitor.close();
});

test('a new penalty with a 文书号 already reported is not saved until the clerk confirms the correction', async ({ page }) => {
  const documentNo = `新市监罚〔2026〕E2E-重${test.info().retry}-${Date.now() % 100000}号`;
  await signInAs(page, 'clerk', 'Clerk12345!');
  const fill = async (content: string) => {
    await page.goto('/admin/penalties/new');
    await page.locator('#subjectName').fill('新乡市端到端文书号重复有限公司');
    await page.locator('#uscc').fill('91410700174608534E');
    await page.locator('#legalRepresentative').fill('王建国');
    await page.locator('#documentNo').fill(documentNo);
    await page.locator('#violationType').fill('销售过期食品');
    await page.locator('#facts').fill('当事人销售超过保质期的食品');
    await page.locator('#basis').fill('《中华人民共和国食品安全法》第一百二十四条');
    await page.getByRole('checkbox', { name: '罚款' }).check();
    await page.locator('#content').fill(content);
    await page.locator('#fineAmount').fill('0.5');
    await page.locator('#decisionDate').fill(day(-12));
    await page.locator('#validUntil').fill(monthsFrom(12, -13));
    await page.getByRole('button', { name: '报送', exact: true }).click();
  };
  await fill('罚款人民币 5000 元');
  await expect(page.getByText('已报送行政处罚')).toBeVisible();
  const recordUrl = new URL(page.url()).pathname;

  await fill('罚款人民币 6000 元');
  await expect(page).toHaveTitle(/^错误：/);
  await expect(page.getByRole('alert')).toContainText('确认更正该记录');
  await expect(page.locator('#content')).toHaveValue('罚款人民币 6000 元');
  await expect(page.locator('[data-qa="duplicate-link"]')).toHaveAttribute('href', recordUrl);
  await expectAccessible(page);
  await page.getByRole('checkbox', { name: /确认更正该记录/ }).check();
  await page.getByRole('button', { name: '报送', exact: true }).click();
  await expect(page.getByText('已按更正处理')).toBeVisible();
  expect(new URL(page.url()).pathname).toBe(recordUrl);
  await expect(page.locator('body')).toContainText('罚款人民币 6000 元');
});

test('the 双公示 pages and back-office forms have no serious accessibility violations', async ({ page }) => {
  for (const path of ['/publicity', '/publicity/penalties', '/publicity/permits?from=2099-01-01']) {
    await page.goto(path);
    await expectAccessible(page);
  }
  await page.goto('/publicity/penalties');
  await page.locator('[data-qa="publicity-table"] a').first().click();
  await expect(page.locator('[data-qa="record-fields"]')).toBeVisible();
  await expectAccessible(page);
  await signInAs(page, 'clerk', 'Clerk12345!');
  for (const path of ['/admin/penalties/new', '/admin/permits', '/admin/imports/new']) {
    await page.goto(path);
    await expectAccessible(page);
  }
  await page.goto('/admin/penalties/new');
  await page.getByRole('button', { name: '报送', exact: true }).click();
  await expect(page).toHaveTitle(/^错误：/);
  await expectAccessible(page);
});

test('the credit office’s severity-tier rules: listed with their days, a refused rule shows its errors, all accessible', async ({ page }) => {
  await signInAs(page, 'reviewer', 'Review12345!');
  await page.goto('/admin/tier-rules');
  await expect(page.locator('[data-qa="tier-rules"]')).toContainText('吊销许可证件');
  await expectAccessible(page);
  await page.locator('#kind').selectOption('fine');
  await page.getByLabel(/罚款金额标准/).fill('abc');
  await page.getByLabel('生效日期').fill('2026-01-01');
  await page.getByRole('button', { name: '添加' }).click();
  await expect(page).toHaveTitle(/^错误：/);
  await expect(page.locator('.error-summary')).toContainText('生效日期不能早于 2026-04-01');
  await expectAccessible(page);
});
