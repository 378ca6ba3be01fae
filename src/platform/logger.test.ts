import { describe, expect, it } from 'vitest';
import { createLogger, redact } from './logger.js';

describe('logging never carries a full ID number', () => {
  it('masks 18- and 15-digit ID numbers wherever they appear', () => {
    expect(redact('id=41070219900101123X ok')).toBe('id=410702********123X ok');
    expect(redact('old 410702900101123')).toBe('old 410702********1123');
    // A USCC is public and not a person's number.
    expect(redact('91410700MA44ABCD1X')).toBe('91410700MA44ABCD1X');
  });

  it('applies to every log line', () => {
    const lines: string[] = [];
    const log = createLogger('info', (l) => lines.push(l));
    log.info('lookup', { id: '410702199001011234' });
    log.debug('hidden');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('410702199001011234');
    expect(lines[0]).toContain('410702********1234');
  });
});
