import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { expectAccessible, signInAs } from './helpers.js';
import { day } from '../helpers/dates.js';

// An issue of a year long past (a retry, on the same database, takes the year before): lists.spec.ts opens this
// quarter of this year, and the demo data last quarter.
const SUBJECT = '新乡市鑫达商贸有限公司';
const USCC = '91410700569821479Q';

test('黑名单 by 条例 Art. 28/35/37: prior notice served → PDF → refused inside the window → listed after it → exit notice', async ({ browser }) => {
  const year = String(Number(day().slice(0, 4)) - 3 - test.info().retry);
  const person = async () => (await browser.newContext({ acceptDownloads: true })).newPage();

  const clerk = await person();
  await signInAs(clerk, 'clerk', 'Clerk12345!');
  await clerk.goto('/admin/nominations/new');
  await clerk.getByLabel('榜单类别').selectOption('black');
  await clerk.getByLabel('主体名称（姓名）').fill(SUBJECT);
  await clerk.getByLabel('统一社会信用代码').fill(USCC);
  await clerk.getByLabel('认定文号').fill('新市监认〔2026〕告知E2E号');
  await clerk.getByLabel('认定单位').fill('新乡市市场监督管理局');
  await clerk.getByLabel('认定日期').fill(day(-60));
  await clerk.getByLabel('列入事由').fill('虚假宣传且拒不改正，情节严重');
  await clerk.getByLabel('有效期至').fill(day(1000));
  // Art. 35 needs the responsible persons; an ID number typed with a name is refused.
  await clerk.getByLabel('法定代表人').fill('孙红伟 410702198001011232');
  await clerk.getByRole('button', { name: '提交推荐' }).click();
  await expect(clerk.locator('[data-qa="error-summary"]')).toContainText('法定代表人只填写姓名，不填写证件号码');
  await clerk.getByLabel('法定代表人').fill('孙红伟');
  await clerk.getByLabel('实际控制人').fill('孙红军');
  await clerk.getByRole('button', { name: '提交推荐' }).click();
  await expect(clerk.locator('[data-qa="nomination-status"]')).toContainText('待审核');
  await expect(clerk.locator('[data-qa="tier"]')).toHaveText('严重');
  const nominationUrl = clerk.url();

  const office = await person();
  await signInAs(office, 'reviewer', 'Review12345!');
  await office.goto(nominationUrl);
  await office.getByLabel('通过', { exact: true }).check();
  await office.getByRole('button', { name: '提交审核' }).click();
  await expect(office.locator('[data-qa="nomination-status"]')).toContainText('已通过');

  // The clerk serves the prior notice today and records it; the PDF downloads.
  await clerk.reload();
  await expect(clerk.locator('[data-qa="prior-notice-status"]')).toContainText('尚未登记事前告知书');
  await clerk.getByLabel('告知书文号').fill('新市监告〔2026〕告知E2E号');
  await clerk.getByLabel('拟采取的惩戒措施').fill('依法限制参与政府采购、招标投标');
  await clerk.getByLabel('送达日期').fill(day());
  await clerk.getByLabel('异议期（日）').fill('10');
  await clerk.getByRole('button', { name: '登记事前告知书送达' }).click();
  await expect(clerk.locator('[data-qa="prior-notice-status"]')).toContainText(`已于 ${day()} 送达，异议期 10 日，至 ${day(10)} 届满`);
  await expectAccessible(clerk);
  const [download] = await Promise.all([clerk.waitForEvent('download'), clerk.locator('[data-qa="prior-notice-pdf"]').click()]);
  expect(download.suggestedFilename()).toMatch(/\.pdf$/);
  expect(
    readFileSync((await download.path())!)
      .subarray(0, 5)
      .toString(),
  ).toBe('%PDF-');

  // Inside the window the office cannot list it, and is told from which day it can.
  await office.goto('/admin/list-issues');
  await office.getByLabel('年份').fill(year);
  await office.getByLabel('季度').selectOption('1');
  await office.getByRole('button', { name: '新建一期' }).click();
  await expect(office.getByRole('heading', { level: 1 })).toContainText(`${year}年第1季度`);
  const issueUrl = office.url();
  await office.getByLabel(new RegExp(SUBJECT)).check();
  await office.getByRole('button', { name: '编入本期' }).click();
  await expect(office.getByText(`${day(11)} 起方可列入黑名单`)).toBeVisible();

  // The notice was in fact served earlier (the clerk corrects the date): the window has passed.
  await clerk.getByLabel('送达日期').fill(day(-20));
  await clerk.getByRole('button', { name: '更新事前告知登记' }).click();
  await expect(clerk.locator('[data-qa="prior-notice-status"]')).toContainText('异议期已届满，可编入榜单');

  await office.goto(issueUrl);
  await office.getByLabel(new RegExp(SUBJECT)).check();
  await office.getByRole('button', { name: '编入本期' }).click();
  await expect(office.locator('[data-qa="issue-entries"]')).toContainText(SUBJECT);
  office.once('dialog', (d) => d.accept());
  await office.getByRole('button', { name: '发布本期榜单' }).click();
  await expect(office.getByText('榜单已发布')).toBeVisible();

  // The public sees the entry with its tier and the persons' names — never an ID number.
  const visitor = await person();
  await visitor.goto('/lists');
  // The demo data's red-list entry is in its notice period.
  await expect(visitor.locator('[data-qa="in-notice-entries"]')).toContainText('公示中，公示期至');
  await expectAccessible(visitor);
  await visitor.goto('/lists/black');
  const row = visitor.locator('[data-qa="in-force"] tr').filter({ hasText: SUBJECT });
  await expect(row).toContainText('法定代表人：孙红伟；实际控制人：孙红军');
  await expect(row.locator('[data-qa="tier"]')).toHaveText('严重');
  expect(await visitor.content()).not.toContain('410702198001011232');
  await expectAccessible(visitor);

  // Exit: the notice is published on the issue that listed it.
  await office.goto(issueUrl);
  await office.getByLabel('退出原因').fill('已纠正失信行为并完成信用修复');
  await office.getByRole('button', { name: '退出', exact: true }).click();
  await expect(office.getByText('已退出，退出公告已发布')).toBeVisible();
  await visitor.goto('/lists');
  await visitor.getByRole('link', { name: new RegExp(`${year}年第1季度`) }).click();
  await expect(visitor.locator('[data-qa="notices"]')).toContainText(`${SUBJECT}退出黑名单。原因：已纠正失信行为并完成信用修复`);
  await expect(visitor.locator('[data-qa="issue-black"]')).toContainText('已退出');
  await expectAccessible(visitor);
  await visitor.goto('/lists/black');
  await expect(visitor.getByText(SUBJECT)).toHaveCount(0);
});
