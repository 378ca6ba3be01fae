import { describe, expect, it } from 'vitest';
import { createLogger, redact } from './logger.js';

describe('logging never carries a full ID number', () => {
  it('masks 18- and 15-digit ID numbers wherever they appear', () => {
    expect(redact('id=41070219900101123X ok')).toBe('id=410702********123X ok');
    expect(redact('old 410702900101123')).toBe('old 410702********1123');
    // A USCC is public and not a person's number.
    expect(redact('91410700MA44ABCD1X')).toBe('91410700MA44ABCD1X');
  });

  it('applies to every log line: message, fields, child bindings', () => {
    const lines: string[] = [];
    const log = createLogger('info', (l) => lines.push(l));
    log.info('lookup 410702199001011234', { id: '410702199001011234', url: '/search/person?id=410702199001011234' });
    log.child({ subject: '41070219900101123X' }).warn('child');
    log.debug('hidden');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).not.toMatch(/410702199001011234|41070219900101123X/);
    const first = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(first).toMatchObject({ level: 'info', msg: 'lookup 410702********1234', id: '410702********1234', url: '/search/person?id=410702********1234' });
    expect(JSON.parse(lines[1]!)).toMatchObject({ level: 'warn', subject: '410702********123X', msg: 'child' });
  });

  it('writes nothing when silent', () => {
    const lines: string[] = [];
    createLogger('silent', (l) => lines.push(l)).error('x');
    expect(lines).toEqual([]);
  });
});
