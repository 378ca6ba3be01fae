import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, signInAs } from './helpers.js';
import { WorkdayCalendar } from '../../src/domain/workdays.js';
import { beijingToday } from '../../src/domain/dates.js';

// A 1×1 PNG, as a scanned document would be attached.
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f8b1b10000000049454e44ae426082',
  'hex',
);

/**
 * 条例 Art. 41 in the browser: the public files an objection, the credit office forwards it to the department,
 * the department answers, the office settles it — with the due dates in working days shown at each step. The
 * demo database has no holiday overrides, so the server's calendar is the built-in one this test computes with;
 * the dates are those of the day the test runs (Beijing), counted from receipt or notice.
 */
const cal = new WorkdayCalendar();

/** Opens the newest public penalty of 市场监管局 (the demo clerk's department); returns its URL and subject. */
async function openPenalty(page: Page): Promise<{ url: string; uscc: string }> {
  await page.goto('/publicity/penalties');
  const deptId = await page.locator('#dept option', { hasText: '新乡市市场监督管理局' }).getAttribute('value');
  await page.goto(`/publicity/penalties?category=${encodeURIComponent('法人及非法人组织')}&dept=${deptId}`);
  // Another row than the other objection journey's (objections.spec.ts takes none any more), and another on a retry.
  await page
    .locator('[data-qa="publicity-table"] tbody tr')
    .nth(1 + test.info().retry)
    .getByRole('link')
    .click();
  const uscc = await page
    .locator('.field-list__row')
    .filter({ has: page.locator('dt', { hasText: /^统一社会信用代码$/ }) })
    .locator('dd')
    .innerText();
  return { url: page.url(), uscc: uscc.trim() };
}

test('异议 deadlines: filed by the public, forwarded to the department, answered, settled by the office — due dates on the way', async ({ browser }) => {
  const person = async () => (await browser.newContext()).newPage();
  const received = beijingToday();
  const officeBy = cal.addWorkingDays(received, 3);
  const caseBy = cal.addWorkingDays(received, 7);

  // The public files; the record is marked at once, and the status page gives the office's due date.
  const subject = await person();
  const rec = await openPenalty(subject);
  await subject.getByRole('link', { name: '我要异议' }).click();
  await expect(subject.getByText(/自收到之日起 3 个工作日内办结/)).toBeVisible();
  await subject.getByLabel(/行政相对人的统一社会信用代码/).fill(rec.uscc);
  await subject.getByLabel('联系人').fill('赵敏');
  await subject.getByLabel('联系电话').fill('13837300001');
  await subject.getByLabel('异议理由').fill('公示的违法事实与处罚决定书记载不一致，请核查更正');
  await subject.getByLabel(/证明材料/).setInputFiles({ name: '处罚决定书.png', mimeType: 'image/png', buffer: PNG });
  await subject.getByRole('button', { name: '提交异议' }).click();
  await expect(subject.locator('[data-qa="case-status"]')).toHaveText('待信用办处理');
  await expect(subject.locator('[data-qa="public-accept-by"]')).toHaveText(officeBy);
  const caseNo = (await subject.locator('[data-qa="case-no"]').innerText()).trim();
  await expectAccessible(subject);
  await subject.goto(rec.url);
  await expect(subject.locator('[data-qa="objection-pending"]')).toHaveText('异议处理中');

  // The credit office: the dashboard counts it, the case shows 3 working days left, and it forwards the case.
  const office = await person();
  await signInAs(office, 'reviewer', 'Review12345!');
  await expect(office.locator('[data-qa="todo"]')).toContainText('待处理的异议');
  await office.goto('/admin/objections');
  await office.getByRole('link', { name: caseNo }).click();
  await expect(office.locator('[data-qa="accept-by"]')).toContainText(officeBy);
  await expect(office.locator('[data-qa="accept-due"]')).toHaveText('剩余 3 个工作日');
  await expectAccessible(office);
  await office.getByLabel('转数据来源单位核查').check();
  await office.getByRole('button', { name: '提交' }).click();
  await expect(office.locator('[data-qa="objection-status"]')).toHaveText('已转数据来源单位核查');
  await expect(office.locator('[data-qa="settle-by"]')).toContainText(caseBy);

  // The department: its dashboard shows what waits for its answer; 3 working days from the notice, 7 for the case.
  const clerk = await person();
  await signInAs(clerk, 'clerk', 'Clerk12345!');
  await expect(clerk.locator('[data-qa="todo"]')).toContainText('待核查答复的异议');
  // The demo data holds an overdue case for this department, and one due today when today is a working day (a
  // due date always is one): said in words, not colour alone.
  await expect(clerk.locator('[data-qa="todo-overdue"]').first()).toContainText('已超期');
  if (cal.isWorkday(received)) await expect(clerk.locator('[data-qa="todo-due-today"]').first()).toContainText('今日到期');
  else await expect(clerk.locator('[data-qa="todo-due-today"]')).toHaveCount(0);
  await expectAccessible(clerk);
  await clerk.goto('/admin/objections');
  await clerk.getByRole('link', { name: caseNo }).click();
  await expect(clerk.locator('[data-qa="answer-by"]')).toContainText(cal.addWorkingDays(received, 3));
  await expect(clerk.locator('[data-qa="answer-due"]')).toHaveText('剩余 3 个工作日');
  await expect(clerk.locator('[data-qa="settle-due"]')).toHaveText('剩余 7 个工作日');
  await clerk.getByLabel('维持原记录').check();
  await clerk.getByLabel('核查意见').fill('经核查，违法事实与处罚决定书一致，维持原记录');
  await expectAccessible(clerk);
  await clerk.getByRole('button', { name: '提交答复' }).click();
  await expect(clerk.locator('[data-qa="objection-status"]')).toHaveText('数据来源单位已答复，待信用办办结');

  // Still being handled: the applicant sees the answer and the case's due date; the record stays marked.
  await subject.goto(`/objections/${caseNo}`);
  await expect(subject.locator('[data-qa="case-answer"]')).toContainText('违法事实与处罚决定书一致');
  await expect(subject.locator('[data-qa="public-settle-by"]')).toHaveText(caseBy);
  await subject.goto(rec.url);
  await expect(subject.locator('[data-qa="objection-pending"]')).toHaveText('异议处理中');

  // The office settles within the case's 7 working days.
  await office.goto('/admin/objections');
  await office.getByRole('link', { name: caseNo }).click();
  await expect(office.locator('[data-qa="settle-due"]')).toHaveText('剩余 7 个工作日');
  await office.getByLabel('维持原记录').check();
  await office.getByLabel('办结意见').fill('经数据来源单位核查，原记录无误，维持');
  await office.getByRole('button', { name: '办结', exact: true }).click();
  await expect(office.locator('[data-qa="objection-status"]')).toHaveText('已办结，维持原记录');

  await subject.goto('/objections');
  await subject.getByLabel('案件编号').fill(caseNo);
  await subject.getByRole('button', { name: '查询' }).click();
  await expect(subject.locator('[data-qa="case-status"]')).toHaveText('已办结，维持原记录');
  await expectAccessible(subject);
  await subject.goto(rec.url);
  await expect(subject.locator('[data-qa="objection-pending"]')).toHaveCount(0);
});

