import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

function errorOf(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('has working defaults for a newcomer', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.NODE_ENV).toBe('development');
    expect(c.sessionSecret.length).toBeGreaterThanOrEqual(32);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('runs web and worker in one process unless ROLES says otherwise, and names ROLES when it is wrong', () => {
    expect(loadConfig({}).ROLES).toEqual(['web', 'worker']);
    expect(loadConfig({ ROLES: 'worker' }).ROLES).toEqual(['worker']);
    expect(loadConfig({ ROLES: ' web , worker,web' }).ROLES).toEqual(['web', 'worker']);
    for (const ROLES of ['', ',', 'cron', 'web,mailer']) {
      const e = errorOf({ ROLES });
      expect(e.variable).toBe('ROLES');
      expect(e.message).toMatch(/^配置错误：环境变量 ROLES /);
    }
  });

  it('names the variable of a bad PORT, in Chinese', () => {
    for (const PORT of ['abc', '0', '70000', '3.5']) {
      const e = errorOf({ PORT });
      expect(e.variable).toBe('PORT');
      expect(e.message).toMatch(/^配置错误：环境变量 PORT /);
    }
  });

  it('takes the absolute session lifetime in whole hours, 12 by default', () => {
    expect(loadConfig({}).SESSION_ABSOLUTE_HOURS).toBe(12);
    expect(loadConfig({ SESSION_ABSOLUTE_HOURS: '24' }).SESSION_ABSOLUTE_HOURS).toBe(24);
    for (const SESSION_ABSOLUTE_HOURS of ['0', '169', '1.5', 'abc']) {
      const e = errorOf({ SESSION_ABSOLUTE_HOURS });
      expect(e.variable).toBe('SESSION_ABSOLUTE_HOURS');
      expect(e.message).toMatch(/^配置错误：环境变量 SESSION_ABSOLUTE_HOURS /);
    }
  });

  it('takes the statement timeout of the request-serving pools in milliseconds, 3000 by default', () => {
    expect(loadConfig({}).STATEMENT_TIMEOUT_MS).toBe(3000);
    expect(loadConfig({ STATEMENT_TIMEOUT_MS: '10000' }).STATEMENT_TIMEOUT_MS).toBe(10000);
    for (const STATEMENT_TIMEOUT_MS of ['0', '50', '1.5', 'abc', '600001']) {
      const e = errorOf({ STATEMENT_TIMEOUT_MS });
      expect(e.variable).toBe('STATEMENT_TIMEOUT_MS');
      expect(e.message).toMatch(/^配置错误：环境变量 STATEMENT_TIMEOUT_MS /);
    }
  });

  it('rejects a DATABASE_URL that is not a PostgreSQL URL, without echoing it', () => {
    for (const DATABASE_URL of ['mysql://u:p@h/db', 'not a url', 'postgresql://host-without-db']) {
      const e = errorOf({ DATABASE_URL });
      expect(e.variable).toBe('DATABASE_URL');
      expect(e.message).not.toContain(DATABASE_URL);
    }
    expect(loadConfig({ DATABASE_URL: 'postgresql://u:p@127.0.0.1:5432/xx' }).DATABASE_URL).toBe('postgresql://u:p@127.0.0.1:5432/xx');
    expect(loadConfig({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });

  it('requires a long SESSION_SECRET in production', () => {
    expect(errorOf({ NODE_ENV: 'production' }).variable).toBe('SESSION_SECRET');
    expect(errorOf({ NODE_ENV: 'production', SESSION_SECRET: 'short' }).variable).toBe('SESSION_SECRET');
    const c = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40) });
    expect(c.sessionSecret).toBe('x'.repeat(40));
  });

  it('reads TRUST_PROXY as a flag', () => {
    expect(loadConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(true);
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(errorOf({ TRUST_PROXY: 'yes' }).variable).toBe('TRUST_PROXY');
  });
});
