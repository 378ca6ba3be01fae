import { randomInt } from 'node:crypto';
import { z } from 'zod';
import type { WorkdayCalendar } from '../../domain/workdays.js';
import { ConflictError } from '../../platform/errors.js';
import type { FormErrors } from '../../platform/forms.js';

/**
 * What every kind of case shares: the public case number an applicant follows the case with, the applicant's
 * contact fields, and deadlines counted in working days. The workflow built on them is service.ts and routes.ts;
 * what differs between kinds is each kind's definition (kind.ts).
 */

/** One two-letter prefix per kind: 异议 YY, 信用修复 XF, 档案化申请 GD (a new kind takes its own, and CASE_NO_RE learns it). */
export type CasePrefix = 'YY' | 'XF' | 'GD';

// No 0/O, 1/I/L: a case number is read out over the phone.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/**
 * prefix + the Beijing date + 6 random characters: sortable by day when read, but not guessable, because the
 * case page is public and shows who disputes what.
 */
export function newCaseNo(prefix: CasePrefix, today: string): string {
  let tail = '';
  for (let i = 0; i < 6; i++) tail += ALPHABET[randomInt(ALPHABET.length)];
  return `${prefix}${today.replace(/-/g, '')}${tail}`;
}

export const CASE_NO_RE = /^(YY|XF|GD)\d{8}[A-Z2-9]{6}$/;

export interface Deadline {
  /** YYYY-MM-DD */
  by: string;
  /** e.g. 剩余 2 个工作日 / 今日到期 / 已超期 3 个工作日 */
  text: string;
  overdue: boolean;
  /** the last day to act is today (the dashboards single these out beside the overdue ones) */
  dueToday: boolean;
}

/** A deadline as the back office shows it; `open` is false once the step is done (then it is just a date). */
export function deadline(by: string, today: string, calendar: WorkdayCalendar, open = true): Deadline {
  if (!open) return { by, text: `期限 ${by}`, overdue: false, dueToday: false };
  if (today > by) return { by, text: `已超期 ${Math.max(1, calendar.workingDaysBetween(by, today))} 个工作日`, overdue: true, dueToday: false };
  const left = calendar.workingDaysBetween(today, by);
  return { by, text: left === 0 ? '今日到期' : `剩余 ${left} 个工作日`, overdue: false, dueToday: left === 0 };
}

const PHONE_RE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;

/** The applicant's fields, common to every filing form. */
export const APPLICANT_FIELDS = ['subjectCode', 'applicantName', 'phone', 'email'] as const;

export const applicantShape = {
  applicantName: z.string().trim().min(1, '请填写联系人姓名').max(50, '联系人姓名最多 50 个字'),
  phone: z
    .string()
    .trim()
    .min(1, '请填写联系电话')
    .refine((v) => PHONE_RE.test(v), '联系电话应为 11 位手机号码或带区号的固定电话，例如 0373-3030000'),
  email: z
    .string()
    .trim()
    .max(100, '电子邮箱最多 100 个字符')
    .refine((v) => v === '' || z.email().safeParse(v).success, '电子邮箱格式不正确')
    .optional()
    .transform((v) => v || null),
  subjectCode: z.string().trim().min(1, '请填写该记录相对人的统一社会信用代码或证件号码').max(64, '代码最多 64 个字符'),
};

/** Applicant name shown on public case pages: the family name only. */
export function maskName(name: string): string {
  const cs = [...name];
  return cs.length <= 1 ? '*' : cs[0] + '*'.repeat(cs.length - 1);
}

/** Runs a case step; a conflict (already decided, record not yet corrected…) comes back as form errors to show on the page (409). */
export async function conflictAsForm<T>(step: () => Promise<T>): Promise<T | { conflict: FormErrors }> {
  try {
    return await step();
  } catch (err) {
    if (!(err instanceof ConflictError)) throw err;
    return { conflict: { fields: { _form: err.message }, list: [{ href: '#main', text: err.message }] } };
  }
}
