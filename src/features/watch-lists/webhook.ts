import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import type { LookupAddress } from 'node:dns';

/** Waits after the 1st, 2nd, … failed attempt; after the last the delivery is given up (issue #17). */
export const BACKOFF_MS: readonly number[] = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 12 * 3_600_000];
export const MAX_ATTEMPTS = BACKOFF_MS.length + 1;
export const TIMEOUT_MS = 5000;
/** The part of a receiver's answer kept in the delivery log; the rest is never read. */
export const EXCERPT_CHARS = 300;

export const newWebhookSecret = (): string => `whsec_${randomBytes(24).toString('base64url')}`;

export function sign(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** What a receiver runs (documented in docs/watch-lists.md); constant-time. */
export function verify(secret: string, body: string, header: string): boolean {
  const want = Buffer.from(sign(secret, body));
  const got = Buffer.from(header);
  return want.length === got.length && timingSafeEqual(want, got);
}

// Never a target: this machine, private networks (RFC 1918, CGNAT, IPv6 ULA), link-local (cloud metadata at
// 169.254.169.254), unspecified, benchmarking, reserved, broadcast and multicast addresses. An IPv4-mapped or NAT64
// IPv6 address is judged by the IPv4 address it carries, so ::ffff:127.0.0.1 is loopback too.
const BLOCKED_V4 = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  BLOCKED_V4.addSubnet(net, bits, 'ipv4');
const BLOCKED_V6 = new BlockList();
BLOCKED_V6.addAddress('::', 'ipv6');
BLOCKED_V6.addAddress('::1', 'ipv6');
BLOCKED_V6.addSubnet('fc00::', 7, 'ipv6');
BLOCKED_V6.addSubnet('fe80::', 10, 'ipv6');
BLOCKED_V6.addSubnet('fec0::', 10, 'ipv6');
BLOCKED_V6.addSubnet('ff00::', 8, 'ipv6');
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');

/** The 16 bytes of an IPv6 address (any textual form, with or without an embedded dotted IPv4 tail). */
function v6Bytes(address: string): number[] {
  let text = address.toLowerCase().replace(/%.*$/, '');
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? (text.split('::') as [string, string]) : [text, null];
  const h = head ? head.split(':') : [];
  const t = tail === null ? [] : tail ? tail.split(':') : [];
  const groups = tail === null ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.flatMap((g) => {
    const n = parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
}

/** The IPv4 address an IPv6 address stands for (IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d, NAT64 64:ff9b::a.b.c.d), else null. */
function embeddedV4(address: string): string | null {
  const b = v6Bytes(address);
  if (b.length !== 16) return null;
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  const mapped = zeros(0, 10) && b[10] === 0xff && b[11] === 0xff;
  const compatible = zeros(0, 12) && !zeros(12, 16) && !(zeros(12, 15) && b[15] === 1);
  const nat64 = b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12);
  return mapped || compatible || nat64 ? b.slice(12).join('.') : null;
}

// The private ranges an operator may open to webhooks (WEBHOOK_ALLOWED_NETWORKS): receivers on the government
// intranet (电子政务外网) have private addresses. Loopback, link-local (metadata), multicast and the rest never open.
const OPENABLE = new BlockList();
OPENABLE.addSubnet('10.0.0.0', 8, 'ipv4');
OPENABLE.addSubnet('100.64.0.0', 10, 'ipv4');
OPENABLE.addSubnet('172.16.0.0', 12, 'ipv4');
OPENABLE.addSubnet('192.168.0.0', 16, 'ipv4');
OPENABLE.addSubnet('fc00::', 7, 'ipv6');

export interface Network {
  address: string;
  prefix: number;
  family: 4 | 6;
}

/**
 * Parses WEBHOOK_ALLOWED_NETWORKS: comma-separated CIDR blocks, each inside a private range (10/8, 100.64/10,
 * 172.16/12, 192.168/16, fc00::/7). Returns the blocks, or a Chinese message naming the first bad one.
 */
export function parseAllowedNetworks(raw: string): { networks: Network[] } | { problem: string } {
  const networks: Network[] = [];
  for (const part of raw
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)) {
    const m = /^([^/]+)\/(\d{1,3})$/.exec(part);
    const family = m ? isIP(m[1]!) : 0;
    const prefix = m ? Number(m[2]) : NaN;
    if (!m || (family !== 4 && family !== 6) || prefix > (family === 4 ? 32 : 128)) return { problem: `「${part}」不是网段（应如 10.20.0.0/16）` };
    // The whole block must be openable: its first address in an openable range and its prefix no wider than that range.
    const widest = family === 4 ? (OPENABLE.check(m[1]!, 'ipv4') ? openablePrefix(m[1]!) : null) : OPENABLE.check(m[1]!, 'ipv6') ? 7 : null;
    if (widest === null || prefix < widest) return { problem: `「${part}」不在内网地址范围（10/8、100.64/10、172.16/12、192.168/16、fc00::/7）内` };
    networks.push({ address: m[1]!, prefix, family });
  }
  return { networks };
}

function openablePrefix(v4: string): number {
  const [a, b] = v4.split('.').map(Number) as [number, number];
  if (a === 10) return 8;
  if (a === 100) return 10;
  if (a === 172) return 12;
  return b === 168 ? 16 : 32;
}

function allowList(networks: readonly Network[]): BlockList {
  const list = new BlockList();
  for (const n of networks) list.addSubnet(n.address, n.prefix, n.family === 4 ? 'ipv4' : 'ipv6');
  return list;
}

/**
 * Whether a webhook may connect to `address`. `allowLoopback` (tests only) lets 127.0.0.0/8 and ::1 through, nothing
 * else; `allowed` (WEBHOOK_ALLOWED_NETWORKS) opens the listed private blocks and nothing outside the private ranges.
 */
export function addressAllowed(address: string, allowLoopback = false, allowed: readonly Network[] = []): boolean {
  const family = isIP(address);
  const opened = allowed.length > 0 ? allowList(allowed) : null;
  if (family === 4) {
    if (!BLOCKED_V4.check(address, 'ipv4')) return true;
    if (allowLoopback && LOOPBACK.check(address, 'ipv4')) return true;
    return opened !== null && OPENABLE.check(address, 'ipv4') && opened.check(address, 'ipv4');
  }
  if (family !== 6) return false;
  const v4 = embeddedV4(address);
  if (v4 !== null) return addressAllowed(v4, allowLoopback, allowed);
  if (allowLoopback && v6Bytes(address).every((x, i) => x === (i === 15 ? 1 : 0))) return true;
  if (!BLOCKED_V6.check(address, 'ipv6')) return true;
  return opened !== null && OPENABLE.check(address, 'ipv6') && opened.check(address, 'ipv6');
}

/** A webhook URL's form: http(s) only, no user name or password in it, at most 2,000 characters. Chinese message or null. */
export function urlProblem(raw: string): string | null {
  if (raw.length > 2000) return '地址最长 2000 个字符';
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return '地址格式有误，应以 http:// 或 https:// 开头';
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return '只支持 http:// 或 https:// 地址';
  if (u.username || u.password) return '地址中不能包含用户名或密码';
  return null;
}

/** Resolves a host name to its addresses (injected in tests: there is no network there). */
export type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;

export const systemResolver: Resolver = (host) => lookup(host, { all: true, verbatim: true });

export interface TargetOptions {
  resolve?: Resolver;
  /** Tests only (see WatchService): lets loopback addresses through. Never private ranges or anything else. */
  allowLoopback?: boolean;
  /** WEBHOOK_ALLOWED_NETWORKS: private blocks receivers may sit in (the government intranet). */
  allowedNetworks?: readonly Network[];
}

export type Target = { ok: true; url: URL; address: string; family: 4 | 6 } | { ok: false; problem: string };

const BLOCKED_MESSAGE = '不能推送到本机、内网（私有地址）、链路本地或组播地址';

/**
 * Resolves the URL's host once and checks every address it gives: one blocked address refuses the target (a host
 * that answers both a public and a private address could otherwise be steered to the private one). The address
 * returned is the one the request must connect to, so DNS cannot answer differently between check and connection.
 */
export async function resolveTarget(raw: string, opts: TargetOptions = {}): Promise<Target> {
  const form = urlProblem(raw);
  if (form) return { ok: false, problem: form };
  const url = new URL(raw);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: { address: string; family: number }[];
  try {
    addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await (opts.resolve ?? systemResolver)(host);
  } catch {
    return { ok: false, problem: '无法解析该地址的域名' };
  }
  const first = addresses[0];
  if (!first) return { ok: false, problem: '无法解析该地址的域名' };
  if (addresses.some((a) => !addressAllowed(a.address, opts.allowLoopback === true, opts.allowedNetworks))) return { ok: false, problem: BLOCKED_MESSAGE };
  return { ok: true, url, address: first.address, family: isIP(first.address) === 6 ? 6 : 4 };
}

/** The target's problem in Chinese, or null (registration; every attempt checks again through resolveTarget). */
export async function targetProblem(raw: string, opts: TargetOptions = {}): Promise<string | null> {
  const t = await resolveTarget(raw, opts);
  return t.ok ? null : t.problem;
}

export interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  excerpt: string | null;
}

