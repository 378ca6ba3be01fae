import { expect, test } from '@playwright/test';
import { expectAccessible, signInAs } from './helpers.js';
import { institutionUscc } from '../../src/domain/xinxiang.js';
import { beijingToday } from '../../src/domain/dates.js';

const XINXIANG_COUNTY = { name: '新乡县市场监督管理局', uscc: institutionUscc('410721', '新乡县市场监督管理局') };

test('an admin lets the 市场监管局 report for a county bureau', async ({ page }) => {
  await signInAs(page, 'admin', 'Admin12345!');
  await page.goto('/admin/departments');
  await page.locator('[data-qa="departments-table"] tr', { hasText: '新乡市市场监督管理局' }).getByRole('link').click();
  await expect(page.getByRole('heading', { name: '可报送机关：新乡市市场监督管理局' })).toBeVisible();
  await expect(page.locator('[data-qa="authorities-table"]')).toContainText('获嘉县市场监督管理局');

  await page.getByLabel('机关名称').fill(XINXIANG_COUNTY.name);
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page).toHaveTitle(/^错误：/);
  await expect(page.getByRole('alert')).toContainText('请填写统一社会信用代码');
  await expect(page.getByLabel('机关名称')).toHaveValue(XINXIANG_COUNTY.name);
  await expectAccessible(page);
  await page.getByLabel('统一社会信用代码').fill(XINXIANG_COUNTY.uscc);
  await page.getByLabel('行政许可（许可机关）').uncheck();
  await page.getByRole('button', { name: '保存' }).click();
  // 已更新 when a retry adds it a second time.
  await expect(page.getByText(new RegExp(`已(添加|更新)可报送机关：${XINXIANG_COUNTY.name}`))).toBeVisible();
});

test('the 市场监管局 clerk then picks the county bureau from the list and reports in its name', async ({ page: clerk }) => {
  await signInAs(clerk, 'clerk', 'Clerk12345!');
  await clerk.goto('/admin/permits/new');
  await expect(clerk.locator('#authorityCode option', { hasText: XINXIANG_COUNTY.name })).toHaveCount(0);
  await clerk.goto('/admin/penalties/new');
  await clerk.locator('#authorityCode').selectOption({ label: `${XINXIANG_COUNTY.name}（${XINXIANG_COUNTY.uscc}）` });
  const today = beijingToday();
  await clerk.locator('#subjectName').fill('新乡县端到端机关测试有限公司');
  await clerk.locator('#uscc').fill('91410700174608534E');
  await clerk.locator('#legalRepresentative').fill('王建国');
  await clerk.locator('#documentNo').fill('新县市监罚〔2026〕E2E-9号');
  await clerk.locator('#violationType').fill('未按规定公示信息');
  await clerk.locator('#facts').fill('当事人未按规定公示年度报告');
  await clerk.locator('#basis').fill('《企业信息公示暂行条例》第十八条');
  await clerk.getByRole('checkbox', { name: '警告' }).check();
  await clerk.locator('#content').fill('警告');
  await clerk.locator('#decisionDate').fill(today);
  await clerk.locator('#validUntil').fill('2099-12-31');
  await clerk.getByRole('button', { name: '报送', exact: true }).click();
  await expect(clerk.getByText('已报送行政处罚')).toBeVisible();
  await expect(clerk.locator('body')).toContainText(XINXIANG_COUNTY.name);
});

test('an admin resets a user’s password on an accessible form', async ({ page }) => {
  await signInAs(page, 'admin', 'Admin12345!');
  await page.goto('/admin/users');
  await page.locator('[data-qa="user-clerk2"]').getByRole('link', { name: '重置密码' }).click();
  await expect(page.getByRole('heading', { name: /重置密码：clerk2/ })).toBeVisible();
  await page.getByRole('button', { name: '重置密码' }).click();
  await expect(page).toHaveTitle(/^错误：/);
  await expectAccessible(page);
});
