import { expect, test } from '@playwright/test';
import { expectAccessible, signInAs } from './helpers.js';
import { day, monthsFrom } from '../helpers/dates.js';

// This quarter of the Beijing calendar (an issue can be opened for it on any day the suite runs); a retry runs on the
// same database, where that quarter's issue already exists, so it takes the same quarter of an earlier year.
const quarter = String(Math.ceil(Number(day().slice(5, 7)) / 3));

test('红黑榜: a clerk nominates, the credit office accepts and publishes, the public sees it, an exit removes it', async ({ browser }) => {
  // One browser context per person, so each has their own session (and axe can inspect the page).
  const year = String(Number(day().slice(0, 4)) - test.info().retry);
  const issueName = new RegExp(`${year}年第${quarter}季度`);
  const person = async () => (await browser.newContext()).newPage();
  const clerk = await person();
  await signInAs(clerk, 'clerk', 'Clerk12345!');
  await clerk.goto('/admin/nominations/new');
  await clerk.getByLabel('榜单类别').selectOption('black');
  await clerk.getByLabel('主体名称（姓名）').fill('长垣市恒泰起重机械股份有限公司');
  await clerk.getByLabel('统一社会信用代码').fill('91410783MA40R2KM4P');
  await clerk.getByLabel('法定代表人').fill('赵永刚');
  await clerk.getByLabel('认定文号').fill('新市监认〔2026〕E2E号');
  await clerk.getByLabel('认定单位').fill('新乡市市场监督管理局');
  await clerk.getByLabel('认定日期').fill(day(-55));
  await clerk.getByLabel('列入事由').fill('特种设备严重违法失信');
  await clerk.getByLabel('有效期至').fill(monthsFrom(36, -55));
  await expectAccessible(clerk);
  await clerk.getByRole('button', { name: '提交推荐' }).click();
  await expect(clerk.locator('[data-qa="nomination-status"]')).toContainText('待审核');
  const nominationUrl = clerk.url();

  const office = await person();
  await signInAs(office, 'reviewer', 'Review12345!');
  await office.goto(nominationUrl);
  await office.getByLabel('通过', { exact: true }).check();
  await office.getByLabel('审核意见').fill('材料齐全，同意列入');
  await office.getByRole('button', { name: '提交审核' }).click();
  await expect(office.locator('[data-qa="nomination-status"]')).toContainText('已通过');
  await clerk.reload();
  await expect(clerk.locator('[data-qa="nomination-status"]')).toContainText('已通过');
  // The prior notice (条例 Art. 28), served long enough ago that its objection window has passed.
  await clerk.getByLabel('告知书文号').fill('新市监告〔2026〕E2E号');
  await clerk.getByLabel('拟采取的惩戒措施').fill('依法限制参与政府采购活动');
  await clerk.getByLabel('送达日期').fill(day(-30));
  await clerk.getByRole('button', { name: '登记事前告知书送达' }).click();
  await expect(clerk.locator('[data-qa="prior-notice-status"]')).toContainText('异议期已届满');

  // The credit office keeps a punishment measure that the market-supervision bureau implements.
  await office.goto('/admin/measures');
  await office.getByLabel('类别').selectOption('black');
  await office.getByLabel('实施部门').selectOption({ label: '新乡市市场监督管理局' });
  await office.getByLabel('措施内容').fill('依法限制参与政府采购活动');
  await office.getByLabel('法律依据').fill('《政府采购法》第二十二条');
  await office.getByRole('button', { name: '添加' }).click();
  await expect(office.locator('[data-qa="measures"]')).toContainText('依法限制参与政府采购活动');

  await office.goto('/admin/list-issues');
  await office.getByLabel('年份').fill(year);
  await office.getByLabel('季度').selectOption(quarter);
  await office.getByRole('button', { name: '新建一期' }).click();
  await expect(office.getByRole('heading', { level: 1 })).toContainText(issueName);
  await office.getByLabel(/长垣市恒泰起重机械股份有限公司/).check();
  await office.getByRole('button', { name: '编入本期' }).click();
  await expect(office.locator('[data-qa="issue-entries"]')).toContainText('长垣市恒泰起重机械股份有限公司');
  office.once('dialog', (d) => d.accept());
  await office.getByRole('button', { name: '发布本期榜单' }).click();
  await expect(office.getByText('榜单已发布')).toBeVisible();
  const issueUrl = office.url();

  const visitor = await person();
  await visitor.goto('/lists');
  await visitor.getByRole('link', { name: issueName }).click();
  await expect(visitor.locator('[data-qa="issue-black"]')).toContainText('长垣市恒泰起重机械股份有限公司');
  await expectAccessible(visitor);
  await visitor.goto('/subjects/91410783MA40R2KM4P');
  await expect(visitor.locator('[data-qa="subject-tags"]')).toContainText('失信惩戒对象');
  await expect(visitor.locator('[data-qa="section-black"]')).toContainText('特种设备严重违法失信');

  // The implementing department's clerk sees the task and records the feedback.
  await clerk.goto('/admin/tasks');
  const task = clerk.locator('[data-qa="tasks"] li').filter({ hasText: '长垣市恒泰起重机械股份有限公司' });
  await expect(task).toContainText('依法限制参与政府采购活动');
  await task.getByLabel('实施情况').selectOption('implemented');
  await task.getByLabel('实施日期').fill(day());
  await task.getByLabel('说明').fill('已在采购文件中排除');
  await task.getByRole('button', { name: '提交反馈' }).click();
  await expect(clerk.getByText('已记录反馈')).toBeVisible();
  await office.goto('/admin/measures/stats');
  await expect(office.locator('[data-qa="measure-stats"]')).toContainText('100%');
  await office.goto(issueUrl);

  await office.getByLabel('退出原因').fill('已完成整改并通过信用修复');
  await office.getByRole('button', { name: '退出', exact: true }).click();
  await expect(office.getByText('已退出，退出公告已发布')).toBeVisible();
  await visitor.goto('/lists/black');
  await expect(visitor.getByText('长垣市恒泰起重机械股份有限公司')).toHaveCount(0);
  await visitor.goto('/subjects/91410783MA40R2KM4P');
  await expect(visitor.locator('[data-qa="subject-tags"]')).not.toContainText('失信惩戒对象');
});
