import { expect, test } from '@playwright/test';
import { expectAccessible } from './helpers.js';

test('home page: shell, live counts, search box, no serious accessibility violations', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto('/');
  await expect(page).toHaveTitle(/信用新乡/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  const nav = page.getByRole('navigation', { name: '主导航' });
  for (const item of ['首页', '双公示', '红黑榜', '信用查询', '信用承诺', '政策法规']) await expect(nav.getByRole('link', { name: item })).toBeVisible();
  await expect(page.getByText('新乡市社会信用体系建设领导小组办公室')).toBeVisible();
  const legal = Number((await page.getByTestId('count-legalPersons').innerText()).replace(/\D/g, ''));
  expect(legal).toBeGreaterThan(1000);
  await expect(page.locator('[data-qa="search-box"] input[name="q"]').first()).toBeVisible();
  await expectAccessible(page);
  expect(errors, 'no CSP violations or script errors').toEqual([]);
});

test('login page has no serious accessibility violations', async ({ page }) => {
  await page.goto('/admin/login');
  await expect(page.getByRole('heading', { name: '后台登录' })).toBeVisible();
  await expectAccessible(page);
});

test('404 page in Chinese, accessible', async ({ page }) => {
  const res = await page.goto('/no-such-page');
  expect(res?.status()).toBe(404);
  await expect(page.getByText('页面不存在').first()).toBeVisible();
  await expectAccessible(page);
});

test('a clerk signs in, sees the dashboard scoped to their department, and signs out', async ({ page }) => {
  await page.goto('/admin');
  await expect(page).toHaveURL(/\/admin\/login\?next=%2Fadmin/);
  await page.getByLabel('用户名').fill('clerk');
  await page.getByLabel('密码').fill('wrong-password');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByText('用户名或密码不正确').first()).toBeVisible();
  await expect(page.getByLabel('用户名')).toHaveValue('clerk');
  await page.getByLabel('密码').fill('Clerk12345!');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole('heading', { name: '控制台' })).toBeVisible();
  await expect(page.getByText('本部门').first()).toBeVisible();
  await expectAccessible(page);
  // A clerk has no user management.
  const res = await page.goto('/admin/users');
  expect(res?.status()).toBe(403);
  await page.goto('/admin');
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page).toHaveURL(/\/$/);
  const back = await page.goto('/admin');
  expect(back?.url()).toMatch(/\/admin\/login/);
});

test('an admin creates a clerk, who can then sign in; the audit log shows both', async ({ page, browser }) => {
  await page.goto('/admin/login');
  await page.getByLabel('用户名').fill('admin');
  await page.getByLabel('密码').fill('Admin12345!');
  await page.getByRole('button', { name: '登录' }).click();
  await page.goto('/admin/users/new');
  await page.getByLabel('用户名').fill('wang.wu');
  await page.getByLabel('姓名').fill('王五');
  await page.getByLabel('角色').selectOption('clerk');
  await page.getByRole('button', { name: '创建' }).click();
  // Missing department and password: errors listed, typed values kept.
  await expect(page).toHaveTitle(/^错误：/);
  await expect(page.getByRole('alert')).toContainText('部门填报员必须属于一个部门');
  await expect(page.getByLabel('姓名')).toHaveValue('王五');
  await page.getByLabel('所属部门').selectOption({ label: '新乡市住房和城乡建设局' });
  await page.getByLabel('初始密码').fill('WangWu123456');
  await page.getByLabel('确认密码').fill('WangWu123456');
  await page.getByRole('button', { name: '创建' }).click();
  await expect(page.getByText('已创建用户 wang.wu')).toBeVisible();

  const other = await browser.newPage();
  await other.goto('/admin/login');
  await other.getByLabel('用户名').fill('wang.wu');
  await other.getByLabel('密码').fill('WangWu123456');
  await other.getByRole('button', { name: '登录' }).click();
  await expect(other.getByRole('heading', { name: '控制台' })).toBeVisible();
  await other.close();

  await page.goto('/admin/audit?user=wang.wu');
  await expect(page.locator('[data-qa="audit-table"]')).toContainText('登录成功');
  await page.goto('/admin/audit?action=user.create');
  await expect(page.locator('[data-qa="audit-table"]')).toContainText('创建用户');
});
