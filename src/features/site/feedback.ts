import { randomInt } from 'node:crypto';
import { z } from 'zod';
import { compactDay } from '../../domain/dates.js';

/** 「我为政府网站找错」's problem types (政府网站发展指引's 错情 categories, simplified for visitors). */
export const FEEDBACK_TYPES = {
  brokenLink: '链接无法打开',
  wrongContent: '内容错误',
  outdated: '信息未及时更新',
  accessibility: '无障碍或显示问题',
  other: '其他问题',
} as const;
export type FeedbackTypeKey = keyof typeof FEEDBACK_TYPES;

export const FEEDBACK_STATUSES = { open: '待处理', processing: '处理中', answered: '已答复' } as const;
export type FeedbackStatusKey = keyof typeof FEEDBACK_STATUSES;

/** The form's fields; the description is typed into `content`, a name the multi-line fields already know (platform/forms.ts). */
export const FEEDBACK_FIELDS = ['pageUrl', 'problemType', 'content', 'contact'] as const;

/** ZC + the Beijing day + six characters without look-alikes (0/O, 1/I): hard to guess, easy to read out on the phone. */
export const REF_RE = /^ZC\d{8}[2-9A-HJ-NP-Z]{6}$/;
const REF_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

export function newRefNo(today: string): string {
  let tail = '';
  for (let i = 0; i < 6; i++) tail += REF_ALPHABET[randomInt(REF_ALPHABET.length)];
  return `ZC${compactDay(today)}${tail}`;
}

/**
 * The page a problem was seen on: a path of this site or a full http(s) address. Anything else (javascript:,
 * data:) is refused so the back office never renders it as a link.
 */
const pageUrl = z
  .string()
  .trim()
  .min(1, '请填写出错页面的网址')
  .max(500, '网址最多 500 个字符')
  .refine((v) => v.startsWith('/') || /^https?:\/\/[^\s]+$/i.test(v), { message: '网址应以 http://、https:// 或 / 开头' });

export const feedbackSchema = z.object({
  pageUrl,
  problemType: z.enum(Object.keys(FEEDBACK_TYPES) as [FeedbackTypeKey, ...FeedbackTypeKey[]], { error: '请选择问题类型' }),
  content: z.string().trim().min(5, '问题描述至少 5 个字').max(2000, '问题描述最多 2000 个字'),
  contact: z
    .string()
    .trim()
    .max(100, '联系方式最多 100 个字符')
    .optional()
    .transform((v) => v || null),
});
export type FeedbackInput = z.output<typeof feedbackSchema>;

export const answerSchema = z
  .object({
    status: z.enum(['processing', 'answered'], { error: '请选择办理状态' }),
    answer: z.string().trim().max(2000, '答复内容最多 2000 个字'),
  })
  .superRefine((v, ctx) => {
    if (v.status === 'answered' && !v.answer) ctx.addIssue({ code: 'custom', path: ['answer'], message: '答复时请填写答复内容' });
  });
