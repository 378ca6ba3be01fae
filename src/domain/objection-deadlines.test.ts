import { describe, expect, it } from 'vitest';
import { WorkdayCalendar } from './workdays.js';
import { dueState, forwardedDues, moveBy, officeDue, pausedWorkdays, revocationDue } from './objection-deadlines.js';

// The 2026 Spring Festival (holidays-cn.ts): Saturday 02-14 and Saturday 02-28 were working days, 02-15 … 02-23 off.
const cal = new WorkdayCalendar();

describe('条例 Art. 41 and 42 due dates', () => {
  it('the office: 3 working days of receipt, the 调休 Saturday counted, the holiday skipped', () => {
    expect(officeDue('2026-02-13', cal)).toBe('2026-02-25');
    // Received on a day off: the count starts on the next working day.
    expect(officeDue('2026-02-21', cal)).toBe('2026-02-26');
    // An ordinary week: Friday → Wednesday.
    expect(officeDue('2026-11-27', cal)).toBe('2026-12-02');
  });

  it('forwarded: the department 3 working days of notice, the case 7 of receipt, moved by earlier pauses', () => {
    expect(forwardedDues('2026-02-13', '2026-02-14', cal)).toEqual({ answerBy: '2026-02-26', settleBy: '2026-03-02' });
    expect(forwardedDues('2026-02-13', '2026-02-26', cal, 2)).toEqual({ answerBy: '2026-03-02', settleBy: '2026-03-04' });
  });

  it('a pause takes out the working days after its start up to and including its end', () => {
    expect(pausedWorkdays('2026-02-24', '2026-02-27', cal)).toBe(3);
    expect(pausedWorkdays('2026-02-24', '2026-02-24', cal)).toBe(0);
    // Over the holiday only the 调休 Saturday and the working days after it count.
    expect(pausedWorkdays('2026-02-13', '2026-02-24', cal)).toBe(2);
    expect(moveBy('2026-02-26', 3, cal)).toBe('2026-03-02');
  });

  it('revocation: 1 working day of the update', () => {
    expect(revocationDue('2026-02-13', cal)).toBe('2026-02-14');
    expect(revocationDue('2026-02-14', cal)).toBe('2026-02-24');
  });

  it('where a deadline stands', () => {
    expect(dueState('2026-02-25', '2026-02-24')).toBe('open');
    expect(dueState('2026-02-25', '2026-02-25')).toBe('today');
    expect(dueState('2026-02-25', '2026-02-26')).toBe('overdue');
  });
});
