import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

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

// Never a target: this machine, link-local (cloud metadata at 169.254.169.254), unspecified and multicast addresses.
// Private ranges (10/8, 172.16/12, 192.168/16) stay allowed: departments' systems sit on the government intranet.
const BLOCKED = new BlockList();
BLOCKED.addSubnet('127.0.0.0', 8);
BLOCKED.addSubnet('0.0.0.0', 8);
BLOCKED.addSubnet('169.254.0.0', 16);
BLOCKED.addSubnet('224.0.0.0', 4);
BLOCKED.addAddress('::1', 'ipv6');
BLOCKED.addAddress('::', 'ipv6');
BLOCKED.addSubnet('fe80::', 10, 'ipv6');
BLOCKED.addSubnet('ff00::', 8, 'ipv6');
BLOCKED.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');

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

/** Resolves the host and refuses a blocked address (checked again at every attempt: DNS can change). */
export async function targetProblem(raw: string, allowLoopback: boolean): Promise<string | null> {
  const form = urlProblem(raw);
  if (form) return form;
  if (allowLoopback) return null;
  const host = new URL(raw).hostname.replace(/^\[|\]$/g, '');
  let addresses: { address: string; family: number }[];
  try {
    addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true });
  } catch {
    return '无法解析该地址的域名';
  }
  for (const a of addresses) {
    if (BLOCKED.check(a.address, a.family === 6 ? 'ipv6' : 'ipv4')) return '不能推送到本机、链路本地或组播地址';
  }
  return null;
}

export interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  excerpt: string | null;
}

/**
 * One POST: no redirect is followed (a 3xx is a failure, so a receiver cannot bounce the request elsewhere), 5 s
 * for the whole exchange, and only the first characters of the answer are read.
 */
export async function postOnce(url: string, body: string, headers: Record<string, string>, allowLoopback: boolean): Promise<AttemptResult> {
  const problem = await targetProblem(url, allowLoopback);
  if (problem) return { ok: false, statusCode: null, error: problem, excerpt: null };
  const signal = AbortSignal.timeout(TIMEOUT_MS);
  try {
    const res = await fetch(url, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
      redirect: 'manual',
      signal,
    });
    let excerpt = '';
    if (res.body) {
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      while (excerpt.length < EXCERPT_CHARS) {
        const { done, value } = await reader.read();
        if (done) break;
        excerpt += decoder.decode(value, { stream: true });
      }
      await reader.cancel().catch(() => {});
    }
    const ok = res.status >= 200 && res.status < 300;
    const error = ok ? null : res.status >= 300 && res.status < 400 ? `HTTP ${res.status}：不跟随重定向` : `HTTP ${res.status}`;
    return { ok, statusCode: res.status, error, excerpt: excerpt.slice(0, EXCERPT_CHARS) || null };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } };
    const timedOut = signal.aborted;
    return {
      ok: false,
      statusCode: null,
      error: timedOut ? `超时（${TIMEOUT_MS / 1000} 秒）` : `连接失败：${err.cause?.code ?? err.message}`.slice(0, 200),
      excerpt: null,
    };
  }
}
