import { describe, expect, it } from 'vitest';
import { ConfigError, isLocalUrl, loadConfig, siteIdentity } from './config.js';

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

  it('reads DATABASE_REPLICA_URL as a comma-separated list, and stops start-up naming it when one is bad', () => {
    expect(loadConfig({}).DATABASE_REPLICA_URL).toEqual([]);
    expect(loadConfig({}).REPLICA_MAX_LAG_MS).toBe(10_000);
    expect(loadConfig({ DATABASE_REPLICA_URL: ' postgresql://u:p@r1:5432/db , postgres://r2/db,' }).DATABASE_REPLICA_URL).toEqual([
      'postgresql://u:p@r1:5432/db',
      'postgres://r2/db',
    ]);
    for (const DATABASE_REPLICA_URL of ['r1:5432', 'postgresql://r1:5432/db,mysql://r2/db', 'postgresql://r1:5432']) {
      const e = errorOf({ DATABASE_REPLICA_URL });
      expect(e.variable).toBe('DATABASE_REPLICA_URL');
      expect(e.message).toMatch(/^配置错误：环境变量 DATABASE_REPLICA_URL /);
      // A connection string may carry a password: never echoed.
      expect(e.message).not.toContain(DATABASE_REPLICA_URL);
    }
    for (const REPLICA_MAX_LAG_MS of ['-1', 'soon', '3600001']) expect(errorOf({ REPLICA_MAX_LAG_MS }).variable).toBe('REPLICA_MAX_LAG_MS');
  });

  it('reads WEBHOOK_ALLOWED_NETWORKS as intranet blocks and stops start-up naming it for anything else', () => {
    expect(loadConfig({}).WEBHOOK_ALLOWED_NETWORKS).toEqual([]);
    expect(loadConfig({ WEBHOOK_ALLOWED_NETWORKS: '10.20.0.0/16,192.168.8.0/24' }).WEBHOOK_ALLOWED_NETWORKS).toHaveLength(2);
    for (const WEBHOOK_ALLOWED_NETWORKS of ['127.0.0.0/8', '0.0.0.0/0', '10.20.0.0/16,169.254.169.254/32', 'intranet']) {
      const e = errorOf({ WEBHOOK_ALLOWED_NETWORKS });
      expect(e.variable).toBe('WEBHOOK_ALLOWED_NETWORKS');
      expect(e.message).toMatch(/^配置错误：环境变量 WEBHOOK_ALLOWED_NETWORKS /);
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
    const c = loadConfig({
      NODE_ENV: 'production',
      SESSION_SECRET: 'x'.repeat(40),
      PUBLIC_URL: 'https://credit.example.gov.cn',
      REPORT_KEY_SECRET: 'k'.repeat(40),
    });
    expect(c.sessionSecret).toBe('x'.repeat(40));
  });

  it('requires PUBLIC_URL in production, naming it', () => {
    const e = errorOf({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40) });
    expect(e.variable).toBe('PUBLIC_URL');
    expect(e.message).toMatch(/^配置错误：环境变量 PUBLIC_URL 生产环境必须设置/);
    expect(
      loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), PUBLIC_URL: 'https://credit.example.gov.cn', REPORT_KEY_SECRET: 'k'.repeat(40) })
        .PUBLIC_URL,
    ).toBe('https://credit.example.gov.cn');
    expect(loadConfig({}).PUBLIC_URL).toBeUndefined();
  });

  it('requires a long REPORT_KEY_SECRET in a production web process, naming it without echoing it', () => {
    const prod = { NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), PUBLIC_URL: 'https://credit.example.gov.cn' };
    expect(errorOf(prod).variable).toBe('REPORT_KEY_SECRET');
    const short = errorOf({ ...prod, REPORT_KEY_SECRET: 'secret-value' });
    expect(short.variable).toBe('REPORT_KEY_SECRET');
    expect(short.message).not.toContain('secret-value');
    // a worker signs nothing
    expect(loadConfig({ ...prod, ROLES: 'worker' }).REPORT_KEY_SECRET).toBeUndefined();
  });

  it('takes the site identity from the environment, leaves out what is unset, and refuses placeholders', () => {
    expect(siteIdentity(loadConfig({}))).toEqual({});
    const c = loadConfig({
      SITE_ICP: '豫ICP备12345678号-2',
      SITE_ID_CODE: '4107000012',
      SITE_PSB: '豫公网安备41070202000123号',
      SITE_PHONE: ' 0373-1234567 ',
      SITE_ADDRESS: '',
    });
    expect(siteIdentity(c)).toEqual({ icp: '豫ICP备12345678号-2', idCode: '4107000012', psb: '豫公网安备41070202000123号', phone: '0373-1234567' });
    for (const [variable, value] of [
      ['SITE_ICP', '豫ICP备XXXXXXXX号'],
      ['SITE_ID_CODE', '41070000'],
      ['SITE_PSB', '豫公网安备XXXXXXXXXXXXXX号'],
      ['SITE_PHONE', '电话'],
      ['SITE_ADDRESS', '路'.repeat(101)],
    ] as const) {
      const e = errorOf({ [variable]: value });
      expect(e.variable).toBe(variable);
      expect(e.message).toMatch(new RegExp(`^配置错误：环境变量 ${variable} `));
    }
  });

  it('knows a local address', () => {
    for (const url of ['http://localhost:3000', 'http://127.0.0.1:3144', 'http://[::1]:3000']) expect(isLocalUrl(url), url).toBe(true);
    for (const url of ['https://credit.xinxiang.gov.cn', 'http://10.1.2.3']) expect(isLocalUrl(url), url).toBe(false);
  });

  it('reads TRUST_PROXY as a flag', () => {
    expect(loadConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(true);
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(errorOf({ TRUST_PROXY: 'yes' }).variable).toBe('TRUST_PROXY');
  });
});
