import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressAllowed, parseAllowedNetworks, postOnce, resolveTarget, targetProblem, type Network, type Resolver } from './webhook.js';

/** A resolver answering from a table, counting the questions (there is no network in the tests). */
function resolver(answers: Record<string, string[][]>): Resolver & { calls: string[] } {
  const calls: string[] = [];
  const fn = async (host: string) => {
    calls.push(host);
    const queue = answers[host];
    const next = queue && (queue.length > 1 ? queue.shift()! : queue[0]);
    if (!next) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return next.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(fn, { calls });
}

describe('webhook target addresses', () => {
  it.each([
    '127.0.0.1',
    '127.9.9.9',
    '0.0.0.0',
    '10.12.0.8',
    '172.16.0.1',
    '172.31.255.254',
    '192.168.1.1',
    '100.64.0.1',
    '169.254.169.254',
    '224.0.0.1',
    '255.255.255.255',
    '::',
    '::1',
    'fe80::1',
    'fc00::1',
    'fd12:3456::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '::ffff:169.254.169.254',
    '::127.0.0.1',
    '64:ff9b::10.0.0.1',
    '0:0:0:0:0:ffff:c0a8:0101',
  ])('refuses %s', (a) => {
    expect(addressAllowed(a)).toBe(false);
  });

  it.each(['8.8.8.8', '172.32.0.1', '203.0.113.7', '2001:4860:4860::8888', '::ffff:8.8.8.8', '2400:3200::1'])('allows %s', (a) => {
    expect(addressAllowed(a)).toBe(true);
  });

  it('lets loopback (and nothing else) through with the test-only switch', () => {
    expect(addressAllowed('127.0.0.1', true)).toBe(true);
    expect(addressAllowed('::1', true)).toBe(true);
    expect(addressAllowed('::ffff:127.0.0.1', true)).toBe(true);
    expect(addressAllowed('10.0.0.1', true)).toBe(false);
    expect(addressAllowed('169.254.169.254', true)).toBe(false);
    expect(addressAllowed('fd00::1', true)).toBe(false);
  });

  it('opens only the intranet blocks WEBHOOK_ALLOWED_NETWORKS lists, never loopback, link-local or public-looking tricks', async () => {
    const parsed = parseAllowedNetworks(' 10.20.0.0/16, fd00:1234::/32 ');
    expect(parsed).toEqual({
      networks: [
        { address: '10.20.0.0', prefix: 16, family: 4 },
        { address: 'fd00:1234::', prefix: 32, family: 6 },
      ],
    });
    const nets = (parsed as { networks: Network[] }).networks;
    expect(addressAllowed('10.20.3.4', false, nets)).toBe(true);
    expect(addressAllowed('::ffff:10.20.3.4', false, nets)).toBe(true);
    expect(addressAllowed('fd00:1234::9', false, nets)).toBe(true);
    expect(addressAllowed('10.21.0.1', false, nets)).toBe(false);
    expect(addressAllowed('192.168.1.1', false, nets)).toBe(false);
    expect(addressAllowed('127.0.0.1', false, nets)).toBe(false);
    expect(addressAllowed('169.254.169.254', false, nets)).toBe(false);
    expect(addressAllowed('8.8.8.8', false, nets)).toBe(true);
    const dns = resolver({ 'hook.gov.intranet': [['10.20.0.9']] });
    expect(await targetProblem('http://hook.gov.intranet/h', { resolve: dns, allowedNetworks: nets })).toBeNull();
    expect(await targetProblem('http://hook.gov.intranet/h', { resolve: dns })).toMatch(/内网/);
    expect(parseAllowedNetworks('')).toEqual({ networks: [] });
    for (const bad of ['127.0.0.0/8', '169.254.0.0/16', '0.0.0.0/0', '10.0.0.0/7', '8.8.8.0/24', 'fe80::/10', '::/0', '10.0.0.0', 'intranet', '10.0.0.0/33'])
      expect(parseAllowedNetworks(bad), bad).toHaveProperty('problem');
  });

  it('checks literal addresses and every resolved address, with Chinese messages', async () => {
    expect(await targetProblem('http://127.0.0.1:5432/')).toMatch(/本机/);
    expect(await targetProblem('http://[::1]/')).toMatch(/本机/);
    expect(await targetProblem('http://[::ffff:127.0.0.1]/')).toMatch(/本机/);
    expect(await targetProblem('http://169.254.169.254/latest/meta-data')).toMatch(/链路本地/);
    expect(await targetProblem('http://10.12.0.8/hook')).toMatch(/内网/);
    const dns = resolver({ 'mixed.example': [['203.0.113.7', '10.0.0.5']], 'public.example': [['203.0.113.7']] });
    expect(await targetProblem('https://mixed.example/hook', { resolve: dns })).toMatch(/内网/);
    expect(await targetProblem('https://public.example/hook', { resolve: dns })).toBeNull();
    expect(await targetProblem('https://nowhere.example/hook', { resolve: dns })).toBe('无法解析该地址的域名');
    const pinned = await resolveTarget('https://public.example:8443/hook', { resolve: dns });
    expect(pinned).toMatchObject({ ok: true, address: '203.0.113.7', family: 4 });
  });
});

describe('webhook delivery connects to the address it checked', () => {
  const got: { headers: IncomingHttpHeaders; body: string }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.end('收到');
    });
  });
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('resolves the name once and connects to that answer, keeping the name in Host', async () => {
    // The name exists only in this resolver: if the request resolved it again through the system, it could not connect.
    const dns = resolver({ 'hooks.example.test': [['127.0.0.1']] });
    const r = await postOnce(`http://hooks.example.test:${port}/hook`, '{"a":"变更"}', { 'x-delivery-id': 'd1' }, { resolve: dns, allowLoopback: true });
    expect(r).toMatchObject({ ok: true, statusCode: 200, excerpt: '收到' });
    expect(dns.calls).toEqual(['hooks.example.test']);
    expect(got.at(-1)?.headers.host).toBe(`hooks.example.test:${port}`);
    expect(got.at(-1)?.body).toBe('{"a":"变更"}');
  });

  it('refuses a rebinding name: public at registration, loopback or intranet at delivery', async () => {
    const dns = resolver({ 'rebind.example': [['203.0.113.7'], ['127.0.0.1'], ['10.0.0.8']] });
    const url = `http://rebind.example:${port}/hook`;
    expect(await targetProblem(url, { resolve: dns })).toBeNull();
    const before = got.length;
    const first = await postOnce(url, '{}', {}, { resolve: dns });
    expect(first).toMatchObject({ ok: false, statusCode: null, error: expect.stringMatching(/本机/) as unknown });
    const second = await postOnce(url, '{}', {}, { resolve: dns });
    expect(second.error).toMatch(/内网/);
    expect(got.length).toBe(before);
    expect(dns.calls).toHaveLength(3);
  });
});
