/// <reference lib="dom" />
import { expect, test, type Page } from '@playwright/test';
import { attempt, expectAccessible, signInAs } from './helpers.js';

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
const PAGES = ['/sitemap', '/contact', '/feedback', '/feedback/status'];

test('the sitemap, contact and feedback pages are axe clean and fit a 375-px phone', async ({ page }) => {
  for (const path of PAGES) {
    await page.goto(path);
    await expectAccessible(page);
  }
  await page.setViewportSize({ width: 375, height: 740 });
  for (const path of PAGES) {
    await page.goto(path);
    expect(await overflow(page), path).toBeLessThanOrEqual(0);
    await expectAccessible(page);
  }
});

test('the sitemap reaches every column and the friend sites', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('contentinfo').getByRole('link', { name: '网站地图' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '网站地图' })).toBeVisible();
  const map = page.getByTestId('sitemap');
  for (const name of ['双公示', '红黑榜', '信用查询', '信用承诺', '异议与修复', '政策法规', '县市区信用', '联系我们']) {
    await expect(map.getByRole('link', { name, exact: true })).toBeVisible();
  }
  await expect(map.getByRole('link', { name: /信用中国/ })).toHaveAttribute('href', 'https://www.creditchina.gov.cn');
  await expect(map.getByRole('link', { name: /信用河南/ })).toHaveAttribute('href', 'https://www.xyhn.gov.cn');
  await map.getByRole('link', { name: '县市区信用' }).click();
  await expect(page).toHaveURL(/\/counties$/);
});

test('the feedback journey: a mistake, the corrected report, its number, the office answers, the visitor reads it', async ({ page, browser }) => {
  const text = `政策法规栏目第 3 页的标题显示为乱码${attempt()}`;
  await page.goto('/');
  await page.getByRole('contentinfo').getByRole('link', { name: '我为政府网站找错' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '我为政府网站找错' })).toBeVisible();

  // A first try without a type: the Chinese summary, the typed values kept.
  await page.getByLabel('出错页面网址').fill('/policies?page=3');
  await page.getByLabel('问题描述').fill(text);
  await page.getByRole('button', { name: '提交' }).click();
  await expect(page.getByTestId('error-summary')).toContainText('请选择问题类型');
  await expect(page.getByLabel('出错页面网址')).toHaveValue('/policies?page=3');
  await expect(page.getByLabel('问题描述')).toHaveValue(text);
  await expectAccessible(page);

  await page.getByLabel('问题类型').selectOption({ label: '内容错误' });
  await page.getByRole('button', { name: '提交' }).click();
  await expect(page.getByTestId('flash')).toContainText('已收到您的反馈');
  const ref = (await page.getByTestId('feedback-ref').textContent())!.trim();
  await expect(page.getByTestId('feedback-state')).toHaveText('待处理');
  await expectAccessible(page);

  // The office in its own browser context: another person, another session.
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL, locale: 'zh-CN' });
  const office = await context.newPage();
  try {
    await signInAs(office, 'reviewer', 'Review12345!');
    await office.getByRole('link', { name: '网站找错', exact: true }).click();
    await office.getByRole('link', { name: ref }).click();
    await expect(office.getByTestId('feedback-item')).toContainText(text);
    await expectAccessible(office);
    await office.getByLabel('办理状态').selectOption({ label: '已答复' });
    await office.getByLabel('答复内容（提交人可见）').fill('已修正标题编码，感谢反馈。');
    await office.getByRole('button', { name: '保存' }).click();
    await expect(office.getByTestId('flash')).toContainText(`已答复反馈 ${ref}`);
    await expect(office.getByTestId('feedback-admin-state')).toHaveText('已答复');
  } finally {
    await context.close();
  }

  await page.goto('/feedback/status');
  await page.getByLabel('查询编号').fill(ref.toLowerCase());
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page.getByTestId('feedback-state')).toHaveText('已答复');
  await expect(page.getByTestId('feedback-reply')).toHaveText('已修正标题编码，感谢反馈。');
});