/**
 * One POST to the address the check resolved (pinned through the socket's `lookup`, so the name is resolved once;
 * the Host header and TLS SNI/certificate check still use the name). No redirect is followed (a 3xx is a failure, so
 * a receiver cannot bounce the request elsewhere), 5 s for the whole exchange, only the first characters of the
 * answer are read.
 */
export async function postOnce(url: string, body: string, headers: Record<string, string>, opts: TargetOptions = {}): Promise<AttemptResult> {
  const target = await resolveTarget(url, opts);
  if (!target.ok) return { ok: false, statusCode: null, error: target.problem, excerpt: null };
  const { address, family } = target;
  const signal = AbortSignal.timeout(TIMEOUT_MS);
  const pinned: LookupFunction = (_host, options, callback) => {
    // Node asks for every address (`all`) when it may try several families; either way only the checked one is given.
    if (options.all) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, [{ address, family }]);
    else callback(null, address, family);
  };
  const payload = Buffer.from(body, 'utf8');
  try {
    const { statusCode, excerpt } = await new Promise<{ statusCode: number; excerpt: string }>((resolve, reject) => {
      const req = (target.url.protocol === 'https:' ? httpsRequest : httpRequest)(
        target.url,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': String(payload.length), ...headers },
          lookup: pinned,
          // A pooled socket could outlive this check; every attempt opens its own connection.
          agent: false,
          signal,
        },
        (res) => {
          let text = '';
          const decoder = new TextDecoder();
          res.on('data', (chunk: Buffer) => {
            text += decoder.decode(chunk, { stream: true });
            if (text.length >= EXCERPT_CHARS) {
              res.destroy();
              resolve({ statusCode: res.statusCode ?? 0, excerpt: text });
            }
          });
          res.on('end', () => resolve({ statusCode: res.statusCode ?? 0, excerpt: text }));
          res.on('error', reject);
          // Destroyed before its end (the timeout): a no-op when the answer was already taken.
          res.on('close', () => reject(new Error('连接中断')));
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
    const ok = statusCode >= 200 && statusCode < 300;
    const error = ok ? null : statusCode >= 300 && statusCode < 400 ? `HTTP ${statusCode}：不跟随重定向` : `HTTP ${statusCode}`;
    return { ok, statusCode, error, excerpt: excerpt.slice(0, EXCERPT_CHARS) || null };
  } catch (e) {
    const err = e as Error & { code?: string; cause?: { code?: string } };
    const timedOut = signal.aborted;
    return {
      ok: false,
      statusCode: null,
      error: timedOut ? `超时（${TIMEOUT_MS / 1000} 秒）` : `连接失败：${err.code ?? err.cause?.code ?? err.message}`.slice(0, 200),
      excerpt: null,
    };
  }
}
