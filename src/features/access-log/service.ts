import type { Logger } from '../../platform/logger.js';
import { addDays, addMonths, beijingToday } from '../../domain/dates.js';
import { ACCESS_CHANNELS, ACCESS_CHANNEL_LABELS, type AccessChannel } from './channels.js';
import type { AccessLogRepository, AccessNote } from './repository.js';

/** The report's section of 条例 Art. 40: the last 12 months' uses by channel, with the departments by name. */
export interface AccessUsage {
  from: string;
  to: string;
  total: number;
  channels: { channel: AccessChannel; label: string; count: number; actors: { name: string; count: number }[] }[];
  /** every department that used the information, by name, once */
  departments: string[];
}

/**
 * 条例 Art. 40: counts every use of a subject's information — public profile views, issued reports, credit checks by
 * department, API calls by key owner — and summarises the last 12 months for the credit report. Counting never fails
 * the request it counts: an error is logged and the page is served.
 */
export class AccessLogService {
  constructor(
    private readonly repo: AccessLogRepository,
    private readonly log: Logger,
  ) {}

  async note(usccs: readonly string[], n: AccessNote, today = beijingToday()): Promise<void> {
    try {
      await this.repo.note(usccs, today, n);
    } catch (err) {
      this.log.warn('access log failed', { channel: n.channel, message: (err as Error).message });
    }
  }

  /** The public portal (anonymous). */
  portal(uscc: string): Promise<void> {
    return this.note([uscc], { channel: 'portal', actorKey: '', actorName: '社会公众' });
  }

  /** A credit check by a department's user (the credit office when the user has no department). */
  creditCheck(usccs: readonly string[], department: { id: number | null; name: string | null }): Promise<void> {
    return this.note(usccs, {
      channel: 'credit_check',
      actorKey: department.id ? `d${department.id}` : 'd0',
      actorName: department.name ?? '信用办',
    });
  }

  /** The API, by the key's owner (its department). */
  api(uscc: string, key: { id: number; departmentId: number }): Promise<void> {
    return this.note([uscc], { channel: 'api', actorKey: `k${key.id}`, actorName: '接口调用单位', departmentId: key.departmentId });
  }

  /** An issued credit report (anyone may download one; the portal is free). */
  report(uscc: string): Promise<void> {
    return this.note([uscc], { channel: 'report', actorKey: '', actorName: '社会公众' });
  }

  /** The last 12 months up to `today` (Beijing days). */
  async usage(legalPersonId: number, today = beijingToday()): Promise<AccessUsage> {
    const from = addDays(addMonths(today, -12), 1);
    const rows = await this.repo.summary(legalPersonId, from, today);
    const channels = ACCESS_CHANNELS.map((channel) => {
      const mine = rows.filter((r) => r.channel === channel);
      return {
        channel,
        label: ACCESS_CHANNEL_LABELS[channel],
        count: mine.reduce((n, r) => n + r.count, 0),
        actors: mine.map((r) => ({ name: r.actorName, count: r.count })),
      };
    });
    const departments = [...new Set(rows.filter((r) => r.channel === 'credit_check' || r.channel === 'api').map((r) => r.actorName))];
    return { from, to: today, total: channels.reduce((n, c) => n + c.count, 0), channels, departments };
  }
}