test('暂停计时: the office pauses a case for an expert review and resumes it; the revocation report lists the demo revocations', async ({ browser }) => {
  const office = await (await browser.newContext()).newPage();
  await signInAs(office, 'reviewer', 'Review12345!');
  // The demo case paused for an inspection shows the pause and no running deadline.
  await office.goto('/admin/objections?status=accepted');
  await expect(office.locator('[data-qa="objections"]')).toContainText('已转数据来源单位核查');
  await office.goto('/admin/revocations');
  await expect(office.locator('[data-qa="revocations"]')).toContainText('按时');
  await expect(office.locator('[data-qa="revocations"]')).toContainText('超期');
  await expectAccessible(office);

  // A submitted demo case: pause it for an expert review, then resume it.
  await office.goto('/admin/objections?status=submitted');
  await office.locator('[data-qa="objections"] tbody tr').first().getByRole('link').click();
  await office.getByLabel('暂停事由').selectOption({ label: '专家评审' });
  await office.getByLabel('具体事项').fill('委托专家评审处罚裁量是否适当');
  await expectAccessible(office);
  await office.getByRole('button', { name: '暂停计时' }).click();
  await expect(office.locator('[data-qa="paused"]')).toHaveText('暂停计时中');
  await expect(office.locator('[data-qa="pauses"]')).toContainText('专家评审：委托专家评审处罚裁量是否适当');
  await office.getByRole('button', { name: '恢复计时' }).click();
  await expect(office.locator('[data-qa="paused"]')).toHaveCount(0);
  await expect(office.locator('[data-qa="pauses"]')).toContainText('不计 0 个工作日');

  // The department's record page offers 登记撤销 (条例 Art. 42), with the day the update reached the platform.
  const clerk = await (await browser.newContext()).newPage();
  await signInAs(clerk, 'clerk', 'Clerk12345!');
  await clerk.goto('/admin/penalties?status=public');
  await clerk.locator('[data-qa="admin-records"] tbody tr').first().getByRole('link').first().click();
  await expect(clerk.getByRole('heading', { name: '登记撤销' })).toBeVisible();
  await expect(clerk.getByLabel('平台收到撤销信息之日')).toHaveValue(beijingToday());
  await expectAccessible(clerk);
});
