import { describe, expect, it } from 'vitest';
import { addDays, dateColumn } from '../../domain/dates.js';
import { entryStage, personsText } from './procedure.js';
import { listingRefusals } from './service.js';

const d = (day: string) => dateColumn(day);
const entry = (over: Partial<Parameters<typeof entryStage>[0]> = {}) => ({ noticeEndsOn: null, confirmedAt: null, withdrawnAt: null, exitedAt: null, ...over });

describe('entryStage', () => {
  it('is 公示中 up to and including the last day, then in force the day after unless an objection is open', () => {
    const e = entry({ noticeEndsOn: d('2026-02-20') });
    expect(entryStage(e, '2026-02-20', false)).toEqual({ key: 'notice', label: '公示中，公示期至 2026-02-20' });
    expect(entryStage(e, '2026-02-21', false).key).toBe('inForce');
    expect(entryStage(e, '2026-02-21', true).key).toBe('noticeDisputed');
    // Confirmed by the job: in force, whatever comes later.
    expect(entryStage({ ...e, confirmedAt: new Date() }, '2026-02-21', true).key).toBe('inForce');
  });
  it('withdrawn and exited win over every date', () => {
    expect(entryStage(entry({ noticeEndsOn: d('2099-01-01'), withdrawnAt: new Date() }), '2026-01-01', false).key).toBe('withdrawn');
    expect(entryStage(entry({ exitedAt: new Date('2026-03-01T02:00:00Z') }), '2026-03-02', false)).toEqual({ key: 'exited', label: '已退出（2026-03-01）' });
  });
  it('an entry without a notice period (black list, older issues) is in force', () => {
    expect(entryStage(entry(), '2026-01-01', true).key).toBe('inForce');
  });
});

describe('listingRefusals', () => {
  const black = { listType: 'black' as const, subjectName: '甲公司' };
  it('refuses a black-list nomination without a served notice, and on every day of its window', () => {
    expect(listingRefusals([{ ...black, priorNoticeServedOn: null, objectionEndsOn: null }], '2026-01-01')).toEqual([
      '甲公司：尚未登记送达事前告知书，不能列入黑名单',
    ]);
    const served = { ...black, priorNoticeServedOn: d('2026-01-30'), objectionEndsOn: d(addDays('2026-01-30', 7)) };
    for (const today of ['2026-01-30', '2026-02-03', '2026-02-06']) {
      expect(listingRefusals([served], today)).toEqual(['甲公司：事前告知的异议期至 2026-02-06 届满，2026-02-07 起方可列入黑名单']);
    }
    expect(listingRefusals([served], '2026-02-07')).toEqual([]);
  });
  it('never holds a red-list nomination', () => {
    expect(listingRefusals([{ listType: 'red', subjectName: '乙', priorNoticeServedOn: null, objectionEndsOn: null }], '2026-01-01')).toEqual([]);
  });
});

describe('personsText', () => {
  it('groups names by role in the order given', () => {
    expect(
      personsText([
        { role: 'legalRepresentative', name: '张三' },
        { role: 'actualController', name: '李四' },
        { role: 'actualController', name: '王五' },
      ]),
    ).toBe('法定代表人：张三；实际控制人：李四、王五');
    expect(personsText([])).toBe('');
  });
});
