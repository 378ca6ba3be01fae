import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS, PUBLIC_ADMIN_ROUTES, accessKey, type Role } from '../../src/platform/access.js';
import type { Server } from 'node:http';
import { TEST_PASSWORD, createTestApp, csrfFrom, seedRouteTargets, seedUsers, type TestApp } from '../helpers/app.js';
import { createHttpServer } from '../../src/platform/http-server.js';
import { listRoutes, type AppRoute } from '../helpers/routes.js';

/**
 * Issue #12: nothing the public or a clerk types gives a 500. Walks the app's router and, for every GET and POST
 * route and every role, puts each value of a fixed corpus of hostile inputs into each path parameter and each
 * known query or form field, and asserts that no answer is a 5xx (a 503 from the statement timeout included: these
 * requests are all cheap). The default run samples (every second value per route, each in a rotating slot, for
 * one role that may call the route; HOSTILE_STRIDE=1 for every value); HOSTILE_FULL=1 runs the whole product (HOSTILE_ROUTES=<regex> limits it to some paths).
 */

const FULL = process.env.HOSTILE_FULL === '1';
/**
 * The sampled run sends every STRIDE-th value of the corpus to a route, starting at a different value for each
 * route, so every value still reaches 1/STRIDE of the routes (HOSTILE_STRIDE=1: every value to every route).
 */
const STRIDE = FULL ? 1 : Math.max(1, Number(process.env.HOSTILE_STRIDE ?? 2));
/** Only the routes whose path matches (e.g. HOSTILE_ROUTES='^/publicity'), to run the full product on a few. */
const ONLY = process.env.HOSTILE_ROUTES ? new RegExp(process.env.HOSTILE_ROUTES) : null;

/** Hostile values, already percent-encoded as they travel (so broken encodings can be sent). */
type Hostile = { label: string; raw: string; shape?: 'repeat' | 'array' | 'nested' };
const long = (s: string, n: number) => s.repeat(Math.ceil(n / s.length)).slice(0, n);
const CORPUS: Hostile[] = [
  { label: 'NUL', raw: '%00' },
  { label: 'NUL inside', raw: 'a%00b' },
  { label: 'control chars', raw: '%01%07%1B%7F' },
  { label: '2^31', raw: '2147483648' },
  { label: '11 digits', raw: '99999999999' },
  { label: '30 digits', raw: '9'.repeat(30) },
  { label: '-1', raw: '-1' },
  { label: '0', raw: '0' },
  { label: '1e309', raw: '1e309' },
  { label: '1.5', raw: '1.5' },
  { label: 'NaN', raw: 'NaN' },
  { label: 'hex', raw: '0x10' },
  { label: 'empty', raw: '' },
  { label: 'spaces', raw: '%20%20%20' },
  { label: '10k chars', raw: long('a', 10_000) },
  { label: '10k 汉字', raw: long('%E6%B1%89', 9 * 1000) },
  { label: 'percent', raw: '%25' },
  { label: 'underscore', raw: '_' },
  { label: 'backslash', raw: '%5C' },
  { label: 'sql', raw: "'%3B%20drop%20table%20users%3B--" },
  { label: 'script', raw: '%3Cscript%3Ealert(1)%3C%2Fscript%3E' },
  { label: 'astral 𠀀', raw: '%F0%A0%80%80' },
  { label: 'lone surrogate', raw: '%ED%A0%80' },
  { label: 'broken encoding', raw: '%E4%B8' },
  { label: 'bare percent', raw: '%' },
  { label: 'dot dot', raw: '..%2F..%2Fetc%2Fpasswd' },
  { label: 'date-like', raw: '2026-02-30' },
  { label: 'year 275760', raw: '275760-09-14' },
  { label: 'negative date', raw: '-000001-01-01' },
  { label: 'repeated', raw: 'a', shape: 'repeat' },
  { label: 'array a[]=', raw: 'a', shape: 'array' },
  { label: 'nested a[b]=', raw: 'a', shape: 'nested' },
];

/** Fields every list and form of the app uses somewhere; each route adds the names its own page shows. */
const COMMON_FIELDS = [
  'q',
  'page',
  'from',
  'to',
  'dept',
  'county',
  'status',
  'kind',
  'category',
  'type',
  'user',
  'action',
  'year',
  'edit',
  'next',
  'no',
  'id',
  'name',
];
/** Never sent hostile: signing out ends the run's session. */
const SKIP = new Set(['POST /admin/logout']);

let t: TestApp;
/** One listening server for the whole run (supertest would start one per request), the production one. */
let server: Server;
let routes: AppRoute[];
const ids: Record<string, number> = {};
let victimId = 0;

beforeAll(async () => {
  t = await createTestApp();
  const seeded = await seedUsers(t.deps);
  const targets = await seedRouteTargets(t.deps, seeded);
  victimId = targets.victimId;
  Object.assign(ids, targets.records);
  ids.departments = seeded.departmentId;
  ids.users = victimId;
  server = createHttpServer(t.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  routes = listRoutes(t.app).filter((r) => (r.method === 'GET' || r.method === 'POST') && !SKIP.has(`${r.method} ${r.path}`) && (!ONLY || ONLY.test(r.path)));
});
afterAll(async () => {
  if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  await t?.close();
});

/** A path with each parameter filled by a harmless value, except `hostile` in the one named. */
function fill(path: string, param?: string, value?: string): string {
  const resource = /^(?:\/admin)?\/([a-z-]+)\//.exec(path)?.[1] ?? '';
  const harmless = (name: string) => {
    if (name === 'uscc' || name === 'code') return '91410700174608534E';
    if (name === 'no') return 'YY20260101AAAAAA';
    if (name === 'file') return 'general.pdf';
    if (name === 'id') return String(ids[resource] ?? 1);
    return '1';
  };
  return path.replace(/:([A-Za-z]+)/g, (_m, name: string) => (name === param ? (value ?? '') : harmless(name)));
}

function params(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
}

function encodeField(name: string, h: Hostile): string {
  if (h.shape === 'repeat') return `${name}=${h.raw}&${name}=b`;
  if (h.shape === 'array') return `${name}%5B%5D=${h.raw}`;
  if (h.shape === 'nested') return `${name}%5Bb%5D=${h.raw}`;
  return `${name}=${h.raw}`;
}

type Agent = ReturnType<typeof request.agent>;
interface Caller {
  role: Role | 'anonymous';
  agent: Agent;
  csrf: string;
}

async function caller(role: Role | 'anonymous'): Promise<Caller> {
  if (role === 'anonymous') {
    const agent = request.agent(server);
    return { role, agent, csrf: csrfFrom((await agent.get('/admin/login')).text) };
  }
  const agent = request.agent(server);
  const login = await agent.get('/admin/login');
  const res = await agent
    .post('/admin/login')
    .type('form')
    .send({ username: `t-${role}`, password: TEST_PASSWORD, _csrf: csrfFrom(login.text) });
  if (res.status !== 303) throw new Error(`sign-in as t-${role} failed: ${res.status}`);
  return { role, agent, csrf: csrfFrom((await agent.get('/admin/account/password')).text) };
}

/** Field names shown on the route's own page (or the page it belongs to), plus the common ones. */
const fieldCache = new Map<string, string[]>();
async function fieldsOf(c: Caller, r: AppRoute): Promise<string[]> {
  const key = `${c.role} ${r.path}`;
  const known = fieldCache.get(key);
  if (known) return known;
  const names = new Set<string>(COMMON_FIELDS);
  const page = fill(r.path);
  for (const p of [page, page.replace(/\/[^/]+$/, ''), `${page}/new`]) {
    const res = await c.agent.get(p || '/');
    if (res.status !== 200 || !String(res.headers['content-type']).includes('html')) continue;
    for (const m of res.text.matchAll(/name="([A-Za-z][\w.[\]-]*)"/g)) if (m[1] !== '_csrf') names.add(m[1]!);
    if (p === page) break;
  }
  const out = [...names];
  fieldCache.set(key, out);
  return out;
}

/** Who calls a route: no session for the public pages; for /admin each role that may (the sampled run: one of them). */
function callersOf(r: AppRoute): (Role | 'anonymous')[] {
  const key = accessKey(r.method, r.path);
  const isAdmin = r.path === '/admin' || r.path.startsWith('/admin/');
  if (!isAdmin || PUBLIC_ADMIN_ROUTES.has(key)) return FULL ? ['anonymous', 'clerk', 'reviewer', 'admin'] : ['anonymous'];
  const allowed = [...((ACCESS[key] ?? []) as readonly Role[])];
  if (FULL) return ['anonymous', ...allowed];
  return allowed.length ? [allowed[r.path.length % allowed.length]!] : ['anonymous'];
}

interface Probe {
  path: string;
  /** the query string or form body (raw, already encoded) */
  data: string;
}

function probes(r: AppRoute, fields: string[], routeIndex: number): Probe[] {
  const slots: ({ kind: 'param'; name: string } | { kind: 'field'; name: string })[] = [
    ...params(r.path).map((name) => ({ kind: 'param' as const, name })),
    ...fields.map((name) => ({ kind: 'field' as const, name })),
  ];
  const out: Probe[] = [];
  CORPUS.forEach((h, i) => {
    if ((i + routeIndex) % STRIDE !== 0) return;
    const chosen = FULL ? slots : [slots[(i + routeIndex) % slots.length]!];
    for (const slot of chosen) {
      if (slot.kind === 'param') {
        // A path segment cannot repeat; the shapes' value goes in as it is.
        out.push({ path: fill(r.path, slot.name, h.raw === '' ? '%20' : h.raw), data: '' });
      } else {
        out.push({ path: fill(r.path), data: encodeField(slot.name, h) });
      }
    }
  });
  return out;
}

describe('hostile input: no route answers 5xx to anything typed into it', () => {
  // A correctness test, not a timing one: about 60 s on an idle 2-core box, several times that when the box is shared.
  it('walks every GET and POST route with the corpus', { timeout: FULL ? 3_600_000 : 900_000 }, async () => {
    const callers = new Map<string, Caller>();
    const failures: string[] = [];
    let requests = 0;
    const started = Date.now();
    const spent = new Map<string, number>();
    for (const [routeIndex, r] of routes.entries()) {
      const routeStarted = Date.now();
      for (const role of callersOf(r)) {
        let c = callers.get(role) ?? (await caller(role));
        callers.set(role, c);
        const fields = await fieldsOf(c, r);
        for (const p of probes(r, fields, routeIndex)) {
          let res;
          try {
            res =
              r.method === 'GET'
                ? await c.agent.get(p.data ? `${p.path}?${p.data}` : p.path)
                : await c.agent
                    .post(p.path)
                    .set('Content-Type', 'application/x-www-form-urlencoded')
                    .send(`_csrf=${encodeURIComponent(c.csrf)}${p.data ? `&${p.data}` : ''}`);
          } catch (err) {
            failures.push(`${role} ${r.method} ${p.path} ${p.data.slice(0, 80)} → ${(err as Error).message}`);
            continue;
          }
          requests++;
          if (res.status >= 500) failures.push(`${role} ${r.method} ${p.path.slice(0, 120)} ${p.data.slice(0, 80)} → ${res.status}`);
          // A hostile value may have ended the session (e.g. a password change); sign in again for the next one.
          if (role !== 'anonymous' && res.status === 303 && String(res.headers.location).startsWith('/admin/login')) {
            c = await caller(role);
            callers.set(role, c);
          }
        }
      }
      spent.set(`${r.method} ${r.path}`, Date.now() - routeStarted);
    }
    const slowest = [...spent].sort((a, b) => b[1] - a[1]).slice(0, 5);
    console.log(`slowest routes: ${slowest.map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)} s`).join(', ')}`);
    console.log(
      `hostile input: corpus ${CORPUS.length} values, ${routes.length} routes, ${requests} requests${FULL ? ' (full product)' : ` (sampled, stride ${STRIDE})`} in ${((Date.now() - started) / 1000).toFixed(1)} s, ${failures.length} answered 5xx`,
    );
    if (failures.length) console.log(failures.slice(0, 200).join('\n'));
    expect(failures).toEqual([]);
  });
});
